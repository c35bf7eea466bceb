# Prints how botocore (the AWS CLI) reads config + credentials: {"profiles": ..., "services": ..., "sso_sessions": ...}
import json, os, sys
import botocore.session
os.environ["AWS_CONFIG_FILE"] = sys.argv[1]
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = sys.argv[2]
session = botocore.session.Session()
config = session.full_config
print(json.dumps({k: config.get(k, {}) for k in ("profiles", "services", "sso_sessions")}, sort_keys=True))

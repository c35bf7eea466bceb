# Prints botocore's own AssumeRole cache key for each case in argv[1] (a JSON list of
# {"RoleArn": ..., "extra": {...}}), one per line.
import json
import sys

from botocore.credentials import AssumeRoleCredentialFetcher

for case in json.loads(sys.argv[1]):
    fetcher = AssumeRoleCredentialFetcher(
        client_creator=None, source_credentials=None, role_arn=case["RoleArn"], extra_args=case["extra"], cache={})
    print(fetcher._cache_key)

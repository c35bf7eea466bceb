#!/usr/bin/env bash
# The roles demo, start to finish, against a local AWS (moto_server with IAM enforcement on).
# Needs: standin on PATH (or STANDIN=path), and a Python with moto[server] and boto3 (VENV=path, default ../../.venv).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${VENV:-$here/../../.venv}
standin=${STANDIN:-standin}
port=${PORT:-5055}
work=$(mktemp -d)
trap 'kill $moto 2>/dev/null || true; rm -rf "$work"' EXIT

echo "==> a local AWS on 127.0.0.1:$port"
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >/dev/null 2>&1 & moto=$!
until curl -s "http://127.0.0.1:$port/moto-api/" >/dev/null; do sleep 0.2; done
export AWS_ENDPOINT_URL=http://127.0.0.1:$port

echo "==> a developer user, the developer's role, the function's role (one queue only), IAM enforced"
ids=$("$venv/bin/python" "$here/../../Tests/EndToEndTests/Fixtures/moto_setup.py" "$AWS_ENDPOINT_URL")
get() { "$venv/bin/python" -c "import json,sys; print(json.load(sys.stdin)['$1'])" <<<"$ids"; }

echo "==> ~/.aws for the demo: static keys in [dev], the developer role through role_arn + source_profile"
export HOME=$work AWS_PROFILE=developer
mkdir -p "$work/.aws"
printf '[dev]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$(get developerKey)" "$(get developerSecret)" \
  > "$work/.aws/credentials"
printf '[profile developer]\nrole_arn = %s\nsource_profile = dev\nrole_session_name = dev-session\nregion = us-east-1\n' \
  "$(get developerRole)" > "$work/.aws/config"
printf '{"Parameters": {"AWS_ENDPOINT_URL": "%s"}}\n' "$AWS_ENDPOINT_URL" > "$work/env.json"
export PATH="$venv/bin:$PATH"   # the function's python3.11 with boto3
params=(--parameter-overrides "SenderRoleArn=$(get functionRole)")

cd "$here"
echo; echo "$ standin whoami"; $standin whoami
echo; echo "$ standin whoami Sender"; $standin whoami Sender "${params[@]}"
echo; echo "$ standin invoke Sender (one allowed queue, one other)"
$standin invoke Sender "${params[@]}" --env-vars "$work/env.json" \
  -d "{\"allowed\": \"$(get allowedQueue)\", \"other\": \"$(get otherQueue)\"}"
echo; echo "$ standin exec Sender -- aws sqs send-message (the other queue: denied)"
$standin exec Sender "${params[@]}" -- aws --endpoint-url "$AWS_ENDPOINT_URL" sqs send-message --queue-url "$(get otherQueue)" --message-body hi \
  || echo "(denied, as in AWS)"

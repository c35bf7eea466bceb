#!/usr/bin/env bash
# Runs the whole test suite: installs the test peers into .venv, builds standin, runs `swift test`.
# Usage: scripts/test.sh [extra `swift test` arguments, e.g. --filter EndToEnd]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# 1. Real peers for the tests: moto_server (STS, IAM, SQS, S3, CloudFormation), the AWS CLI, boto3,
#    AWS's own Python runtime interface client, debugpy. Installed once into .venv.
stamp=.venv/.standin-requirements
if [ ! -x .venv/bin/python ] || ! cmp -s scripts/requirements-test.txt "$stamp" 2>/dev/null; then
  echo "==> installing test requirements into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
  cp scripts/requirements-test.txt "$stamp"
fi

# 2. The interpreters and toolchains of the runtimes the tests run (a JDK is on the machine already): Ruby, Go and
#    Maven from Debian's packages, installed when missing (CI runs as root).
#    Maven builds the Java fixture offline from Debian's packaged plugins (the fixture's .mvn/maven.config points
#    at /usr/share/maven-repo; junit5 because Debian's compiler plugin imports its BOM).
missing=()
command -v ruby >/dev/null 2>&1 || missing+=(ruby)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v strace >/dev/null 2>&1 || missing+=(strace)  # shows how the credential cache file is created
[ -d /usr/share/maven-repo/org/apache/maven/plugins/maven-compiler-plugin/3.10.1 ] ||
  missing+=(libmaven-compiler-plugin-java libmaven-jar-plugin-java libmaven-resources-plugin-java junit5)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 3. The binary the end-to-end tests run.
echo "==> swift build"
set +o pipefail
swift build --build-tests 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Wrapping|Write|Linking|Merging|Applying)'
status=${PIPESTATUS[0]}
set -o pipefail
[ "$status" -eq 0 ] || { echo "swift build failed (exit $status)" >&2; exit "$status"; }

# 4. The tests. They find .venv, the binary and ../shared/conformance through these variables.
export STANDIN_VENV="$root/.venv"
export STANDIN_BIN="$root/.build/debug/standin"
export STANDIN_PACKAGE_ROOT="$root"
echo "==> swift test"
# One suite at a time: the end-to-end suites start JVMs, compilers and servers, and on a 2-core machine running them
# side by side starves the time-limited ones (the whole run takes about 4 minutes either way).
swift test --skip-build --no-parallel "$@"

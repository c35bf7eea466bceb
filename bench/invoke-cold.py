#!/usr/bin/env python3
"""Cold `standin invoke` of a trivial Python function, against the floor measured in the same run.

The floor is what a cold invoke cannot beat: the same interpreter importing the handler and calling it,
`python3 -c 'import handler; handler.handler({}, None)'`. Runs alternate between the two commands so that
noise from other work on the machine hits both alike; the figure is the ratio of the medians.

Usage: bench/invoke-cold.py [--runs N] [--standin PATH]
  (default: .build/release/standin, built with --static-swift-stdlib if missing: a statically linked Swift runtime
  starts in about half the time of the shared libraries)
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--runs", type=int, default=40)
parser.add_argument("--standin", default=os.path.join(root, ".build/release/standin"))
args = parser.parse_args()

if not os.path.exists(args.standin):
    print("building standin (release)...", file=sys.stderr)
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "standin"],
                   cwd=root, check=True)

# The real interpreter (not a version manager's shim), in the version the template names.
python = subprocess.run(["python3", "-c", "import sys; print(sys.executable)"],
                        capture_output=True, text=True, check=True).stdout.strip()
version = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                         capture_output=True, text=True, check=True).stdout.strip()

work = tempfile.mkdtemp(prefix="standin-bench-")
os.makedirs(os.path.join(work, "src"))
with open(os.path.join(work, "src", "handler.py"), "w") as f:
    f.write("def handler(event, context):\n    return {'ok': True}\n")
with open(os.path.join(work, "template.yaml"), "w") as f:
    f.write(f"""Transform: AWS::Serverless-2016-10-31
Resources:
  Bench:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python{version}
      Handler: handler.handler
      CodeUri: src
      Role: arn:aws:iam::123456789012:role/unused
""")

env = dict(os.environ)
env["PATH"] = os.path.dirname(python) + os.pathsep + env.get("PATH", "")
floor_cmd = [python, "-c", "import handler; handler.handler({}, None)"]
standin_cmd = [args.standin, "invoke", "Bench", "-d", "{}", "--no-assume-role"]
# A developer's machine has credentials; static ones keep the network out of the measurement.
env_standin = dict(env, AWS_ACCESS_KEY_ID="AKIDBENCHMARK", AWS_SECRET_ACCESS_KEY="bench-secret")


def timed(cmd, cwd, env):
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed with {done.returncode}")
    return elapsed * 1000


for _ in range(3):  # warm the page cache and standin's own caches (runtime clients, interpreter look-up)
    timed(floor_cmd, os.path.join(work, "src"), env)
    timed(standin_cmd, work, env_standin)

floor, standin = [], []
for _ in range(args.runs):
    floor.append(timed(floor_cmd, os.path.join(work, "src"), env))
    standin.append(timed(standin_cmd, work, env_standin))

f50, s50 = statistics.median(floor), statistics.median(standin)
print(f"interpreter: {python} ({version}), runs: {args.runs}")
print(f"floor   python -c 'import handler; handler.handler({{}}, None)'  median {f50:7.2f} ms  "
      f"p90 {statistics.quantiles(floor, n=10)[-1]:7.2f} ms")
print(f"standin invoke (cold, new process each time)               median {s50:7.2f} ms  "
      f"p90 {statistics.quantiles(standin, n=10)[-1]:7.2f} ms")
print(f"ratio standin / floor: {s50 / f50:.2f}x   (aim: <= 1.30x)")
shutil.rmtree(work, ignore_errors=True)

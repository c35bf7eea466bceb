#!/usr/bin/env python3
"""Cold `standin invoke` of a trivial function in each runtime, against that runtime's floor measured in the same run.

The floor is what a cold invoke cannot beat: the same interpreter or JVM loading the handler and calling it once,
in a new process, with nothing of standin around it:

  python    python3 -c 'import handler; handler.handler({}, None)'
  node      node -e "require('./handler.js').handler({}, null)"
  java      java <standin's JVM options> -cp classes BenchFloor     (BenchFloor.main calls the handler once)
  ruby      ruby -e "require './handler'; handler(event: {}, context: nil)"
  provided  ./bootstrap --once                                       (the Go bootstrap calls its handler once)

Runs alternate between the two commands so that noise from other work on the machine hits both alike; the figure is
the ratio of the medians. A runtime whose toolchain is missing is skipped with a note. Exit status 1 when a ratio
misses its aim (a benchmark, not a test: CI does not run it).

With --breakdown, each runtime's cold invoke is also run under strace (with a seccomp filter, so that only the
process, listen, accept, kill and exit calls stop) and split into its phases, by the moments those calls mark:

  start-up+project   standin's exec to its Runtime API listening (loading the binary, parsing arguments, the
                     template, environment and credentials, the server); `standin --version`, timed alone without
                     strace, is the start-up part
  spawn              listening to the interpreter's exec (the process, its group and its watchdog)
  runtime init       the interpreter's exec to its first connection to the Runtime API (interpreter start,
                     runtime client and handler import)
  invocation         that connection to standin's first signal to the instance (event, handler, answer, output)
  shutdown           that signal to standin's exit

Tracing still costs a little at each process and thread start; the ratio above is measured without it.

Usage: bench/invoke-cold.py [--runs N] [--runtimes python,node,java,ruby,provided] [--standin PATH] [--breakdown]
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
parser.add_argument("--runtimes", default="python,node,java,ruby,provided")
parser.add_argument("--standin", default=os.path.join(root, ".build/release/standin"))
parser.add_argument("--breakdown", action="store_true", help="split each cold invoke into phases (needs strace)")
args = parser.parse_args()
args.standin = os.path.abspath(args.standin)

AIMS = {"python": 1.10, "node": 1.20, "java": 1.20, "ruby": 1.20, "provided": 1.20}
# The JVM options standin starts Java functions with (LaunchPlan.javaOptions): the floor uses the same.
JAVA_OPTIONS = ["-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]

if not os.path.exists(args.standin):
    print("building standin (release)...", file=sys.stderr)
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "standin"],
                   cwd=root, check=True)


def real_executable(name, query):
    """The real interpreter behind `name` (not a version manager's shim), and its version; None when missing."""
    if shutil.which(name) is None:
        return None
    done = subprocess.run([name] + query, capture_output=True, text=True)
    if done.returncode != 0:
        return None
    lines = done.stdout.split()
    return lines[0], lines[1]


def write(path, text, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if mode:
        os.chmod(path, mode)


def template(runtime, handler):
    return f"""Transform: AWS::Serverless-2016-10-31
Resources:
  Bench:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: {runtime}
      Handler: {handler}
      CodeUri: src
      MemorySize: 512
      Role: arn:aws:iam::123456789012:role/unused
"""


GO_BOOTSTRAP = r'''package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
)

func handler(event []byte) []byte { return []byte(`{"ok":true}`) }

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--once" {
		os.Stdout.Write(handler([]byte("{}")))
		return
	}
	base := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/"
	for {
		resp, err := http.Get(base + "next")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		event, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
		r, err := http.Post(base+id+"/response", "application/json", bytes.NewReader(handler(event)))
		if err == nil {
			r.Body.Close()
		}
	}
}
'''


def prepare(runtime, work):
    """Writes the function for `runtime` into `work`; returns (floor command, its cwd, label, env) or a skip reason."""
    src = os.path.join(work, "src")
    if runtime == "python":
        found = real_executable("python3", ["-c", "import sys; print(sys.executable); print('%d.%d' % sys.version_info[:2])"])
        if not found:
            return "python3 not found"
        python, version = found
        write(os.path.join(src, "handler.py"), "def handler(event, context):\n    return {'ok': True}\n")
        write(os.path.join(work, "template.yaml"), template(f"python{version}", "handler.handler"))
        return [python, "-c", "import handler; handler.handler({}, None)"], src, f"{python} ({version})", os.path.dirname(python)
    if runtime == "node":
        found = real_executable("node", ["-e", "console.log(process.execPath); console.log(process.versions.node)"])
        if not found:
            return "node not found"
        node, version = found
        write(os.path.join(src, "handler.js"), "exports.handler = async () => ({ ok: true });\n")
        write(os.path.join(work, "template.yaml"), template(f"nodejs{version.split('.')[0]}.x", "handler.handler"))
        return [node, "-e", "require('./handler.js').handler({}, null)"], src, f"{node} ({version})", os.path.dirname(node)
    if runtime == "java":
        if shutil.which("javac") is None or shutil.which("java") is None:
            return "no JDK (javac) on PATH"
        version = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.split('"')[1]
        major = version.split(".")[1] if version.startswith("1.") else version.split(".")[0]
        write(os.path.join(work, "java", "Handler.java"),
              "public class Handler {\n  public String handleRequest(Object event) { return \"ok\"; }\n}\n")
        write(os.path.join(work, "java", "BenchFloor.java"),
              "public class BenchFloor {\n  public static void main(String[] a) {\n"
              "    System.out.print(new Handler().handleRequest(null));\n  }\n}\n")
        subprocess.run(["javac", "-d", src] + [os.path.join(work, "java", f) for f in ("Handler.java", "BenchFloor.java")],
                       check=True)
        write(os.path.join(work, "template.yaml"), template(f"java{major}", "Handler::handleRequest"))
        return ["java"] + JAVA_OPTIONS + ["-cp", src, "BenchFloor"], src, f"java {version}", None
    if runtime == "ruby":
        found = real_executable("ruby", ["-e", "puts RbConfig.ruby; puts RUBY_VERSION.split('.')[0, 2].join('.')"])
        if not found:
            return "ruby not found"
        ruby, version = found
        write(os.path.join(src, "handler.rb"), "def handler(event:, context:)\n  { ok: true }\nend\n")
        # Lambda's oldest Ruby is 3.2; an older local Ruby stands in for it (standin warns once).
        lambda_version = version if version in ("3.2", "3.3", "3.4") else "3.3"
        write(os.path.join(work, "template.yaml"), template(f"ruby{lambda_version}", "handler.handler"))
        return [ruby, "-e", "require './handler'; handler(event: {}, context: nil)"], src, f"{ruby} ({version})", None
    if runtime == "provided":
        if shutil.which("go") is None:
            return "go not found (the provided bootstrap is a Go program)"
        write(os.path.join(work, "go", "main.go"), GO_BOOTSTRAP)
        write(os.path.join(work, "go", "go.mod"), "module bench\n\ngo 1.19\n")
        os.makedirs(src, exist_ok=True)
        subprocess.run(["go", "build", "-o", os.path.join(src, "bootstrap"), "."], cwd=os.path.join(work, "go"),
                       check=True, env=dict(os.environ, CGO_ENABLED="0", GOTOOLCHAIN="local"))
        write(os.path.join(work, "template.yaml"), template("provided.al2023", "bootstrap"))
        return [os.path.join(src, "bootstrap"), "--once"], src, "a Go bootstrap", None
    return f"unknown runtime {runtime}"


def timed(cmd, cwd, env):
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed with {done.returncode}")
    return elapsed * 1000


PHASES = ["start-up+project", "spawn", "runtime init", "invocation", "shutdown"]


def breakdown(cmd, cwd, env, runs):
    """Median milliseconds of each phase of `cmd` (a cold standin invoke) over `runs` runs under strace."""
    samples = {phase: [] for phase in PHASES}
    with tempfile.TemporaryDirectory() as scratch:
        trace = os.path.join(scratch, "trace")
        for _ in range(runs):
            subprocess.run(["strace", "-f", "--seccomp-bpf", "-ttt", "-qq", "-o", trace,
                            "-e", "trace=execve,listen,accept4,kill,exit_group"] + cmd,
                           cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            marks = phase_marks(open(trace).read().splitlines())
            if marks is None:
                sys.exit("the trace of a cold invoke lacks a phase mark; is strace allowed here (ptrace)?")
            for phase, start, end in zip(PHASES, marks, marks[1:]):
                samples[phase].append((end - start) * 1000)
    return {phase: statistics.median(values) for phase, values in samples.items()}


def phase_marks(lines):
    """The six moments that bound the phases, from strace -f -ttt lines (`PID SECONDS call(...) = result`)."""
    events = []
    for line in lines:
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[0].isdigit():
            events.append((int(parts[0]), float(parts[1]), parts[2]))
    if not events:
        return None
    main, started = events[0][0], events[0][1]  # standin's own exec
    marks = [started]

    def first(after, test):
        for pid, when, call in events:
            if when >= after and test(pid, call):
                return when
        return None

    # (Threads show under their own ids, so only the interpreter's exec is told apart by process.)
    steps = [
        lambda pid, call: call.startswith("listen("),
        lambda pid, call: pid != main and call.startswith("execve(") and not call.startswith('execve("/bin/sh"'),
        lambda pid, call: call.startswith("accept4(") and "= -1" not in call,
        lambda pid, call: call.startswith("kill("),
    ]
    for step in steps:
        mark = first(marks[-1], step)
        if mark is None:
            return None
        marks.append(mark)
    # standin exits last: it reaps its functions first.
    exits = [when for _, when, call in events if call.startswith("exit_group(")]
    if not exits or exits[-1] < marks[-1]:
        return None
    return marks + [exits[-1]]


missed = []
for runtime in [r.strip() for r in args.runtimes.split(",") if r.strip()]:
    work = tempfile.mkdtemp(prefix=f"standin-bench-{runtime}-")
    prepared = prepare(runtime, work)
    if isinstance(prepared, str):
        print(f"{runtime:9} skipped: {prepared}")
        shutil.rmtree(work, ignore_errors=True)
        continue
    floor_cmd, floor_cwd, label, bin_dir = prepared
    env = dict(os.environ)
    if bin_dir:
        env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    standin_cmd = [args.standin, "invoke", "Bench", "-d", "{}", "--no-assume-role"]
    # A developer's machine has credentials; static ones keep the network out of the measurement.
    env_standin = dict(env, AWS_ACCESS_KEY_ID="AKIDBENCHMARK", AWS_SECRET_ACCESS_KEY="bench-secret")
    for _ in range(3):  # warm the page cache and standin's own caches (clients, the compiled Java client)
        timed(floor_cmd, floor_cwd, env)
        timed(standin_cmd, work, env_standin)
    floor, standin = [], []
    for _ in range(args.runs):
        floor.append(timed(floor_cmd, floor_cwd, env))
        standin.append(timed(standin_cmd, work, env_standin))
    f50, s50 = statistics.median(floor), statistics.median(standin)
    ratio = s50 / f50
    aim = AIMS[runtime]
    print(f"{runtime:9} {label}, runs: {args.runs}")
    print(f"{'':9} floor   median {f50:8.2f} ms  p90 {statistics.quantiles(floor, n=10)[-1]:8.2f} ms")
    print(f"{'':9} standin median {s50:8.2f} ms  p90 {statistics.quantiles(standin, n=10)[-1]:8.2f} ms")
    print(f"{'':9} ratio {ratio:.2f}x (aim <= {aim:.2f}x){'' if ratio <= aim else '  MISSED'}")
    if ratio > aim:
        missed.append(runtime)
    if args.breakdown:
        if shutil.which("strace") is None:
            print(f"{'':9} breakdown skipped: strace not found")
        else:
            phases = breakdown(standin_cmd, work, env_standin, min(args.runs, 15))
            startup = statistics.median(timed([args.standin, "--version"], work, env) for _ in range(15))
            print(f"{'':9} phases under strace (median ms): "
                  + ", ".join(f"{phase} {value:.1f}" for phase, value in phases.items())
                  + f"; sum {sum(phases.values()):.1f}; standin --version alone {startup:.1f}")
    shutil.rmtree(work, ignore_errors=True)

sys.exit(1 if missed else 0)

#!/usr/bin/env python3
"""Bounded soak test of `standin start-api` and `standin start-lambda`, on loopback.

Writes a SAM template with five Python functions, each behind an HTTP API route (/http/NAME, payload 2.0) and a REST
route (/rest/NAME, payload 1.0), starts both servers on the same template, and loads them with a mix of requests:

  ok        returns 200 JSON                               api: 200                lambda: 200
  crash     os._exit(1) or raises (half each)              api: 500 HTTP, 502 REST lambda: 200 + X-Amz-Function-Error
  hang      sleeps past its Timeout (1 s)                  as crash
  big       returns ~7 MB (over Lambda's 6 MB limit)       as crash
  spawn     starts `sleep 600` in a new session, returns   api: 200                lambda: 200
  oversized POST of 11 MB to start-api (over API Gateway's 10 MB), 7 MB to start-lambda (over 6 MB): 413

Aims: every request answered (none lost), every answer the expected one; RSS and open descriptors of each server
measured after warm-up, after the load and after the idle instances have stopped (--settle); after SIGTERM both
servers exit 0 within --stop-timeout and no process of this run is left (the functions, and the `sleep 600`
grandchildren that left their process group). Leftovers are counted, then killed.

Usage: python3 bench/soak.py [--duration 30] [--max-requests 20000] [--concurrency 16] [--settle 15] [--json]
                             [--standin PATH] [--keep]
Builds `standin` in release (`swift build -c release --static-swift-stdlib --product standin`) unless --standin
is given.
Exit status 1 when a request was lost or answered unexpectedly, a server exited non-zero, or a process was left.
Only python3's standard library is needed.
"""

import argparse
import atexit
import collections
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FUNCTIONS = ("ok", "crash", "hang", "big", "spawn")

HANDLERS = {
    "ok": "import json\n\ndef handler(event, context):\n"
          "    return {'statusCode': 200, 'headers': {'Content-Type': 'application/json'},\n"
          "            'body': json.dumps({'ok': True})}\n",
    "crash": "import os\n\ndef mode(event):\n"
             "    return (event.get('queryStringParameters') or {}).get('mode') or event.get('mode')\n\n"
             "def handler(event, context):\n"
             "    if mode(event) == 'exit':\n        os._exit(1)\n"
             "    raise RuntimeError('crash on purpose')\n",
    "hang": "import time\n\ndef handler(event, context):\n    time.sleep(30)\n    return {'statusCode': 200}\n",
    "big": "BODY = 'x' * (7 * 1024 * 1024)\n\ndef handler(event, context):\n"
           "    return {'statusCode': 200, 'body': BODY}\n",
    "spawn": "import subprocess\n\ndef handler(event, context):\n"
             "    child = subprocess.Popen(['sleep', '600'], start_new_session=True)\n"
             "    return {'statusCode': 200, 'body': str(child.pid)}\n",
}

# (request kind, weight): what a worker sends, drawn at random.
MIX = [("ok", 70), ("crash", 10), ("hang", 4), ("big", 4), ("spawn", 4), ("oversized", 3)]
API_BIG_BODY = b"x" * (11 * 1024 * 1024)
LAMBDA_BIG_BODY = b'"' + b"x" * (7 * 1024 * 1024) + b'"'


def log(text):
    print(text, file=sys.stderr, flush=True)


def template(runtime, marker):
    text = ("Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n"
            f"    Runtime: {runtime}\n    Handler: app.handler\n    MemorySize: 128\n    Timeout: 5\n"
            f"    Environment:\n      Variables:\n        SOAK_MARKER: {marker}\nResources:\n")
    for name in FUNCTIONS:
        text += (f"  {name.capitalize()}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                 f"      CodeUri: {name}/\n" + ("      Timeout: 1\n" if name == "hang" else "") +
                 f"      Events:\n        Http:\n          Type: HttpApi\n          Properties:\n"
                 f"            Path: /http/{name}\n            Method: any\n"
                 f"        Rest:\n          Type: Api\n          Properties:\n"
                 f"            Path: /rest/{name}\n            Method: any\n")
    return text


def python_runtime():
    out = subprocess.run(["python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    return f"python{out}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_standin():
    log("building standin in release (swift build -c release --static-swift-stdlib --product standin) ...")
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "standin"],
                   cwd=ROOT, check=True, timeout=3600)
    return os.path.join(ROOT, ".build", "release", "standin")


def proc_read(pid, name):
    try:
        with open(f"/proc/{pid}/{name}", "rb") as f:
            return f.read()
    except OSError:
        return None


def live_processes():
    """{pid: (ppid, environ, cmdline)} of every live (not zombie) process but this one."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        stat = proc_read(entry, "stat")
        if not stat:
            continue
        fields = stat.rsplit(b")", 1)[1].split()
        if fields[0] in (b"Z", b"X"):
            continue
        found[int(entry)] = (int(fields[1]), proc_read(entry, "environ") or b"", proc_read(entry, "cmdline") or b"")
    return found


def run_processes(marker, work, exclude=()):
    """Processes of this run: the marker in their environment, or the work folder in their command line."""
    needle, folder = f"SOAK_MARKER={marker}".encode(), work.encode()
    return {pid: cmd.replace(b"\0", b" ").decode(errors="replace").strip()
            for pid, (_, env, cmd) in live_processes().items()
            if pid not in exclude and (needle in env or folder in cmd)}


def descendants(pid):
    children = collections.defaultdict(list)
    for child, (parent, _, _) in live_processes().items():
        children[parent].append(child)
    out, todo = 0, list(children[pid])
    while todo:
        out += 1
        todo.extend(children[todo.pop()])
    return out


class Server:
    def __init__(self, name, standin, command, work, port, idle_timeout):
        self.name, self.port = name, port
        self.stderr_path = os.path.join(work, f"{name}.stderr")
        env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDSOAK", AWS_SECRET_ACCESS_KEY="soak-secret",
                   AWS_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
        argv = [standin, command, "--port", str(port), "--template", os.path.join(work, "template.yaml"),
                "--no-assume-role", "--region", "us-east-1", "--idle-timeout", str(idle_timeout)]
        with open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(argv, cwd=work, env=env, stdin=subprocess.DEVNULL,
                                            stdout=err, stderr=err, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{name} exited with {self.process.returncode}:\n{self.tail()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.process.kill()
        raise SystemExit(f"{name}: nothing listens on 127.0.0.1:{port} after 60 s\n{self.tail()}")

    def sample(self):
        """VmRSS (kB), open descriptors and live descendants (function processes) of the server."""
        pid = self.process.pid
        status = (proc_read(pid, "status") or b"").decode()
        rss = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), None)
        return {"rss_kb": rss, "fds": len(os.listdir(f"/proc/{pid}/fd")), "descendants": descendants(pid)}

    def terminate(self):
        self.signalled = time.monotonic()
        self.process.send_signal(signal.SIGTERM)

    def stop(self, timeout):
        """Waits up to `timeout` after terminate(); SIGKILL (its group) past that. (exit code or None, seconds)."""
        start = self.signalled
        try:
            code = self.process.wait(timeout=max(0.1, start + timeout - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            code = None
        return code, time.monotonic() - start

    def tail(self, n=3000):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")[-n:]


def request_plan(kind, target, rng):
    """(method, path, body, expected outcome) for one request of `kind` to `target` ('http', 'rest', 'lambda')."""
    fault = {"http": "500", "rest": "502", "lambda": "200 Unhandled"}[target]
    mode = rng.choice(("exit", "raise")) if kind == "crash" else None
    function = "ok" if kind == "oversized" else kind
    expected = {"ok": "200", "spawn": "200", "oversized": "413"}.get(kind, fault)
    if target == "lambda":
        body = LAMBDA_BIG_BODY if kind == "oversized" else json.dumps({"mode": mode}).encode()
        return "POST", f"/2015-03-31/functions/{function.capitalize()}/invocations", body, expected
    path = f"/{target}/{function}" + (f"?mode={mode}" if mode else "")
    if kind == "oversized":
        return "POST", path, API_BIG_BODY, expected
    return "GET", path, None, expected


def send(conns, port, method, path, body, timeout):
    """One request on this worker's keep-alive connection to `port`: (outcome, latency ms), outcome None if lost."""
    conn = conns.get(port) or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conns[port] = conn
    start = time.perf_counter()
    send_error = None
    try:
        try:
            conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
        except (BrokenPipeError, ConnectionResetError) as error:
            send_error = error  # the server may answer (413) before it reads the whole body; look for the answer
        reply = conn.getresponse()
        data = reply.read()
    except (OSError, http.client.HTTPException) as error:
        conn.close()
        del conns[port]
        return None, type(send_error or error).__name__, (time.perf_counter() - start) * 1000
    elapsed = (time.perf_counter() - start) * 1000
    outcome = str(reply.status)
    if reply.getheader("X-Amz-Function-Error"):
        try:
            error_type = json.loads(data).get("errorType", "?")
        except ValueError:
            error_type = "?"
        outcome += f" {reply.getheader('X-Amz-Function-Error')}"
        return outcome, f"{outcome} ({error_type})", elapsed
    if reply.getheader("x-amzn-ErrorType"):
        return outcome, f"{outcome} {reply.getheader('x-amzn-ErrorType')}", elapsed
    return outcome, outcome, elapsed


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.started = 0
        self.rows = collections.defaultdict(lambda: {"sent": 0, "answered": 0, "lost": 0, "unexpected": 0,
                                                      "outcomes": collections.Counter()})
        self.ok_latency = collections.defaultdict(list)

    def record(self, key, expected, outcome, detail, ms):
        with self.lock:
            row = self.rows[key]
            row["sent"] += 1
            row["outcomes"][detail if outcome else f"lost: {detail}"] += 1
            if outcome is None:
                row["lost"] += 1
                return
            row["answered"] += 1
            if outcome != expected:
                row["unexpected"] += 1
            elif key[1] == "ok":
                self.ok_latency[key[0]].append(ms)


def load(args, ports, tally, deadline):
    kinds, weights = zip(*MIX)

    def worker(index):
        rng, conns = random.Random(args.seed * 1000 + index), {}
        while time.monotonic() < deadline:
            with tally.lock:
                if tally.started >= args.max_requests:
                    break
                tally.started += 1
            kind = rng.choices(kinds, weights)[0]
            target = rng.choice(("http", "rest", "lambda", "lambda"))
            method, path, body, expected = request_plan(kind, target, rng)
            port = ports["lambda" if target == "lambda" else "api"]
            outcome, detail, ms = send(conns, port, method, path, body, args.request_timeout)
            tally.record((target, kind), expected, outcome, detail, ms)
        for conn in conns.values():
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def percentile(values, p):
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) >= 2 else float("nan")


def print_summary(s):
    t = s["totals"]
    print(f"\nsoak: {s['duration_s']:.1f} s of load, {s['concurrency']} workers, standin {s['standin']}")
    print(f"requests: sent {t['sent']}, answered {t['answered']}, lost {t['lost']}, unexpected {t['unexpected']}"
          f"  ({t['sent'] / max(s['duration_s'], 0.001):.0f} req/s)\n")
    print(f"{'target':<7} {'kind':<10} {'sent':>6} {'answ':>6} {'lost':>5} {'unexp':>5}  outcomes")
    for row in s["requests"]:
        outcomes = ", ".join(f"{k}: {v}" for k, v in sorted(row["outcomes"].items()))
        print(f"{row['target']:<7} {row['kind']:<10} {row['sent']:>6} {row['answered']:>6} {row['lost']:>5} "
              f"{row['unexpected']:>5}  {outcomes}")
    print("\nlatency of answered `ok` requests (ms):")
    for target, lat in s["ok_latency_ms"].items():
        print(f"  {target:<7} n={lat['n']:<6} p50 {lat['p50']:8.2f}  p99 {lat['p99']:8.2f}  max {lat['max']:8.2f}")
    print(f"\n{'server':<13} {'RSS MB before/after/settled':>30} {'fds before/after/settled':>26} "
          f"{'children b/a/s':>15} {'exit':>5} {'stop s':>7}")
    for name, srv in s["servers"].items():
        samples = [srv[k] for k in ("before", "after", "settled")]
        rss = "/".join("-" if x.get("rss_kb") is None else f"{x['rss_kb'] / 1024:.1f}" for x in samples)
        fds = "/".join(str(x.get("fds", "-")) for x in samples)
        kids = "/".join(str(x.get("descendants", "-")) for x in samples)
        print(f"{name:<13} {rss:>30} {fds:>26} {kids:>15} {str(srv['exit_code']):>5} {srv['stop_s']:>7.2f}")
    print(f"\nprocesses of this run alive: right after the load {s['run_processes_after_load']}, settled "
          f"{s['run_processes_settled']} {s['settled_commands'] or ''}, at SIGTERM {s['run_processes_at_sigterm']}, "
          f"left after both servers exited: "
          f"{s['processes_left']}")
    for pid, cmd in list(s["leftovers"].items())[:10]:
        print(f"  {pid} {cmd[:120]}")
    print("result: " + ("PASS" if s["pass"] else "FAIL: " + "; ".join(s["failures"])))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=30, help="seconds of load (default 30)")
    parser.add_argument("--max-requests", type=int, default=20000, help="stop after this many (default 20000)")
    parser.add_argument("--concurrency", type=int, default=16, help="worker threads (default 16)")
    parser.add_argument("--request-timeout", type=float, default=30, help="seconds before a request is lost")
    parser.add_argument("--idle-timeout", type=int, default=10, help="the servers' --idle-timeout (default 10)")
    parser.add_argument("--settle", type=float, default=15, help="seconds idle after the load before the last "
                        "sample, for idle instances to stop (default 15; 0: no wait)")
    parser.add_argument("--stop-timeout", type=float, default=30, help="seconds allowed for each server to exit")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (template, servers' stderr)")
    parser.add_argument("--standin", help="the standin binary (default: build release)")
    args = parser.parse_args()
    standin = os.path.abspath(args.standin) if args.standin else build_standin()

    work = tempfile.mkdtemp(prefix="standin-soak-")
    marker = f"soak-{uuid.uuid4().hex}"
    with open(os.path.join(work, "template.yaml"), "w") as f:
        f.write(template(python_runtime(), marker))
    for name, code in HANDLERS.items():
        os.makedirs(os.path.join(work, name))
        with open(os.path.join(work, name, "app.py"), "w") as f:
            f.write(code)

    servers = {}
    try:
        servers["start-api"] = Server("start-api", standin, "start-api", work, free_port(), args.idle_timeout)
        servers["start-lambda"] = Server("start-lambda", standin, "start-lambda", work, free_port(), args.idle_timeout)
    except BaseException:
        for server in servers.values():
            server.terminate()
            server.stop(args.stop_timeout)
        raise
    # An interrupted run (Ctrl-C, an exception) must not leave the servers running: they are in their own session.
    atexit.register(lambda: [s.process.kill() for s in servers.values() if s.process.poll() is None])
    ports = {"api": servers["start-api"].port, "lambda": servers["start-lambda"].port}
    server_pids = {s.process.pid for s in servers.values()}
    log(f"work folder {work}; start-api on {ports['api']}, start-lambda on {ports['lambda']}")

    def touch(kind):
        """One request of `kind` on each route, outside the tally."""
        conns = {}
        for target in ("http", "rest", "lambda"):
            method, path, body, expected = request_plan(kind, target, random.Random(0))
            outcome, detail, _ = send(conns, ports["lambda" if target == "lambda" else "api"], method, path, body, 60)
            if outcome != expected:
                log(f"warning: {kind} {target} {path} answered {detail}")
        for conn in conns.values():
            conn.close()

    touch("ok")  # warm-up, so that the first sample is of a warm server
    samples = {name: {"before": s.sample()} for name, s in servers.items()}

    tally = Tally()
    log(f"load: {args.duration:g} s, at most {args.max_requests} requests, {args.concurrency} workers ...")
    start = time.monotonic()
    load(args, ports, tally, start + args.duration)
    elapsed = time.monotonic() - start
    for name, s in servers.items():
        samples[name]["after"] = s.sample()
    during = len(run_processes(marker, work, exclude=server_pids))
    if args.settle > 0:
        log(f"settling {args.settle:g} s (idle instances stop after {args.idle_timeout} s) ...")
        time.sleep(args.settle)
    for name, s in servers.items():
        samples[name]["settled"] = s.sample()
    settled = run_processes(marker, work, exclude=server_pids)
    touch("spawn")  # instances and escaped grandchildren alive at SIGTERM, whatever --settle did
    at_stop = len(run_processes(marker, work, exclude=server_pids))

    log("stopping the servers (SIGTERM) ...")
    for name, s in servers.items():
        s.terminate()
    for name, s in servers.items():
        samples[name]["exit_code"], samples[name]["stop_s"] = s.stop(args.stop_timeout)
    time.sleep(0.5)  # let killed processes be reaped before counting
    leftovers = run_processes(marker, work)
    for pid in leftovers:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:  # gone meanwhile
            pass

    rows, totals = [], collections.Counter()
    for (target, kind), row in sorted(tally.rows.items()):
        rows.append(dict(target=target, kind=kind, **{k: row[k] for k in ("sent", "answered", "lost", "unexpected")},
                         outcomes=dict(row["outcomes"])))
        totals.update({k: row[k] for k in ("sent", "answered", "lost", "unexpected")})
    latency = {t: {"n": len(v), "p50": percentile(v, 50), "p99": percentile(v, 99), "max": max(v, default=0)}
               for t, v in sorted(tally.ok_latency.items())}
    failures = [f"{totals[k]} requests {k}" for k in ("lost", "unexpected") if totals[k]]
    failures += [f"{n} exit code {srv['exit_code']}" for n, srv in samples.items() if srv["exit_code"] != 0]
    failures += [f"{len(leftovers)} processes left"] if leftovers else []
    summary = {"standin": standin, "duration_s": elapsed, "concurrency": args.concurrency,
               "totals": {k: totals[k] for k in ("sent", "answered", "lost", "unexpected")}, "requests": rows,
               "ok_latency_ms": latency, "servers": samples, "run_processes_after_load": during,
               "run_processes_settled": len(settled),
               "run_processes_at_sigterm": at_stop, "settled_commands": dict(collections.Counter(settled.values())),
               "processes_left": len(leftovers), "leftovers": leftovers, "pass": not failures, "failures": failures}
    if failures:
        for name, s in servers.items():
            log(f"--- {name} stderr (tail) ---\n{s.tail()}")
    if args.keep:
        log(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print_summary(summary)
    sys.exit(0 if not failures else 1)


if __name__ == "__main__":
    main()

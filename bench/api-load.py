#!/usr/bin/env python3
"""Load benchmark of `standin start-api` against a floor measured in the same run.

Three servers answer the same response bytes (`{"message":"hello"}` as application/json) on loopback:

  floor   `standin bench-floor`: a bare Hummingbird 2 server, no function behind it
  python  `standin start-api` with a warm Python function (HTTP API, payload 2.0)
  native  `standin start-api` with a `provided.al2023` function: a tiny C `bootstrap`, compiled here with cc, that
          runs the Runtime API loop over one raw keep-alive socket with TCP_NODELAY

Each is loaded with wrk (installed with apt-get when missing and running as root; otherwise a small Python
keep-alive load generator stands in) for a bounded time, twice: with --connections (throughput) and with one
connection (latency without queueing; at N connections p50 is mostly N / throughput). Prints requests/s, p50 and p99
for each, the overhead over the floor at p50 in ms, and each function's requests/s as a percentage of the floor's.
Aims: overhead over the floor <= 0.3 ms at p50; native >= 50% of the floor's requests/s.

Usage: python3 bench/api-load.py [--duration 10] [--connections 10] [--standin PATH] [--max-instances 10]
Builds `standin` in release (`swift build -c release --product standin`) unless --standin is given.
Only python3's standard library is needed.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BODY = '{"message":"hello"}'

BOOTSTRAP_C = r"""
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *RESPONSE =
    "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"application/json\"},"
    "\"body\":\"{\\\"message\\\":\\\"hello\\\"}\"}";

static char buf[1 << 20];
static size_t have = 0;

static int connect_api(const char *api) {
    char host[256];
    const char *colon = strrchr(api, ':');
    if (!colon) return -1;
    size_t n = (size_t)(colon - api);
    if (n >= sizeof host) return -1;
    memcpy(host, api, n);
    host[n] = 0;
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)atoi(colon + 1));
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { close(fd); return -1; }
    have = 0;
    return fd;
}

static int write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w <= 0) return -1;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Reads one response; copies the request id header (if any) into id; returns the body length or -1. */
static long read_response(int fd, char *id, size_t idlen) {
    char *end;
    for (;;) {
        buf[have] = 0;
        end = strstr(buf, "\r\n\r\n");
        if (end) break;
        if (have >= sizeof buf - 1) return -1;
        ssize_t r = read(fd, buf + have, sizeof buf - 1 - have);
        if (r <= 0) return -1;
        have += (size_t)r;
    }
    size_t head = (size_t)(end - buf) + 4;
    long length = 0;
    for (char *line = strstr(buf, "\r\n") + 2; line < end; line = strstr(line, "\r\n") + 2) {
        if (strncasecmp(line, "Content-Length:", 15) == 0) length = atol(line + 15);
        if (id && strncasecmp(line, "Lambda-Runtime-Aws-Request-Id:", 30) == 0) {
            char *v = line + 30;
            while (*v == ' ') v++;
            size_t k = 0;
            while (v[k] != '\r' && k + 1 < idlen) { id[k] = v[k]; k++; }
            id[k] = 0;
        }
    }
    while (have < head + (size_t)length) {
        if (have >= sizeof buf - 1) return -1;
        ssize_t r = read(fd, buf + have, sizeof buf - 1 - have);
        if (r <= 0) return -1;
        have += (size_t)r;
    }
    size_t used = head + (size_t)length;
    memmove(buf, buf + used, have - used);
    have -= used;
    return length;
}

int main(void) {
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!api) { fprintf(stderr, "AWS_LAMBDA_RUNTIME_API is not set\n"); return 1; }
    char request[512], id[128];
    size_t rlen = strlen(RESPONSE);
    int fd = connect_api(api);
    if (fd < 0) { fprintf(stderr, "cannot connect to %s\n", api); return 1; }
    for (;;) {
        int n = snprintf(request, sizeof request,
            "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n", api);
        id[0] = 0;
        if (write_all(fd, request, (size_t)n) != 0 || read_response(fd, id, sizeof id) < 0 || !id[0]) return 1;
        char post[1024];
        n = snprintf(post, sizeof post,
            "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\n"
            "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", id, api, rlen, RESPONSE);
        if (write_all(fd, post, (size_t)n) != 0 || read_response(fd, NULL, 0) < 0) return 1;
    }
}
"""

PYTHON_HANDLER = """import json

BODY = json.dumps({"message": "hello"}, separators=(",", ":"))


def handler(event, context):
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": BODY}
"""

TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  Python:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: python/
      MemorySize: 128
      Timeout: 10
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /python
            Method: get
  Native:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: provided.al2023
      Handler: unused
      CodeUri: native/
      MemorySize: 128
      Timeout: 10
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /native
            Method: get
"""


def log(text):
    print(text, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=60, process=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"the server exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def build_standin():
    binary = os.path.join(ROOT, ".build", "release", "standin")
    sources = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(ROOT, "Sources")) for f in fs]
    newest = max((os.path.getmtime(p) for p in sources), default=0)
    if not os.path.exists(binary) or os.path.getmtime(binary) < newest:
        log("building standin in release (swift build -c release --static-swift-stdlib --product standin) ...")
        subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "standin"],
                       cwd=ROOT, check=True, timeout=3600)
    return binary


def ensure_wrk():
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk (apt-get install -y wrk) ...")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if subprocess.run(["apt-get", "install", "-y", "wrk"], env=env, timeout=600,
                          stdout=subprocess.DEVNULL).returncode != 0:
            subprocess.run(["apt-get", "update"], env=env, timeout=600, stdout=subprocess.DEVNULL)
            subprocess.run(["apt-get", "install", "-y", "wrk"], env=env, timeout=600, stdout=subprocess.DEVNULL)
    return shutil.which("wrk")


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(wrk, url, seconds, connections, threads):
    out = subprocess.run([wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {}
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        lat[pct] = to_ms(m.group(1), m.group(2)) if m else float("nan")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    if non2xx or errors:
        log(f"  warning: {url}: {non2xx.group(0) if non2xx else ''} {errors.group(0) if errors else ''}")
    return rps, lat["50"], lat["99"]


def run_python_load(url, seconds, connections):
    """Fallback without wrk: keep-alive connections in threads (the client is slower than wrk; compare ratios)."""
    host, port_path = url.split("//", 1)[1].split(":", 1)
    port, path = port_path.split("/", 1)
    latencies, lock, stop = [], threading.Lock(), time.time() + seconds

    def worker():
        conn = http.client.HTTPConnection(host, int(port))
        mine = []
        while time.time() < stop:
            start = time.perf_counter()
            conn.request("GET", "/" + path)
            conn.getresponse().read()
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return len(latencies) / seconds, q[49], q[98]


class Server:
    def __init__(self, args, cwd, port):
        self.port = port
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=self.log,
                                        start_new_session=True)
        try:
            wait_for_port(port, process=self.process)
        except SystemExit as error:
            self.stop()
            raise SystemExit(f"{error}\n{' '.join(args)}\n{self.stderr_tail()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def stderr_tail(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per server (default 10)")
    parser.add_argument("--connections", type=int, default=10, help="concurrent connections (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--max-instances", type=int, default=10, help="start-api --max-instances (default 10)")
    parser.add_argument("--standin", help="the standin binary (default: build release)")
    args = parser.parse_args()
    args.duration = max(1, min(args.duration, 120))

    standin = args.standin or build_standin()
    wrk = ensure_wrk()
    if not wrk:
        log("wrk is not installed (and cannot be installed here): using the Python load generator")
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        raise SystemExit("a C compiler (cc) is needed for the native function")

    work = tempfile.mkdtemp(prefix="standin-api-load-")
    os.makedirs(os.path.join(work, "python"))
    os.makedirs(os.path.join(work, "native"))
    with open(os.path.join(work, "template.yaml"), "w") as f:
        f.write(TEMPLATE)
    with open(os.path.join(work, "python", "app.py"), "w") as f:
        f.write(PYTHON_HANDLER)
    with open(os.path.join(work, "bootstrap.c"), "w") as f:
        f.write(BOOTSTRAP_C)
    subprocess.run([cc, "-O2", "-o", os.path.join(work, "native", "bootstrap"), os.path.join(work, "bootstrap.c")],
                   check=True, timeout=120)

    def load(url, connections):
        # Warm-up (instances started, connections and caches hot), then the measured run.
        warm = min(2, args.duration)
        if wrk:
            run_wrk(wrk, url, warm, connections, min(args.threads, connections))
            return run_wrk(wrk, url, args.duration, connections, min(args.threads, connections))
        run_python_load(url, warm, connections)
        return run_python_load(url, args.duration, connections)

    def measure(name, url):
        """Throughput under `--connections`, and latency with one connection (no queueing behind other requests:
        at N connections p50 is mostly N / throughput)."""
        result = load(url, args.connections)
        log(f"  {name}: {result[0]:.0f} req/s, p50 {result[1]:.3f} ms, p99 {result[2]:.3f} ms "
            f"({args.connections} connections)")
        single = load(url, 1)
        log(f"  {name}: {single[0]:.0f} req/s, p50 {single[1]:.3f} ms, p99 {single[2]:.3f} ms (1 connection)")
        return result, single

    results = {}
    floor_bytes = b""
    usage = subprocess.run([standin, "bench-floor", "--help"], capture_output=True, text=True, timeout=60)
    has_floor = "--body" in usage.stdout + usage.stderr
    if has_floor:
        floor_port = free_port()
        floor = Server([standin, "bench-floor", "--port", str(floor_port), "--body", BODY], work, floor_port)
        try:
            with socket.create_connection(("127.0.0.1", floor_port)) as s:
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                while chunk := s.recv(65536):
                    floor_bytes += chunk
            results["floor"] = measure("floor (bare Hummingbird)", f"http://127.0.0.1:{floor_port}/")
        finally:
            floor.stop()
    else:
        log("this standin has no bench-floor command: no floor, no ratios")

    api_port = free_port()
    api = Server([standin, "start-api", "--port", str(api_port), "--no-watch", "--warm", "eager", "--no-assume-role",
                  "--max-instances", str(args.max_instances), "--log-file", os.path.join(work, "standin.log")],
                 work, api_port)
    try:
        for name, path in (("python", "/python"), ("native", "/native")):
            check = http.client.HTTPConnection("127.0.0.1", api_port, timeout=30)
            check.request("GET", path)
            reply = check.getresponse()
            body = reply.read().decode()
            if reply.status != 200 or body != BODY:
                raise SystemExit(f"{path} answered {reply.status} {body!r}\n{api.stderr_tail()}")
            results[name] = measure(f"start-api {name}", f"http://127.0.0.1:{api_port}{path}")
    finally:
        api.stop()
        shutil.rmtree(work, ignore_errors=True)

    if has_floor and not floor_bytes.endswith(BODY.encode()):
        log(f"warning: the floor answered {floor_bytes!r}")
    nan = (float("nan"),) * 3
    (f_rps, f_p50, _), (_, f_p50_single, _) = results.get("floor", (nan, nan))
    print()
    print(f"start-api load, {args.duration} s per run, loopback, "
          f"{'wrk' if wrk else 'python load generator'}, start-api --max-instances {args.max_instances}")
    print(f"{'server':<8} {'connections':>11} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'p50 over floor ms':>18} "
          f"{'req/s % of floor':>17}")
    for index, connections in ((0, args.connections), (1, 1)):
        floor_rps, floor_p50 = (f_rps, f_p50) if index == 0 else (results.get("floor", (nan, nan))[1][0], f_p50_single)
        for name in ("floor", "python", "native"):
            if name not in results:
                continue
            rps, p50, p99 = results[name][index]
            overhead = "" if name == "floor" else f"{p50 - floor_p50:.3f}"
            share = "" if name == "floor" else f"{100 * rps / floor_rps:.0f}%"
            print(f"{name:<8} {connections:>11} {rps:>9.0f} {p50:>8.3f} {p99:>8.3f} {overhead:>18} {share:>17}")
    if has_floor:
        (n_rps, _, _), (_, n_p50_single, _) = results["native"]
        (_, p_p50_single, _) = results["python"][1]
        print()
        print(f"aim: overhead over the floor <= 0.3 ms at p50 (1 connection): native "
              f"{n_p50_single - f_p50_single:.3f} ms ({'met' if n_p50_single - f_p50_single <= 0.3 else 'missed'}), "
              f"python {p_p50_single - f_p50_single:.3f} ms")
        print(f"aim: native >= 50% of the floor's req/s ({args.connections} connections): {100 * n_rps / f_rps:.0f}% "
              f"({'met' if n_rps >= 0.5 * f_rps else 'missed'})")

if __name__ == "__main__":
    main()

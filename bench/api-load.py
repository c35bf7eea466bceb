#!/usr/bin/env python3
"""Load, latency and start-up benchmark of `standin start-api` and `start-lambda`, against floors measured in the
same run.

Four loopback servers answer the same response bytes (`{"message":"hello"}` as application/json):

  floor    `standin bench-floor`: a bare Hummingbird 2 server, no function behind it
  pyfloor  a bare Python HTTP/1.1 keep-alive server, run by the interpreter the Python function gets: by default an
           asyncio Protocol that answers each request head with fixed bytes (the fastest standard-library server
           measured here; `--python-floor threading` uses http.server's ThreadingHTTPServer instead, ~10x slower under
           load on a 2-core machine: a thread per connection, email.parser for every request head)
  python   `standin start-api` with a warm Python function (HTTP API, payload 2.0)
  native   `standin start-api` with a `provided.al2023` function: a tiny C `bootstrap`, compiled here with cc, that
           runs the Runtime API loop over one raw keep-alive socket with TCP_NODELAY

Each is loaded with wrk (installed with apt-get when missing and running as root; otherwise a small Python
keep-alive load generator stands in) for a bounded time, three times: with --connections (throughput), with one
connection (latency without queueing; at N connections p50 is mostly N / throughput) and with --high-connections
(does throughput hold up past --max-instances?). The native function is floor's counterpart, the Python function
pyfloor's.

Then `standin start-lambda` serves the same functions and a Python http.client loop sends --invokes sequential
POSTs to /2015-03-31/functions/NAME/invocations over one keep-alive connection (the same loop against bench-floor
shows what the client itself costs). Last, a template of 50 native functions (lazy, never invoked), each behind an
HttpApi route: the time from spawning `standin start-api --no-watch` to its port accepting a connection (polled
every 1 ms), median of --start-runs, alternating with the same for `standin bench-floor`.

Aims (the script exits 1 when one is missed):
  start-api, native, --connections            >= 50% of floor's req/s
  start-api, Python, --connections            >= 50% of pyfloor's req/s
  start-api p50 at 1 connection                <= 0.15 ms over its floor's (native: floor, Python: pyfloor)
  start-api at --high-connections              req/s >= 95% of req/s at --connections (native and Python)
  start-lambda, native, sequential invokes     <= 0.3 ms per invoke (the mean; p50 shown too)
  start to listening, 50 functions             <= 2x bench-floor's

Usage: python3 bench/api-load.py [--duration 10] [--connections 10] [--high-connections 64] [--invokes 5000]
       [--start-runs 11] [--skip-python] [--quick] [--standin PATH] [--max-instances 10]
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
# Servers get credentials and a region from the environment: nothing at start-up looks for a profile or IMDS.
SERVER_ENV = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDBENCH", AWS_SECRET_ACCESS_KEY="bench-secret",
                  AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")

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

# The Python floor: `python3 pyfloor.py asyncio|threading PORT BODY`. Both speak HTTP/1.1 with keep-alive and answer
# every request with the same head as bench-floor (status, Content-Type, Content-Length, Date) and BODY.
PYTHON_FLOOR = r'''import asyncio
import sys
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KIND, PORT, BODY = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()


class Head:
    """The response head, its Date refreshed at most once a second."""
    second, value = None, b""

    @classmethod
    def bytes(cls):
        second = int(time.time())
        if second != cls.second:
            cls.second = second
            cls.value = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nDate: %s\r\n\r\n"
                         % (len(BODY), formatdate(usegmt=True).encode()))
        return cls.value


class Floor(asyncio.Protocol):
    """Answers each complete request (head, then Content-Length bytes of body) as it arrives; asyncio sets
    TCP_NODELAY on its TCP transports."""

    def connection_made(self, transport):
        self.transport, self.buffer = transport, b""

    def data_received(self, data):
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = self.buffer[:end].lower()
            length = 0
            if (at := head.find(b"\ncontent-length:")) >= 0:
                length = int(head[at + 16:].split(b"\r", 1)[0])
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length:]
            self.transport.write(Head.bytes() + BODY)
            if b"\nconnection: close" in head:
                self.transport.close()
                return


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # head and body go out in two writes: without it, 40 ms delayed-ACK stalls

    def do_GET(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response_only(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.send_header("Date", self.date_time_string())
        self.end_headers()
        self.wfile.write(BODY)

    do_POST = do_GET

    def log_message(self, *args):
        pass


async def serve():
    server = await asyncio.get_running_loop().create_server(Floor, "127.0.0.1", PORT, backlog=1024)
    await server.serve_forever()


class Threading(ThreadingHTTPServer):
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        pass  # a load generator closing its connections at the end of a run


if KIND == "asyncio":
    asyncio.run(serve())
else:
    Threading(("127.0.0.1", PORT), Handler).serve_forever()
'''

FUNCTION_PROPERTIES = """      MemorySize: 128
      Timeout: 10
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: {path}
            Method: get
"""


def template(python_runtime, native_count=0):
    """The load template (functions Python and Native) or, with native_count, that many native functions."""
    text = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
    if native_count:
        for index in range(native_count):
            text += (f"  Native{index}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                     f"      Runtime: provided.al2023\n      Handler: unused\n      CodeUri: native/\n"
                     + FUNCTION_PROPERTIES.format(path=f"/native{index}"))
        return text
    text += (f"  Python:\n    Type: AWS::Serverless::Function\n    Properties:\n"
             f"      Runtime: {python_runtime}\n      Handler: app.handler\n      CodeUri: python/\n"
             + FUNCTION_PROPERTIES.format(path="/python"))
    text += ("  Native:\n    Type: AWS::Serverless::Function\n    Properties:\n"
             "      Runtime: provided.al2023\n      Handler: unused\n      CodeUri: native/\n"
             + FUNCTION_PROPERTIES.format(path="/native"))
    return text


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


def python_interpreter():
    """(runtime, executable): `python3.X` for the host's python3, and the real interpreter standin runs for it
    (pyenv and asdf shims resolved), which also runs the Python floor."""
    out = subprocess.run(["python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)"],
                         capture_output=True, text=True, check=True).stdout.split("\n")
    return f"python{out[0]}", out[1]


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


def sequential_invokes(port, path, count, warmup):
    """`count` POSTs one after the other over one keep-alive http.client connection, after `warmup` unmeasured ones:
    (mean ms per invoke over the whole loop, p50 ms, p99 ms)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    body = b'{"key":"value"}'
    for _ in range(warmup):
        conn.request("POST", path, body=body, headers=headers)
        reply = conn.getresponse()
        answer = reply.read()
        if reply.status != 200 or reply.getheader("X-Amz-Function-Error"):
            raise SystemExit(f"POST {path} answered {reply.status} {answer[:300]!r}")
    times = []
    begin = time.perf_counter()
    for _ in range(count):
        start = time.perf_counter()
        conn.request("POST", path, body=body, headers=headers)
        conn.getresponse().read()
        times.append(time.perf_counter() - start)
    total = time.perf_counter() - begin
    conn.close()
    q = statistics.quantiles(times, n=100)
    return total / count * 1000, q[49] * 1000, q[98] * 1000


def time_to_listen(argv, cwd):
    """Milliseconds from spawning `argv` (which must bind the port after `--port`) to its port accepting a connection,
    polled every 1 ms; the server is stopped before returning."""
    port = int(argv[argv.index("--port") + 1])
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, env=SERVER_ENV, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        try:
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        return (time.perf_counter() - start) * 1000
                except OSError:
                    pass
                if process.poll() is not None or time.perf_counter() - start > 60:
                    err.seek(0)
                    raise SystemExit(f"{' '.join(argv)}: not listening (status {process.poll()})\n"
                                     f"{err.read().decode(errors='replace')[-2000:]}")
                time.sleep(0.001)
        finally:
            stop_process(process)


def stop_process(process, timeout=20):
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Server:
    def __init__(self, args, cwd, port):
        self.port = port
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(args, cwd=cwd, env=SERVER_ENV, stdout=subprocess.DEVNULL, stderr=self.log,
                                        start_new_session=True)
        try:
            wait_for_port(port, process=self.process)
        except SystemExit as error:
            self.stop()
            raise SystemExit(f"{error}\n{' '.join(args)}\n{self.stderr_tail()}")

    def stop(self):
        stop_process(self.process)

    def stderr_tail(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]


def raw_get(port):
    """The bytes a server answers to one `GET /` with Connection: close."""
    answer = b""
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        while chunk := s.recv(65536):
            answer += chunk
    return answer


def check_get(server, path):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", path)
    reply = conn.getresponse()
    body = reply.read().decode()
    conn.close()
    if reply.status != 200 or body != BODY:
        raise SystemExit(f"{path} answered {reply.status} {body!r}\n{server.stderr_tail()}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, help="seconds of load per server and connection count (default 10)")
    parser.add_argument("--connections", type=int, default=10, help="concurrent connections (default 10)")
    parser.add_argument("--high-connections", type=int, default=64,
                        help="the connection count whose throughput is compared with --connections' (default 64)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--max-instances", type=int, default=10, help="start-api --max-instances (default 10)")
    parser.add_argument("--invokes", type=int, help="sequential start-lambda invokes per function (default 5000)")
    parser.add_argument("--start-runs", type=int, help="start-up timings per server, median taken (default 11)")
    parser.add_argument("--start-functions", type=int, default=50,
                        help="functions in the start-up template (default 50)")
    parser.add_argument("--python-floor", choices=("asyncio", "threading"), default="asyncio",
                        help="the Python floor server (default asyncio, the faster)")
    parser.add_argument("--skip-python", action="store_true", help="no Python floor and no Python function")
    parser.add_argument("--quick", action="store_true",
                        help="a short run: 3 s of load, 1000 invokes, 5 start-up runs (unless given)")
    parser.add_argument("--standin", help="the standin binary (default: build release)")
    args = parser.parse_args()
    quick = args.quick
    args.duration = max(1, min(args.duration or (3 if quick else 10), 120))
    args.invokes = max(100, args.invokes or (1000 if quick else 5000))
    args.start_runs = max(1, args.start_runs or (5 if quick else 11))
    return args


def main():
    args = parse_args()
    standin = os.path.abspath(args.standin) if args.standin else build_standin()  # the servers run in a temp folder
    wrk = ensure_wrk()
    if not wrk:
        log("wrk is not installed (and cannot be installed here): using the Python load generator")
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        raise SystemExit("a C compiler (cc) is needed for the native function")
    python_runtime, python_executable = python_interpreter()

    work = tempfile.mkdtemp(prefix="standin-api-load-")
    try:
        figures = run_benchmarks(args, standin, wrk, cc, python_runtime, python_executable, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    missed = report(args, wrk, python_runtime, figures)
    sys.exit(1 if missed else 0)


def run_benchmarks(args, standin, wrk, cc, python_runtime, python_executable, work):
    for folder in ("python", "native", "start"):
        os.makedirs(os.path.join(work, folder))
    with open(os.path.join(work, "template.yaml"), "w") as f:
        f.write(template(python_runtime))
    with open(os.path.join(work, "python", "app.py"), "w") as f:
        f.write(PYTHON_HANDLER)
    with open(os.path.join(work, "pyfloor.py"), "w") as f:
        f.write(PYTHON_FLOOR)
    with open(os.path.join(work, "bootstrap.c"), "w") as f:
        f.write(BOOTSTRAP_C)
    subprocess.run([cc, "-O2", "-o", os.path.join(work, "native", "bootstrap"), os.path.join(work, "bootstrap.c")],
                   check=True, timeout=120)
    with open(os.path.join(work, "start", "template.yaml"), "w") as f:
        f.write(template(python_runtime, native_count=args.start_functions))
    os.symlink(os.path.join(work, "native"), os.path.join(work, "start", "native"))

    levels = (args.connections, 1, args.high_connections)
    load_kinds = ("floor", "native") + (() if args.skip_python else ("pyfloor", "python"))
    figures = {"load": {}, "bytes": {}, "invokes": {}, "start": {}}

    def load(url, connections):
        # Warm-up (instances started, connections and caches hot), then the measured run.
        warm = min(2, args.duration)
        if wrk:
            run_wrk(wrk, url, warm, connections, min(args.threads, connections))
            return run_wrk(wrk, url, args.duration, connections, min(args.threads, connections))
        run_python_load(url, warm, connections)
        return run_python_load(url, args.duration, connections)

    def measure(name, url):
        results = {}
        for connections in levels:
            results[connections] = load(url, connections)
            rps, p50, p99 = results[connections]
            log(f"  {name}: {rps:.0f} req/s, p50 {p50:.3f} ms, p99 {p99:.3f} ms ({connections} connections)")
        return results

    invoke_path = "/2015-03-31/functions/{}/invocations"
    warmup = max(50, args.invokes // 10)
    usage = subprocess.run([standin, "bench-floor", "--help"], capture_output=True, text=True, timeout=60)
    has_floor = "--body" in usage.stdout + usage.stderr
    if has_floor:
        floor_port = free_port()
        floor = Server([standin, "bench-floor", "--port", str(floor_port), "--body", BODY], work, floor_port)
        try:
            figures["bytes"]["floor"] = raw_get(floor_port)
            figures["load"]["floor"] = measure("floor (bench-floor)", f"http://127.0.0.1:{floor_port}/")
            figures["invokes"]["client"] = sequential_invokes(floor_port, invoke_path.format("Native"),
                                                              args.invokes, warmup)
            log("  http.client sequential POSTs to bench-floor: mean {:.3f} ms, p50 {:.3f} ms, p99 {:.3f} ms"
                .format(*figures["invokes"]["client"]))
        finally:
            floor.stop()
    else:
        log("this standin has no bench-floor command: no floor, no ratios, no start-up comparison")

    if not args.skip_python:
        port = free_port()
        pyfloor = Server([python_executable, os.path.join(work, "pyfloor.py"), args.python_floor, str(port), BODY],
                         work, port)
        try:
            figures["bytes"]["pyfloor"] = raw_get(port)
            figures["load"]["pyfloor"] = measure(f"pyfloor ({args.python_floor})", f"http://127.0.0.1:{port}/")
        finally:
            pyfloor.stop()

    common = ["--no-watch", "--warm", "eager", "--no-assume-role", "--max-instances", str(args.max_instances),
              "--log-file", os.path.join(work, "standin.log")]
    functions = (("native", "Native"),) + (() if args.skip_python else (("python", "Python"),))
    port = free_port()
    api = Server([standin, "start-api", "--port", str(port)] + common, work, port)
    try:
        for name, _ in functions:
            check_get(api, f"/{name}")
            figures["load"][name] = measure(f"start-api {name}", f"http://127.0.0.1:{port}/{name}")
    finally:
        api.stop()

    port = free_port()
    lam = Server([standin, "start-lambda", "--port", str(port)] + common, work, port)
    try:
        for name, logical_id in functions:
            figures["invokes"][name] = sequential_invokes(port, invoke_path.format(logical_id), args.invokes, warmup)
            log("  start-lambda {}: {} sequential invokes, mean {:.3f} ms, p50 {:.3f} ms, p99 {:.3f} ms"
                .format(name, args.invokes, *figures["invokes"][name]))
    finally:
        lam.stop()

    servers = {"start-api": [standin, "start-api", "--no-watch", "--no-assume-role", "--template",
                             os.path.join(work, "start", "template.yaml"), "--log-file",
                             os.path.join(work, "start.log")]}
    if has_floor:
        servers["floor"] = [standin, "bench-floor", "--body", BODY]
    times = {name: [] for name in servers}
    for run in range(args.start_runs + 1):  # the first round warms the page cache and standin's own caches
        for name, argv in servers.items():
            elapsed = time_to_listen(argv + ["--port", str(free_port())], os.path.join(work, "start"))
            if run:
                times[name].append(elapsed)
    for name, values in times.items():
        figures["start"][name] = statistics.median(values), min(values), max(values)
        log("  start to listening, {}: median {:.1f} ms (min {:.1f}, max {:.1f})".format(name, *figures["start"][name]))
    return figures


def report(args, wrk, python_runtime, figures):
    """Prints the per-server table and the aims; returns the number of aims missed."""
    load = figures["load"]
    floor_of = {"native": "floor", "python": "pyfloor"}
    for name in ("floor", "pyfloor"):
        if name in figures["bytes"] and not figures["bytes"][name].endswith(BODY.encode()):
            log(f"warning: {name} answered {figures['bytes'][name]!r}")

    print()
    print(f"start-api load, {args.duration} s per run, loopback, {'wrk' if wrk else 'python load generator'}, "
          f"start-api --max-instances {args.max_instances}, Python function {python_runtime}, "
          f"Python floor {args.python_floor}, {os.cpu_count()} CPUs")
    print(f"{'server':<8} {'connections':>11} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'p50 over floor ms':>18} "
          f"{'req/s % of floor':>17}")
    for connections in (args.connections, 1, args.high_connections):
        for name in ("floor", "native", "pyfloor", "python"):
            if name not in load:
                continue
            rps, p50, p99 = load[name][connections]
            floor = load.get(floor_of.get(name))
            overhead = f"{p50 - floor[connections][1]:.3f}" if floor else ""
            share = f"{100 * rps / floor[connections][0]:.0f}%" if floor else ""
            print(f"{name:<8} {connections:>11} {rps:>9.0f} {p50:>8.3f} {p99:>8.3f} {overhead:>18} {share:>17}")

    rows = []

    def aim(scenario, floor_text, figure_text, ratio_text, aim_text, met):
        """One row of the aims table; met is None when there is no floor to judge by."""
        rows.append((scenario, floor_text, figure_text, ratio_text, aim_text,
                     "n/a" if met is None else "met" if met else "MISSED"))

    n, high = args.connections, args.high_connections
    functions = [(name, label) for name, label in (("native", "native"), ("python", "Python")) if name in load]
    for name, label in functions:
        floor, rps = load.get(floor_of[name]), load[name][n][0]
        share = rps / floor[n][0] if floor else None
        aim(f"start-api, {label} function, {n} connections",
            f"{floor_of[name]} {floor[n][0]:.0f} req/s" if floor else "-", f"{rps:.0f} req/s",
            f"{100 * share:.0f}%" if floor else "-", ">= 50% of floor", None if share is None else share >= 0.5)
    for name, label in functions:
        floor, p50 = load.get(floor_of[name]), load[name][1][1]
        over = p50 - floor[1][1] if floor else None
        aim(f"start-api p50 overhead, {label}, 1 connection",
            f"{floor_of[name]} p50 {floor[1][1]:.3f} ms" if floor else "-", f"p50 {p50:.3f} ms",
            f"+{over:.3f} ms" if floor else "-", "<= 0.15 ms", None if over is None else over <= 0.15)
    for name, label in functions:
        low, hi = load[name][n][0], load[name][high][0]
        aim(f"start-api {label}, {high} vs {n} connections", f"{n} conns {low:.0f} req/s",
            f"{high} conns {hi:.0f} req/s", f"{100 * hi / low:.0f}%", ">= 95% (no drop)", hi >= 0.95 * low)
    invokes = figures["invokes"]
    client = invokes.get("client")  # the same http.client loop against bench-floor
    for name, label in functions:
        mean, p50, _ = invokes[name]
        native = name == "native"
        aim(f"start-lambda {label}, sequential keep-alive invokes",
            f"client alone {client[0]:.3f} ms" if client else "-", f"mean {mean:.3f} ms, p50 {p50:.3f} ms",
            f"{mean / client[0]:.1f}x client" if client else "-", "<= 0.3 ms" if native else "-",
            mean <= 0.3 if native else None)
    start = figures["start"]
    api_start, floor_start = start["start-api"][0], start.get("floor", (None,))[0]
    aim(f"start to listening, {args.start_functions} functions",
        f"bench-floor {floor_start:.1f} ms" if floor_start else "-", f"{api_start:.1f} ms",
        f"{api_start / floor_start:.2f}x" if floor_start else "-", "<= 2x",
        api_start <= 2 * floor_start if floor_start else None)
    missed = sum(row[-1] == "MISSED" for row in rows)

    print()
    print(f"aims ({args.invokes} sequential invokes; start-up: median of {args.start_runs} runs each)")
    header = ("scenario", "floor (same run)", "standin", "ratio", "aim", "")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    print(f"\n{missed} aim(s) missed" if missed else "\nevery aim met")
    return missed


if __name__ == "__main__":
    main()

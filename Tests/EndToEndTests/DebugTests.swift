import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `standin invoke --debug-port`: a debugger attaches to a Node.js function (inspector) and a Python function
/// (debugpy) and the invoke completes; an interrupted wait leaves no process behind; a `provided` bootstrap gets the
/// port and `DEBUGGER_ARGS`. Every function sleeps past its 1 s Timeout, which a debug run suspends.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct DebugTests {
    // MARK: Node.js

    @Test("node: the inspector lists the runtime; a debugger stops at a handler breakpoint; the invoke completes")
    func nodeInspectorAttach() throws {
        guard let python = Self.python, Self.hasNode else { return }
        let debug = try DebugRun(runtime: .node)
        try waitForPort(debug.port, timeout: 60)
        let targets = try curl("http://127.0.0.1:\(debug.port)/json/list")
        let list = try #require(
            (try? JSONSerialization.jsonObject(with: targets.body)) as? [[String: Any]], "\(targets.text)")
        let socketURL = try #require(list.first?["webSocketDebuggerUrl"] as? String)
        #expect(socketURL.hasPrefix("ws://127.0.0.1:\(debug.port)/"))
        #expect(debug.stderr.contains("standin: HelloNode waits for a debugger on 127.0.0.1:\(debug.port)\n"))
        #expect(debug.stderr.contains("standin: debugging HelloNode on 127.0.0.1:\(debug.port): timeout suspended\n"))

        // Line 2 of index.mjs is the handler's first statement.
        let releaseScript = try debug.script("release.py", Self.inspectorRelease)
        let handlerFile = debug.code.appendingPathComponent("index.mjs").path
        let release = try runProcess(python, [releaseScript.path, socketURL, handlerFile, "2"], timeout: 60)
        #expect(release.status == 0, "\(release.stderrText)")
        #expect(release.stdoutText.contains("stopped at the breakpoint"))
        let status = debug.waitForExit()
        #expect(status == 0, "\(debug.stderr)")
        let payload = try #require(jsonObject(debug.stdout), "\(debug.stdout) \(debug.stderr)")
        #expect(payload["execArgv"] as? String == "--inspect-brk=127.0.0.1:\(debug.port)")
        #expect((payload["got"] as? [String: Any])?["from"] as? String == "test")
        #expect(debug.leftoverProcesses(within: 10) == [])
    }

    @Test("node: SIGINT while the runtime waits for a debugger ends standin and its processes")
    func nodeInterrupted() throws {
        guard Self.hasNode else { return }
        let debug = try DebugRun(runtime: .node)
        try waitForPort(debug.port, timeout: 60)
        #expect(try curl("http://127.0.0.1:\(debug.port)/json/list").text.contains("webSocketDebuggerUrl"))
        #expect(debug.interrupt() != nil)
        #expect(debug.leftoverProcesses(within: 10) == [])
    }

    // MARK: Python

    @Test("python: debugpy listens; a DAP client stops at a breakpoint in the handler; the invoke completes")
    func pythonDebugpyAttach() throws {
        guard let (venvBin, runtime) = try Self.venvPython, let python = Self.python else { return }
        let debug = try DebugRun(runtime: .python(runtime), pathPrefix: venvBin.path)
        let attachScript = try debug.script("attach.py", Self.debugpyAttach)
        // Line 3 of app.py is the handler's first statement: the function's own file, run in place, is debugged.
        let appFile = debug.code.appendingPathComponent("app.py").path
        let attach = try runProcess(python, [attachScript.path, "\(debug.port)", appFile, "3"], timeout: 60)
        #expect(attach.status == 0, "\(attach.stderrText) \(debug.stderr)")
        #expect(attach.stdoutText.contains("stopped at the breakpoint"))
        let status = debug.waitForExit()
        #expect(status == 0, "\(debug.stderr)")
        let payload = try #require(jsonObject(debug.stdout), "\(debug.stdout) \(debug.stderr)")
        #expect(payload["debugpy"] as? Bool == true)
        #expect((payload["got"] as? [String: Any])?["from"] as? String == "test")
        #expect(debug.stderr.contains("standin: HelloPython waits for a debugger on 127.0.0.1:\(debug.port)\n"))
        #expect(debug.leftoverProcesses(within: 10) == [])
    }

    @Test("python: the debug port accepts connections while standin waits; SIGINT leaves nothing behind")
    func pythonInterrupted() throws {
        guard let (venvBin, runtime) = try Self.venvPython else { return }
        let debug = try DebugRun(runtime: .python(runtime), pathPrefix: venvBin.path)
        try waitForPort(debug.port, timeout: 60)
        #expect(debug.isRunning)
        #expect(debug.interrupt() != nil)
        #expect(debug.leftoverProcesses(within: 10) == [])
    }

    @Test("python without debugpy: one warning line, and the function runs undebugged")
    func pythonWithoutDebugpy() throws {
        let pyenv = URL(fileURLWithPath: "/root/.pyenv/versions/3.11.7/bin")
        let interpreter = pyenv.appendingPathComponent("python3.11").path
        guard FileManager.default.isExecutableFile(atPath: interpreter),
            (try? runProcess(interpreter, ["-c", "import debugpy"]))?.status == 1
        else { return }
        let debug = try DebugRun(runtime: .python("python3.11"), pathPrefix: pyenv.path)
        let status = debug.waitForExit()
        #expect(status == 1, "the 1 s timeout applies: \(debug.stderr)")
        let lines = debug.stderr.split(separator: "\n").filter { $0.contains("pip install debugpy") }
        #expect(lines.count == 1, "\(debug.stderr)")
        #expect(!debug.stderr.contains("waits for a debugger"))
    }

    // MARK: provided

    @Test("provided: the bootstrap gets STANDIN_DEBUG_PORT and DEBUGGER_ARGS, and no timeout")
    func providedHook() throws {
        let debug = try DebugRun(runtime: .provided, extraEnvironment: ["DEBUGGER_ARGS": "--attach now"])
        let status = debug.waitForExit()
        #expect(status == 0, "\(debug.stderr)")
        let payload = try #require(jsonObject(debug.stdout), "\(debug.stdout) \(debug.stderr)")
        #expect(payload["port"] as? String == "\(debug.port)")
        #expect(payload["args"] as? String == "--attach now")
        #expect(debug.stderr.contains("standin: debugging HelloProvided on 127.0.0.1:\(debug.port): timeout suspended"))
    }

    // MARK: Helpers

    /// The test venv's `bin` (debugpy is installed there) and the runtime of its Python, e.g. `python3.11`.
    static var venvPython: (bin: URL, runtime: String)? {
        get throws {
            guard let python = try TestPaths.requireVenvTool("python3"), let bin = TestPaths.venvBin else { return nil }
            let version = try runProcess(python.path, ["-c", "import sys;print('%d.%d'%sys.version_info[:2])"])
            let runtime = "python" + version.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            return TestPaths.venvTool(runtime) == nil ? nil : (bin, runtime)
        }
    }

    static var hasNode: Bool {
        ((try? runProcess("/usr/bin/env", ["node", "--version"]))?.status ?? 1) == 0
    }

    /// A Python 3 for the test's own debugger clients (standard library only).
    static var python: String? {
        if let venv = TestPaths.venvTool("python3") { return venv.path }
        return ((try? runProcess("/usr/bin/env", ["python3", "--version"]))?.status ?? 1) == 0 ? "python3" : nil
    }

    /// A Chrome DevTools protocol client: opens the WebSocket `argv[1]`, sets a breakpoint at `argv[2]:argv[3]`, lets
    /// the runtime go (`Runtime.runIfWaitingForDebugger`, resuming the `--inspect-brk` pause) and waits until the
    /// function stops at the breakpoint; then resumes it.
    static let inspectorRelease = #"""
        import base64, json, os, socket, struct, sys

        url = sys.argv[1]
        address, path = url[len("ws://"):].split("/", 1)
        host, _, port = address.rpartition(":")
        sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())

        def exactly(count):
            data = b""
            while len(data) < count:
                chunk = sock.recv(count - len(data))
                if not chunk:
                    sys.exit("the inspector closed the connection")
                data += chunk
            return data

        head = b""
        while not head.endswith(b"\r\n\r\n"):
            head += exactly(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            sys.exit("handshake refused: " + head.decode(errors="replace"))

        def send(message):
            data = json.dumps(message).encode()
            mask = os.urandom(4)
            size = len(data)
            length = bytes([0x80 | size]) if size < 126 else bytes([0x80 | 126]) + struct.pack("!H", size)
            sock.sendall(bytes([0x81]) + length + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

        def receive():
            first, second = exactly(2)
            size = second & 0x7F
            if size == 126:
                size = struct.unpack("!H", exactly(2))[0]
            elif size == 127:
                size = struct.unpack("!Q", exactly(8))[0]
            return first & 0x0F, exactly(size)

        def read_until(predicate):
            while True:
                opcode, payload = receive()
                if opcode == 8:
                    sys.exit("the inspector closed the connection")
                if opcode == 1:
                    message = json.loads(payload)
                    if predicate(message):
                        return message

        def call(identifier, method, params=None):
            send({"id": identifier, "method": method, "params": params or {}})
            return read_until(lambda m: m.get("id") == identifier)

        call(1, "Debugger.enable")
        call(2, "Debugger.setBreakpointByUrl", {"url": "file://" + sys.argv[2], "lineNumber": int(sys.argv[3]) - 1})
        call(3, "Runtime.runIfWaitingForDebugger")
        identifier = 4
        while True:
            paused = read_until(lambda m: m.get("method") == "Debugger.paused")
            call(identifier, "Debugger.resume")
            identifier += 1
            if paused["params"].get("hitBreakpoints"):
                print("stopped at the breakpoint")
                break
        sock.close()
        """#

    /// A Debug Adapter Protocol client: connects (retrying while debugpy starts), attaches, sets a breakpoint at
    /// `argv[2]:argv[3]`, waits until the function stops there, continues and disconnects.
    static let debugpyAttach = #"""
        import json, socket, sys, time

        deadline = time.time() + 60
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        pending = b""
        sequence = 0

        def send(command, arguments=None):
            global sequence
            sequence += 1
            body = json.dumps({"seq": sequence, "type": "request", "command": command,
                               "arguments": arguments or {}}).encode()
            sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)

        def more():
            global pending
            chunk = sock.recv(65536)
            if not chunk:
                sys.exit("debugpy closed the connection")
            pending += chunk

        def read_until(predicate):
            global pending
            while True:
                while b"\r\n\r\n" not in pending:
                    more()
                head, pending = pending.split(b"\r\n\r\n", 1)
                size = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                            if line.lower().startswith(b"content-length"))
                while len(pending) < size:
                    more()
                message, pending = json.loads(pending[:size]), pending[size:]
                if predicate(message):
                    return message

        def response(command):
            return lambda m: m.get("type") == "response" and m.get("command") == command

        send("initialize", {"clientID": "standin-test", "adapterID": "debugpy", "pathFormat": "path",
                            "linesStartAt1": True, "columnsStartAt1": True})
        read_until(response("initialize"))
        send("attach", {"justMyCode": True})
        read_until(lambda m: m.get("type") == "event" and m.get("event") == "initialized")
        send("setBreakpoints", {"source": {"path": sys.argv[2]}, "breakpoints": [{"line": int(sys.argv[3])}]})
        reply = read_until(response("setBreakpoints"))
        if not reply["body"]["breakpoints"][0].get("verified"):
            sys.exit("breakpoint not verified: %r" % reply)
        send("configurationDone")
        stopped = read_until(lambda m: m.get("type") == "event" and m.get("event") == "stopped")
        if stopped["body"].get("reason") != "breakpoint":
            sys.exit("stopped for another reason: %r" % stopped)
        print("stopped at the breakpoint")
        send("continue", {"threadId": stopped["body"]["threadId"]})
        read_until(response("continue"))
        send("disconnect", {"terminateDebuggee": False})
        read_until(response("disconnect"))
        sock.close()
        """#
}

/// A `standin invoke --debug-port N` of a one-function project (in a temporary folder) running in the background.
final class DebugRun {
    enum Runtime {
        case node, provided
        /// A Python runtime, e.g. `python3.11`.
        case python(String)
    }

    let port: Int
    let cli: StandinCLI
    /// The function's code folder.
    let code: URL
    private let folder: URL
    private let process: StandinServerProcess

    /// Writes the project and starts `standin invoke` with `pathPrefix` first on PATH.
    init(
        runtime: Runtime, pathPrefix: String? = nil, extraEnvironment: [String: String] = [:], timeout: Int = 1
    ) throws {
        folder = try makeTemporaryDirectory("standin-debug")
        code = folder.appendingPathComponent("src")
        let (name, properties) = try Self.writeFunction(runtime, in: code)
        try writeFile(
            folder, "template.yaml",
            """
            AWSTemplateFormatVersion: "2010-09-09"
            Transform: AWS::Serverless-2016-10-31
            Resources:
              \(name):
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: src/
                  Timeout: \(timeout)
            \(properties)
            """)
        try writeFile(folder, "event.json", #"{"from": "test"}"#)
        port = freeLoopbackPort()
        var cli = try StandinCLI()
        if let pathPrefix { cli.environment["PATH"] = pathPrefix + ":" + (cli.environment["PATH"] ?? "/usr/bin:/bin") }
        cli.environment.merge(extraEnvironment) { $1 }
        self.cli = cli
        process = try StandinServerProcess(
            [
                "invoke", name, "-e", "event.json", "--debug-port", "\(port)", "--no-assume-role",
                "--region", "us-east-1",
            ],
            in: folder, environment: cli.environment, stderrFile: folder.appendingPathComponent("stderr"),
            stdoutFile: folder.appendingPathComponent("stdout"), stopTimeout: 20)
    }

    private static func writeFunction(_ runtime: Runtime, in code: URL) throws -> (String, String) {
        switch runtime {
        case .node:
            try writeFile(
                code, "index.mjs",
                """
                export const handler = async (event) => {
                  await new Promise((resolve) => setTimeout(resolve, 1500));
                  return { execArgv: process.execArgv.join(" "), got: event };
                };
                """)
            return ("HelloNode", "      Runtime: nodejs20.x\n      Handler: index.handler\n")
        case .python(let runtime):
            try writeFile(
                code, "app.py",
                """
                import sys, time
                def handler(event, context):
                    time.sleep(1.5)
                    return {"debugpy": "debugpy" in sys.modules, "got": event}
                """)
            return ("HelloPython", "      Runtime: \(runtime)\n      Handler: app.handler\n")
        case .provided:
            try writeFile(
                code, "bootstrap",
                """
                #!/bin/sh
                set -eu
                API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
                HEADERS="$(mktemp)"
                while true; do
                  curl -sS -D "$HEADERS" -o /dev/null "$API/invocation/next"
                  ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d: -f2 | tr -d ' \\r')
                  sleep 2
                  printf '{"port":"%s","args":"%s"}' "${STANDIN_DEBUG_PORT:-}" "${DEBUGGER_ARGS:-}" |
                    curl -sS -H 'Expect:' -X POST --data-binary @- "$API/invocation/$ID/response" >/dev/null
                done
                """, executable: true)
            return ("HelloProvided", "      Runtime: provided.al2023\n      Handler: unused\n")
        }
    }

    /// Writes a helper script into the project folder.
    func script(_ name: String, _ text: String) throws -> URL {
        try writeFile(folder, name, text)
    }

    var isRunning: Bool { process.isRunning }

    var stdout: Data { process.stdout }

    var stderr: String { process.stderr }

    /// Waits (bounded) for standin to exit; its status, or nil when it had to be killed.
    func waitForExit(timeout: TimeInterval = 60) -> Int32? {
        process.waitForExit(timeout: timeout)
    }

    /// Sends SIGINT and waits (bounded) for the exit.
    func interrupt(timeout: TimeInterval = 20) -> Int32? {
        process.stop(timeout: timeout)
    }

    /// The function's processes still alive after `seconds` at most: anything running the runtime clients from this
    /// run's private HOME, or holding its debug port.
    func leftoverProcesses(within seconds: TimeInterval) -> [Int32] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let found = Set(
                processes(withCommandLineContaining: cli.home.path)
                    + processes(withCommandLineContaining: "127.0.0.1:\(port)")
                    + processes(withCommandLineContaining: "--port \(port) "))
                .sorted()
            if found.isEmpty || Date() > deadline { return found }
            usleep(100_000)
        }
    }
}

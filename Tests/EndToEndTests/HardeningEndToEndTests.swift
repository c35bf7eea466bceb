import Foundation
import Testing
import TestSupport

/// Defects found by probing standin as an unlucky user would, each reproduced end to end.
@Suite("hardening, end to end")
struct HardeningEndToEndTests {
    /// A local STS endpoint that refuses connections (moto not started yet) fails in seconds, not after the whole
    /// 15-30 s deadline of a remote call.
    @Test func aRefusedLocalSTSEndpointFailsQuickly() throws {
        let cli = try StandinCLI()
        let port = freeLoopbackPort()
        let started = Date()
        let result = try cli.run(
            ["whoami"], in: cli.home,
            extra: [
                "AWS_ENDPOINT_URL": "http://127.0.0.1:\(port)", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
            ])
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 3, "\(result.stderrText)")
        #expect(result.stderrText.contains("127.0.0.1:\(port)"), "\(result.stderrText)")
        #expect(elapsed < 12, "gave up after \(elapsed) s")
    }

    /// A request whose body is cut short (Content-Length 100 with 3 bytes sent, or chunked without its last chunk,
    /// then the client half-closes) never reaches the function: 400, and the access log shows no function.
    @Test func aTruncatedBodyDoesNotRunTheFunction() throws {
        let app = try RealProjectTests.copy("raw-apigw-app")
        try RealProjectTests.withServer("start-api", in: app) { port, server in
            let script = """
                import socket, sys
                head, body = sys.argv[2].encode().decode("unicode_escape").encode(), sys.argv[3].encode()
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.sendall(head + body)
                s.shutdown(socket.SHUT_WR)
                s.settimeout(10)
                data = b""
                try:
                    while True:
                        chunk = s.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                except socket.timeout:
                    pass
                print(data.decode(errors="replace").split("\\r\\n")[0])
                """
            let cases = [
                ("POST /users HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 100\\r\\n\\r\\n", "abc"),
                ("POST /users HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n", "3\r\nabc\r\n"),
            ]
            for (head, body) in cases {
                let result = try runProcess("/usr/bin/env", ["python3", "-c", script, "\(port)", head, body], timeout: 30)
                #expect(result.status == 0, "\(result.stderrText)")
                #expect(!result.stdoutText.contains("200"), "\(result.stdoutText)")
            }
            // A 20 KB URL is refused as API Gateway refuses it.
            let long = try curl("http://127.0.0.1:\(port)/users?q=" + String(repeating: "a", count: 20_000))
            #expect(long.status == 414)
            // A whole request still runs, and nothing ran for the two cut ones.
            let whole = try curl("http://127.0.0.1:\(port)/users", method: "POST", body: "abc")
            #expect(whole.status == 200)
            #expect(server.stderr.components(separatedBy: "POST /users 200 UsersLambdaFunction").count == 2, "\(server.stderr)")
            #expect(!server.stderr.contains("POST /users 400 UsersLambdaFunction"))
        }
    }

    /// HTTP/1.x's connection rules on both servers: an HTTP/1.0 request is answered as HTTP/1.0 and its connection
    /// closed (a client reading to EOF used to hang), unless it asked for keep-alive; HTTP/1.1 without Host gets
    /// 400; a refused oversized body closes the connection fully even when the client never closes its side (it
    /// used to stay in FIN-WAIT-2, holding its buffers, until standin exited).
    @Test(arguments: ["start-api", "start-lambda"])
    func httpOneConnectionRules(command: String) throws {
        let app = try RealProjectTests.copy("raw-apigw-app")
        let path = command == "start-api" ? "/users" : "/2015-03-31/functions/UsersLambdaFunction/invocations"
        try RealProjectTests.withServer(command, in: app) { port, _ in
            let result = try runProcess(
                "/usr/bin/env", ["python3", "-c", Self.connectionProbe, "\(port)", path], timeout: 60)
            #expect(result.status == 0, "\(result.stderrText)")
            let lines = result.stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.count == 5, "\(result.stdoutText)")
            guard lines.count == 5 else { return }
            #expect(lines[0].hasPrefix("HTTP/1.0 ") && lines[0].hasSuffix("Connection: close EOF"), "\(lines[0])")
            #expect(lines[1].hasPrefix("HTTP/1.0 ") && lines[1].hasSuffix("Connection: keep-alive open"), "\(lines[1])")
            #expect(lines[2].hasPrefix("HTTP/1.0 "), "a second request on the kept-alive connection: \(lines[2])")
            #expect(lines[3] == "HTTP/1.1 400 Bad Request Connection: close EOF", "\(lines[3])")
            #expect(lines[4].hasPrefix("HTTP/1.1 413 ") && lines[4].hasSuffix(" closed by the server"), "\(lines[4])")
        }
    }

    /// Sends the requests `httpOneConnectionRules` checks; prints one line for each.
    static let connectionProbe = #"""
        import socket, sys, time
        port, path = int(sys.argv[1]), sys.argv[2]
        method = "GET" if path == "/users" else "POST"
        body = b"" if method == "GET" else b"{}"
        def request(version, headers=""):
            length = f"Content-Length: {len(body)}\r\n" if body else ""
            return f"{method} {path} {version}\r\n{headers}{length}\r\n".encode() + body
        def answer(s):
            # one response: its status line, its Connection header, and whether the server then closed
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
            head, _, rest = data.partition(b"\r\n\r\n")
            lines = head.decode().split("\r\n")
            fields = {l.split(":")[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
            length = int(fields.get("content-length", "0"))
            while len(rest) < length:
                rest += s.recv(65536)
            s.settimeout(1)
            try:
                state = "EOF" if s.recv(1) == b"" else "more"
            except socket.timeout:
                state = "open"
            s.settimeout(10)
            connection = f" Connection: {fields['connection']}" if "connection" in fields else ""
            return f"{lines[0]}{connection} {state}"
        s = socket.create_connection(("127.0.0.1", port)); s.settimeout(10)
        s.sendall(request("HTTP/1.0")); print(answer(s)); s.close()
        s = socket.create_connection(("127.0.0.1", port)); s.settimeout(10)
        s.sendall(request("HTTP/1.0", "Connection: keep-alive\r\n")); print(answer(s))
        s.sendall(request("HTTP/1.0", "Connection: keep-alive\r\n")); print(answer(s)); s.close()
        s = socket.create_connection(("127.0.0.1", port)); s.settimeout(10)
        s.sendall(f"{method} {path} HTTP/1.1\r\n\r\n".encode()); print(answer(s)); s.close()
        # 12 MB announced, 1 MB sent, Connection: close; read the answer, then keep our side open.
        s = socket.create_connection(("127.0.0.1", port)); s.settimeout(10)
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 12000000\r\nConnection: close\r\n\r\n".encode())
        try:
            s.sendall(b"x" * 1_000_000)
        except OSError:
            pass
        status = s.recv(65536).split(b"\r\n")[0].decode()
        local = s.getsockname()[1]
        def server_side_open():
            # the server's end of this connection in /proc/net/tcp (local port = server's, remote = ours), still
            # owned by a process (inode 0: closed by standin, left to the kernel's FIN-WAIT-2 timer)
            for line in open("/proc/net/tcp").read().splitlines()[1:]:
                fields = line.split()
                lport, rport = int(fields[1].split(":")[1], 16), int(fields[2].split(":")[1], 16)
                if lport == port and rport == local and fields[9] != "0":
                    return True
            return False
        deadline = time.time() + 8
        while server_side_open() and time.time() < deadline:
            time.sleep(0.2)
        print(status + (" still open on the server" if server_side_open() else " closed by the server"))
        s.close()
        """#

    /// Caller credentials that expire (credential_process, SSO, instance roles) are resolved again before they are
    /// handed on: a warm server used to give its functions the first ones it found forever, expired or not. The
    /// process here first answers with keys that expire in 30 s, then with fresh ones; keys that have already
    /// expired are never handed on, and a command that needs them says so.
    @Test func expiringCallerCredentialsAreRenewedAndExpiredOnesNeverHandedOn() throws {
        let cli = try StandinCLI()
        let app = try makeTemporaryDirectory("standin-expiring")
        try writeFile(app, "template.yaml", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              NoRole:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.12
                  Handler: app.handler
                  CodeUri: src
            """)
        try writeFile(app, "src/app.py", """
            import os

            def handler(event, context):
                return {"key": os.environ.get("AWS_ACCESS_KEY_ID"), "token": os.environ.get("AWS_SESSION_TOKEN")}
            """)
        // Call n of the process prints AKIDCALL<n>; the first call's keys expire in 30 s (or expired an hour ago
        // with EXPIRED set), later ones in two hours.
        try writeFile(app, "creds.sh", """
            #!/bin/sh
            count=$(cat "$0.count" 2>/dev/null || echo 0); count=$((count + 1)); echo $count > "$0.count"
            if [ "$count" = 1 ]; then
              if [ -n "$EXPIRED" ]; then when=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
              else when=$(date -u -d '+30 seconds' +%Y-%m-%dT%H:%M:%SZ); fi
            else when=$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ); fi
            printf '{"Version":1,"AccessKeyId":"AKIDCALL%s","SecretAccessKey":"s","SessionToken":"t%s","Expiration":"%s"}' \
              "$count" "$count" "$when"
            """, executable: true)
        try writeFile(cli.home, ".aws/config", "[default]\ncredential_process = \(app.path)/creds.sh\nregion = us-east-1\n")
        let port = freeLoopbackPort()
        let server = try StandinServerProcess(
            ["start-lambda", "--port", "\(port)", "--no-watch"], in: app, environment: cli.environment,
            stderrFile: app.appendingPathComponent("server.log"))
        try server.waitUntilListening([(port, 60)], what: "start-lambda")
        let url = "http://127.0.0.1:\(port)/2015-03-31/functions/NoRole/invocations"
        let first = try curl(url, method: "POST", body: "{}")
        let second = try curl(url, method: "POST", body: "{}")
        #expect(server.stop() == 0, "\(server.stderr)")
        #expect(first.json?["key"] as? String == "AKIDCALL1", "\(first.body)")
        #expect(second.json?["key"] as? String == "AKIDCALL2", "renewed before the second call: \(second.body)")

        // Keys that expired an hour ago: a function with no role runs without them, and says why; a command that
        // needs them to sign (whoami) fails with the reason.
        try? FileManager.default.removeItem(at: app.appendingPathComponent("creds.sh.count"))
        let invoke = try cli.run(["invoke", "NoRole", "-d", "{}"], in: app, extra: ["EXPIRED": "1"])
        #expect(invoke.status == 0, "\(invoke.stderrText)")
        #expect(!invoke.stdoutText.contains("AKIDCALL1"), "\(invoke.stdoutText)")
        #expect(invoke.stderrText.contains("expired at"), "\(invoke.stderrText)")
        try? FileManager.default.removeItem(at: app.appendingPathComponent("creds.sh.count"))
        let whoami = try cli.run(["whoami"], in: app, extra: ["EXPIRED": "1"])
        #expect(whoami.status == 3, "\(whoami.stderrText)")
        #expect(whoami.stderrText.contains("expired at"), "\(whoami.stderrText)")
    }

    /// SIGTERM while a request has run longer than the grace period: standin stops the function, answers the
    /// request with API Gateway's error, and exits 0 (it used to die of a ServiceGroup fatal error, SIGILL, and the
    /// client got nothing).
    @Test func shutdownDuringALongInvocationAnswersAndExitsCleanly() throws {
        let app = try makeTemporaryDirectory("standin-slow")
        let marker = UUID().uuidString
        try writeFile(app, "template.yaml", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Slow:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.12
                  Handler: app.handler
                  CodeUri: src
                  Timeout: 120
                  Environment:
                    Variables:
                      STANDIN_E2E_MARKER: "\(marker)"
                  Events:
                    Slow:
                      Type: Api
                      Properties: {Path: /slow, Method: get}
            """)
        try writeFile(app, "src/app.py", "import time\n\ndef handler(event, context):\n    time.sleep(100)\n    return {}\n")
        let port = freeLoopbackPort()
        let server = try StandinServerProcess(
            ["start-api", "--port", "\(port)", "--no-assume-role", "--no-watch"], in: app,
            environment: try StandinCLI().environment, stderrFile: app.appendingPathComponent("server.log"),
            stopTimeout: 40)
        try server.waitUntilListening([(port, 60)], what: "start-api")
        let output = app.appendingPathComponent("reply.txt")
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        client.arguments = ["curl", "-s", "-o", output.path, "-w", "%{http_code}", "-m", "60", "http://127.0.0.1:\(port)/slow"]
        let status = Pipe()
        client.standardOutput = status
        try client.run()
        #expect(pollUntil(timeout: 30) { server.stderr.contains("START RequestId") }, "\(server.stderr)")
        let started = Date()
        let exit = server.stop(timeout: 40)
        client.waitUntilExit()
        let code = String(decoding: status.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(exit == 0, "exit \(String(describing: exit)): \(server.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(code == "500", "the client got an answer: \(code)")
        #expect(!server.stderr.contains("Fatal error"), "\(server.stderr)")
        let marked = MarkedProcesses(marker: marker)
        #expect(pollUntil(timeout: 10) { marked.live.isEmpty }, "no function process is left")
    }
}

extension HardeningEndToEndTests {
    /// A function's grandchild in its own session (`setsid`, `Popen(start_new_session=True)`) leaves the process
    /// group standin kills; it carries the function's environment, and ends with the instance all the same.
    @Test func grandchildrenInTheirOwnSessionEndWithTheInstance() throws {
        let app = try makeTemporaryDirectory("standin-setsid")
        let marker = UUID().uuidString
        try writeFile(app, "template.yaml", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Spawner:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.12
                  Handler: app.handler
                  CodeUri: src
                  Environment:
                    Variables:
                      STANDIN_E2E_MARKER: "\(marker)"
            """)
        try writeFile(app, "src/app.py", """
            import subprocess

            def handler(event, context):
                child = subprocess.Popen(["sleep", "300"], start_new_session=True)
                return {"pid": child.pid}
            """)
        let cli = try StandinCLI()
        let result = try cli.run(["invoke", "Spawner", "--no-assume-role"], in: app, stdin: Data("{}".utf8))
        #expect(result.status == 0, "\(result.stderrText)")
        let pid = try #require(jsonObject(result.stdout)?["pid"] as? Int)
        let marked = MarkedProcesses(marker: marker)
        #expect(pollUntil(timeout: 10) { marked.live.isEmpty }, "left behind: \(marked.live)")
        #expect(!processIsAlive(Int32(pid)))
    }
}

extension HardeningEndToEndTests {
    /// Hot reload compares whole path components: an edit under `src/fn2` reloads Fn2 only, not Fn (`src/fn` is a
    /// prefix of its path).
    @Test func anEditReloadsOnlyTheFunctionWhoseFolderItIsIn() throws {
        let app = try makeTemporaryDirectory("standin-prefix")
        try writeFile(app, "template.yaml", """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function: {Runtime: python3.12, Handler: app.handler}
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src/fn}
              Fn2:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src/fn2}
            """)
        for folder in ["fn", "fn2"] {
            try writeFile(app, "src/\(folder)/app.py", "def handler(event, context):\n    return '\(folder)'\n")
        }
        let port = freeLoopbackPort()
        let server = try StandinServerProcess(
            ["start-lambda", "--port", "\(port)", "--no-assume-role"], in: app,
            environment: try StandinCLI().environment, stderrFile: app.appendingPathComponent("server.log"))
        try server.waitUntilListening([(port, 60)], what: "start-lambda")
        defer { server.stop() }
        // Edit until the watcher (which may not have taken its first look yet) reports a reload.
        var edits = 0
        let reloaded = pollUntil(timeout: 20, interval: 1) {
            edits += 1
            _ = try? writeFile(app, "src/fn2/app.py", "def handler(event, context):\n    return 'edit \(edits)'\n")
            return server.stderr.contains("standin: reloaded")
        }
        #expect(reloaded, "\(server.stderr)")
        let lines = server.stderr.split(separator: "\n").filter { $0.hasPrefix("standin: reloaded") }
        #expect(lines == ["standin: reloaded Fn2"], "\(lines)")
    }
}

/// Live processes whose environment has `STANDIN_E2E_MARKER=<marker>`.
struct MarkedProcesses {
    let marker: String
    var live: [Int32] {
        let needle = Data("STANDIN_E2E_MARKER=\(marker)".utf8)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = Int32(entry), processIsAlive(pid),
                let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ"), environ.range(of: needle) != nil
            else { return nil }
            return pid
        }
    }
}

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
            // A whole request still runs, and nothing ran for the two cut ones.
            let whole = try curl("http://127.0.0.1:\(port)/users", method: "POST", body: "abc")
            #expect(whole.status == 200)
            #expect(server.stderr.components(separatedBy: "POST /users 200 UsersLambdaFunction").count == 2, "\(server.stderr)")
            #expect(!server.stderr.contains("POST /users 400 UsersLambdaFunction"))
        }
    }
}

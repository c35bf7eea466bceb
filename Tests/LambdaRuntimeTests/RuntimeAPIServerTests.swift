import Foundation
import NIOPosix
import Testing
import TestSupport

@testable import LambdaRuntime

/// The Runtime API contract over real loopback HTTP, with curl as the runtime.
@Suite(.timeLimit(.minutes(1)))
struct RuntimeAPIServerTests {
    let arn = "arn:aws:lambda:eu-west-1:111122223333:function:f"

    func startServer(timeout: Duration = .seconds(3)) async throws -> (RuntimeAPIEndpoint, RuntimeAPIServer) {
        let endpoint = RuntimeAPIEndpoint(
            functionARN: arn, timeout: timeout, eventLoop: MultiThreadedEventLoopGroup.singleton.next())
        let server = try await RuntimeAPIServer.start(endpoint: endpoint)
        return (endpoint, server)
    }

    func url(_ server: RuntimeAPIServer, _ path: String) -> String {
        "http://\(server.address)/2018-06-01/runtime\(path)"
    }

    @Test func addressIsLoopbackWithoutScheme() async throws {
        let (_, server) = try await startServer()
        defer { Task { await server.close() } }
        #expect(server.address.wholeMatch(of: /127\.0\.0\.1:\d+/) != nil)
        #expect(server.port > 0)
    }

    @Test func nextDeliversTheEventWithHeadersThenResponseIsAccepted() async throws {
        let (endpoint, server) = try await startServer(timeout: .seconds(5))
        defer { Task { await server.close() } }
        let request = InvocationRequest(
            payload: Array(#"{"hello":"world"}"#.utf8), requestID: "req-1", clientContext: #"{"custom":{}}"#,
            cognitoIdentity: #"{"cognitoIdentityId":"x"}"#, traceID: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700")
        async let run = endpoint.run(request, initTimeout: .seconds(10))

        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let next = try await HTTPExchange.run("GET", url(server, "/invocation/next"))
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(next.status == 200)
        #expect(next.bodyText == #"{"hello":"world"}"#)
        #expect(next.headers["content-type"] == "application/json")
        #expect(next.headers["lambda-runtime-aws-request-id"] == "req-1")
        #expect(next.headers["lambda-runtime-invoked-function-arn"] == arn)
        #expect(next.headers["lambda-runtime-trace-id"] == "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700")
        #expect(next.headers["lambda-runtime-client-context"] == #"{"custom":{}}"#)
        #expect(next.headers["lambda-runtime-cognito-identity"] == #"{"cognitoIdentityId":"x"}"#)
        let deadline = try #require(next.headers["lambda-runtime-deadline-ms"].flatMap { Int64($0) })
        #expect(deadline >= before + 5000 - 1000 && deadline <= after + 5000 + 1000)

        let posted = try await HTTPExchange.run("POST", url(server, "/invocation/req-1/response"), body: [1, 2, 3])
        #expect(posted.status == 202)
        #expect(posted.bodyText == #"{"status":"OK"}"#)
        let (outcome, delivered) = await run
        #expect(outcome == .response([1, 2, 3]))
        #expect(delivered != nil)

        let again = try await HTTPExchange.run("POST", url(server, "/invocation/req-1/response"), body: [1])
        #expect(again.status == 403)
        #expect(jsonObject(again.body)?["errorType"] as? String == "InvalidStateTransition")
    }

    @Test func noContextHeadersWhenNotGiven() async throws {
        let (endpoint, server) = try await startServer()
        defer { Task { await server.close() } }
        async let run = endpoint.run(InvocationRequest(payload: [], requestID: "r"), initTimeout: .seconds(10))
        let next = try await HTTPExchange.run("GET", url(server, "/invocation/next"))
        #expect(next.headers["lambda-runtime-client-context"] == nil)
        #expect(next.headers["lambda-runtime-cognito-identity"] == nil)
        #expect(next.headers["content-type"] == "application/json")
        #expect(next.headers["lambda-runtime-trace-id"]?.hasPrefix("Root=1-") == true)
        _ = try await HTTPExchange.run("POST", url(server, "/invocation/r/response"), body: [])
        _ = await run
    }

    @Test func unknownRequestIDGets400() async throws {
        let (_, server) = try await startServer()
        defer { Task { await server.close() } }
        for path in ["/invocation/nope/response", "/invocation/nope/error"] {
            let exchange = try await HTTPExchange.run("POST", url(server, path), body: Array("{}".utf8))
            #expect(exchange.status == 400)
            #expect(exchange.bodyText == #"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#)
        }
    }

    @Test func unknownPathGets404() async throws {
        let (_, server) = try await startServer()
        defer { Task { await server.close() } }
        #expect(try await HTTPExchange.run("GET", "http://\(server.address)/nope").status == 404)
        #expect(
            try await HTTPExchange.run("GET", "http://\(server.address)/2020-01-01/extension/event/next").status == 404)
    }

    @Test func errorIsAcceptedAndCarriesTheTypeHeader() async throws {
        let (endpoint, server) = try await startServer()
        defer { Task { await server.close() } }
        async let run = endpoint.run(InvocationRequest(payload: [], requestID: "e1"), initTimeout: .seconds(10))
        _ = try await HTTPExchange.run("GET", url(server, "/invocation/next"))
        let body = Array(#"{"errorMessage":"bad","errorType":"MyError"}"#.utf8)
        let posted = try await HTTPExchange.run(
            "POST", url(server, "/invocation/e1/error"), body: body,
            headers: ["Lambda-Runtime-Function-Error-Type": "Unhandled"])
        #expect(posted.status == 202)
        #expect(await run.0 == .functionError(errorType: "Unhandled", body: body))
    }

    @Test func initErrorIsAcceptedAndFailsThePendingInvoke() async throws {
        let (endpoint, server) = try await startServer()
        defer { Task { await server.close() } }
        let body = Array(#"{"errorMessage":"no module","errorType":"Runtime.ImportModuleError"}"#.utf8)
        let posted = try await HTTPExchange.run(
            "POST", url(server, "/init/error"), body: body,
            headers: ["Lambda-Runtime-Function-Error-Type": "Runtime.ImportModuleError"])
        #expect(posted.status == 202)
        let (outcome, delivered) = await endpoint.run(InvocationRequest(payload: []), initTimeout: .seconds(10))
        #expect(outcome == .initError(errorType: "Runtime.ImportModuleError", body: body))
        #expect(delivered == nil)
    }

    @Test func responseSizeLimitIs6291556Bytes() async throws {
        let (endpoint, server) = try await startServer(timeout: .seconds(30))
        defer { Task { await server.close() } }
        let limit = RuntimeAPIResponse.maxPayloadSize
        #expect(limit == 6_291_556)

        async let first = endpoint.run(InvocationRequest(payload: [], requestID: "big-ok"), initTimeout: .seconds(30))
        _ = try await HTTPExchange.run("GET", url(server, "/invocation/next"))
        let exact = [UInt8](repeating: UInt8(ascii: "a"), count: limit)
        let accepted = try await HTTPExchange.run("POST", url(server, "/invocation/big-ok/response"), body: exact)
        #expect(accepted.status == 202)
        #expect(await first.0 == .response(exact))

        async let second = endpoint.run(InvocationRequest(payload: [], requestID: "big-no"), initTimeout: .seconds(30))
        _ = try await HTTPExchange.run("GET", url(server, "/invocation/next"))
        let over = [UInt8](repeating: UInt8(ascii: "a"), count: limit + 1)
        let rejected = try await HTTPExchange.run("POST", url(server, "/invocation/big-no/response"), body: over)
        #expect(rejected.status == 413)
        #expect(
            rejected.bodyText
                == #"{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","#
                + #""errorType":"RequestEntityTooLarge"}"#
        )
        #expect(await second.0 == .responseTooLarge(size: limit + 1))
    }

    @Test func invocationTimesOutAfterDelivery() async throws {
        let (endpoint, server) = try await startServer(timeout: .milliseconds(300))
        defer { Task { await server.close() } }
        async let run = endpoint.run(InvocationRequest(payload: [], requestID: "slow"), initTimeout: .seconds(10))
        _ = try await HTTPExchange.run("GET", url(server, "/invocation/next"))
        #expect(await run.0 == .timedOut)
        #expect(!endpoint.isHealthy)
        let late = try await HTTPExchange.run("POST", url(server, "/invocation/slow/response"), body: [])
        #expect(late.status == 400)
    }

    @Test func connectionsAreKeptAlive() async throws {
        let (_, server) = try await startServer()
        defer { Task { await server.close() } }
        let target = "http://\(server.address)/nope"
        let connects = try await Task.detached {
            try runProcess(
                "curl", ["-s", "-o", "/dev/null", "-o", "/dev/null", "-w", "%{num_connects}\n", target, target],
                timeout: 30)
        }.value
        #expect(connects.stdoutText == "1\n0\n")
    }

    @Test func expectContinueIsAnswered() async throws {
        let (endpoint, server) = try await startServer(timeout: .seconds(30))
        defer { Task { await server.close() } }
        async let run = endpoint.run(InvocationRequest(payload: [], requestID: "big"), initTimeout: .seconds(30))
        _ = try await HTTPExchange.run("GET", url(server, "/invocation/next"))
        let dir = try makeTemporaryDirectory("standin-expect")
        let file = dir.appendingPathComponent("body")
        try Data(repeating: UInt8(ascii: "b"), count: 2 * 1024 * 1024).write(to: file)
        let target = url(server, "/invocation/big/response")
        let result = try await Task.detached {
            try runProcess(
                "curl", ["-sS", "-v", "--expect100-timeout", "30", "--data-binary", "@\(file.path)", target],
                timeout: 60)
        }.value
        #expect(result.stderrText.contains("HTTP/1.1 100 Continue"))
        #expect(result.stdoutText == #"{"status":"OK"}"#)
        if case .response(let bytes) = await run.0 { #expect(bytes.count == 2 * 1024 * 1024) } else { Issue.record() }
    }

    @Test func streamedResponseIsBufferedAndTrailerErrorsFailTheInvoke() async throws {
        let (endpoint, server) = try await startServer()
        defer { Task { await server.close() } }
        async let ok = endpoint.run(InvocationRequest(payload: [], requestID: "s1"), initTimeout: .seconds(10))
        _ = try await HTTPExchange.run("GET", url(server, "/invocation/next"))
        let streamed = try await HTTPExchange.run(
            "POST", url(server, "/invocation/s1/response"), body: Array("chunked body".utf8),
            headers: ["Lambda-Runtime-Function-Response-Mode": "streaming", "Transfer-Encoding": "chunked"])
        #expect(streamed.status == 202)
        #expect(await ok.0 == .response(Array("chunked body".utf8)))

        async let failed = endpoint.run(InvocationRequest(payload: [], requestID: "s2"), initTimeout: .seconds(10))
        _ = try await HTTPExchange.run("GET", url(server, "/invocation/next"))
        let errorBody = #"{"errorMessage":"midway","errorType":"StreamError"}"#
        let encoded = Data(errorBody.utf8).base64EncodedString()
        let dir = try makeTemporaryDirectory("standin-trailer")
        let target = url(server, "/invocation/s2/response")
        // curl sends trailers from a callback only; a raw request through bash's /dev/tcp is simpler.
        let host = server.address.split(separator: ":")
        let request =
            "POST /2018-06-01/runtime/invocation/s2/response HTTP/1.1\r\nHost: x\r\n"
            + "Transfer-Encoding: chunked\r\nTrailer: Lambda-Runtime-Function-Error-Type\r\n"
            + "Connection: close\r\n\r\n3\r\nabc\r\n0\r\nLambda-Runtime-Function-Error-Type: StreamError\r\n"
            + "Lambda-Runtime-Function-Error-Body: \(encoded)\r\n\r\n"
        try Data(request.utf8).write(to: dir.appendingPathComponent("req"))
        let script = "exec 3<>/dev/tcp/\(host[0])/\(host[1]); cat \"$1\" >&3; cat <&3"
        let reply = try await Task.detached {
            try runProcess("bash", ["-c", script, "x", dir.appendingPathComponent("req").path], timeout: 30)
        }.value
        #expect(reply.stdoutText.hasPrefix("HTTP/1.1 202"), "\(target)")
        #expect(await failed.0 == .functionError(errorType: "StreamError", body: Array(errorBody.utf8)))
    }
}

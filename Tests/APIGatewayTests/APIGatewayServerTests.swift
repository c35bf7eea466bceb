import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import APIGateway

/// Hummingbird logs cancellation of its child channels at error level; tests stop servers by cancelling.
let quietLogger: Logger = {
    var logger = Logger(label: "test.apigateway")
    logger.logLevel = .critical
    return logger
}()

/// Access log lines collected from the server.
final class LineLog: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}

/// The server live on 127.0.0.1 port 0, driven by curl.
struct APIGatewayServerTests {
    /// What curl saw.
    struct CurlResponse {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func headers(_ name: String) -> [String] {
            headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
        }
    }

    /// Runs curl on its own thread (not a cooperative-pool thread) and parses `-i` output.
    static func curl(_ arguments: [String]) async throws -> CurlResponse {
        let result: ProcessResult = try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(returning: try runProcess("curl", ["-sS", "-i"] + arguments, timeout: 30))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
        guard result.status == 0 else { throw TestSupportError("curl failed: \(result.stderrText)") }
        let text = result.stdoutText
        guard let split = text.range(of: "\r\n\r\n") else { throw TestSupportError("no header end in \(text)") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return CurlResponse(status: status, headers: headers, body: String(text[split.upperBound...]))
    }

    /// Starts a server, runs `body` with its base URL, then cancels it and checks that `run()` returned.
    static func withServer(
        routes: [APIRoute],
        invoker: RecordingInvoker,
        staticFolder: String? = nil,
        maxBody: Int = 10 * 1024 * 1024,
        log: LineLog? = nil,
        _ body: (String, APIGatewayServer) async throws -> Void
    ) async throws {
        let pipeline = GatewayPipeline(
            routes: try RouteTable(routes: routes),
            staticFiles: staticFolder.flatMap(StaticFiles.init(folder:)),
            invoker: invoker
        )
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = APIGatewayServer(
            configuration: .init(host: "127.0.0.1", port: 0, maxRequestBodySize: maxBody),
            pipeline: pipeline,
            logger: quietLogger,
            accessLog: { entry in log?.append(entry.description) },
            onServerRunning: { continuation.yield($0) }
        )
        let task = Task { try await server.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestSupportError("server did not start") }
        #expect(port > 0)
        do {
            try await body("http://127.0.0.1:\(port)", server)
        } catch {
            task.cancel()
            throw error
        }
        task.cancel()
        try await task.value
    }

    @Test(.timeLimit(.minutes(1)))
    func restAndHTTPRoutesShareOnePort() async throws {
        let invoker = RecordingInvoker { function, _ in
            let answer =
                function == "Http"
                ? #"{"statusCode":201,"headers":{"Content-Type":"text/plain"},"#
                    + #""cookies":["a=1","b=2; Path=/"],"body":"hi http"}"#
                : #"{"statusCode":200,"multiValueHeaders":{"X-Multi":["1","2"]},"body":"hi rest"}"#
            return FunctionInvocationOutcome(payload: Array(answer.utf8))
        }
        let log = LineLog()
        let routes = [
            APIRoute(method: "POST", path: "/http/{name}", kind: .http, functionLogicalID: "Http"),
            APIRoute(method: "GET", path: "/rest/{proxy+}", kind: .rest, functionLogicalID: "Rest"),
        ]
        try await Self.withServer(routes: routes, invoker: invoker, log: log) { base, _ in
            let http = try await Self.curl([
                "-X", "POST", "-H", "Content-Type: application/json", "-H", "Cookie: s=1; t=2",
                "--data-binary", #"{"x":1}"#, "\(base)/http/ann?q=1&q=2",
            ])
            #expect(http.status == 201)
            #expect(http.body == "hi http")
            #expect(http.headers("Set-Cookie") == ["a=1", "b=2; Path=/"])
            #expect(http.headers("Content-Type") == ["text/plain"])
            let rest = try await Self.curl(["\(base)/rest/a/b"])
            #expect(rest.status == 200)
            #expect(rest.body == "hi rest")
            #expect(rest.headers("X-Multi") == ["1", "2"])
            #expect(rest.headers("Content-Type") == ["application/json"])
            let unknown = try await Self.curl(["\(base)/nowhere"])
            #expect(unknown.status == 403)
            #expect(unknown.body == #"{"message":"Missing Authentication Token"}"#)
        }
        let calls = invoker.invocations
        try #require(calls.count == 2)
        let event = calls[0].event
        #expect(event["version"] == .string("2.0"))
        #expect(event["routeKey"] == .string("POST /http/{name}"))
        #expect(event["rawQueryString"] == .string("q=1&q=2"))
        #expect(event["queryStringParameters"]?["q"] == .string("1,2"))
        #expect(event["cookies"] == .array([.string("s=1"), .string("t=2")]))
        #expect(event["body"] == .string(#"{"x":1}"#))
        #expect(event["pathParameters"]?["name"] == .string("ann"))
        #expect(event["requestContext"]?["http"]?["sourceIp"] == .string("127.0.0.1"))
        #expect(event["headers"]?["user-agent"]?.stringValue?.hasPrefix("curl/") == true)
        #expect(event["headers"]?["x-forwarded-port"] != nil)
        let restEvent = calls[1].event
        #expect(restEvent["resource"] == .string("/rest/{proxy+}"))
        #expect(restEvent["pathParameters"]?["proxy"] == .string("a/b"))
        let lines = log.lines
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("POST /http/ann 201 Http ") == true)
        #expect(lines.last?.hasPrefix("GET /nowhere 403 - ") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func bodiesOverTheLimitGet413() async throws {
        let invoker = RecordingInvoker(answer: #"{"statusCode":200,"body":"ok"}"#)
        let routes = [APIRoute(method: "POST", path: "/up", kind: .http, functionLogicalID: "F")]
        let directory = try makeTemporaryDirectory()
        let big = directory.appendingPathComponent("big.bin")
        try Data(repeating: 65, count: 4096).write(to: big)
        try await Self.withServer(routes: routes, invoker: invoker, maxBody: 1024) { base, _ in
            let withLength = try await Self.curl(["--data-binary", "@\(big.path)", "\(base)/up"])
            #expect(withLength.status == 413)
            let chunked = try await Self.curl([
                "-H", "Transfer-Encoding: chunked", "--data-binary", "@\(big.path)", "\(base)/up",
            ])
            #expect(chunked.status == 413)
            let small = try await Self.curl(["--data-binary", "small", "\(base)/up"])
            #expect(small.status == 200)
        }
        #expect(invoker.invocations.count == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func staticFilesFirstAndNoTraversal() async throws {
        let (root, _) = try StaticFilesTests.makeSite()
        let invoker = RecordingInvoker(answer: #"{"statusCode":200,"body":"from function"}"#)
        let routes = [APIRoute(method: "ANY", path: "$default", kind: .http, functionLogicalID: "F")]
        try await Self.withServer(
            routes: routes,
            invoker: invoker,
            staticFolder: root.appendingPathComponent("public").path
        ) { base, _ in
            let css = try await Self.curl(["\(base)/css/site.css"])
            #expect(css.status == 200)
            #expect(css.body == "body{}")
            #expect(css.headers("Content-Type") == ["text/css; charset=utf-8"])
            for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/link-out"] {
                let refused = try await Self.curl(["--path-as-is", "\(base)\(path)"])
                #expect(refused.status == 403, "\(path)")
                #expect(!refused.body.contains("top secret"))
            }
            let dynamic = try await Self.curl(["\(base)/api/thing"])
            #expect(dynamic.body == "from function")
            let head = try await Self.curl(["-I", "\(base)/index.html"])
            #expect(head.status == 200)
            #expect(head.headers("Content-Length") == ["11"])
        }
        #expect(invoker.invocations.count == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func corsPreflightAndAuthorizerLive() async throws {
        let invoker = RecordingInvoker { function, _ in
            if function == "Auth" { return FunctionInvocationOutcome(payload: Array(#"{"isAuthorized":false}"#.utf8)) }
            return FunctionInvocationOutcome(payload: Array(#"{"ok":true}"#.utf8))
        }
        let authorizer = AuthorizerConfiguration(
            name: "A",
            functionLogicalID: "Auth",
            type: .request,
            identitySources: ["$request.header.Authorization"],
            payloadFormatVersion: "2.0",
            enableSimpleResponses: true
        )
        let cors = CORSConfiguration(
            allowOrigins: ["http://localhost:5173"],
            allowMethods: ["GET"],
            allowHeaders: ["authorization"]
        )
        let routes = [
            APIRoute(
                method: "GET",
                path: "/secure",
                kind: .http,
                functionLogicalID: "F",
                cors: cors,
                authorizer: authorizer
            ),
            APIRoute(method: "GET", path: "/open", kind: .http, functionLogicalID: "F", cors: cors),
        ]
        try await Self.withServer(routes: routes, invoker: invoker) { base, _ in
            let preflight = try await Self.curl([
                "-X", "OPTIONS", "-H", "Origin: http://localhost:5173", "-H", "Access-Control-Request-Method: GET",
                "\(base)/secure",
            ])
            #expect(preflight.status == 204)
            #expect(preflight.headers("Access-Control-Allow-Origin") == ["http://localhost:5173"])
            let missing = try await Self.curl(["\(base)/secure"])
            #expect(missing.status == 401)
            let denied = try await Self.curl(["-H", "Authorization: x", "\(base)/secure"])
            #expect(denied.status == 403)
            #expect(denied.body == #"{"message":"Forbidden"}"#)
            let open = try await Self.curl(["-H", "Origin: http://localhost:5173", "\(base)/open"])
            #expect(open.status == 200)
            #expect(open.body == #"{"ok":true}"#)
            #expect(open.headers("Access-Control-Allow-Origin") == ["http://localhost:5173"])
            let notFound = try await Self.curl(["\(base)/nothing"])
            #expect(notFound.status == 404)
        }
        #expect(invoker.invocations.map(\.function) == ["Auth", "F"])
    }

    @Test(.timeLimit(.minutes(1)))
    func replacingThePipelineSwapsRoutesWithoutRebinding() async throws {
        let invoker = RecordingInvoker { function, _ in
            FunctionInvocationOutcome(payload: Array("\"\(function)\"".utf8))
        }
        let first = [APIRoute(method: "GET", path: "/a", kind: .http, functionLogicalID: "Old")]
        try await Self.withServer(routes: first, invoker: invoker) { base, server in
            #expect(try await Self.curl(["\(base)/a"]).body == "Old")
            let routes = try RouteTable(routes: [
                APIRoute(method: "GET", path: "/a", kind: .http, functionLogicalID: "New")
            ])
            server.replacePipeline(GatewayPipeline(routes: routes, invoker: invoker))
            #expect(try await Self.curl(["\(base)/a"]).body == "New")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aPortInUseIsAClearError() async throws {
        let invoker = RecordingInvoker(answer: "{}")
        let routes = [APIRoute(method: "GET", path: "/a", kind: .http, functionLogicalID: "F")]
        try await Self.withServer(routes: routes, invoker: invoker) { base, _ in
            let port = try #require(Int(base.split(separator: ":").last ?? ""))
            let second = APIGatewayServer(
                configuration: .init(host: "127.0.0.1", port: port),
                pipeline: GatewayPipeline(routes: try RouteTable(routes: routes), invoker: invoker),
                logger: quietLogger
            )
            let error = await #expect(throws: APIGatewayError.self) { try await second.run() }
            #expect(error?.description.contains("127.0.0.1:\(port)") == true)
        }
    }
}

import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `standin start-api` as a user runs it: a real server process, real Python and Node.js functions, curl.
@Suite("standin start-api, end to end", .serialized)
struct StartAPITests {
    /// Keys the aws-lambda-go fixtures fill from their own request (compared as containers only).
    static let requestDependent: Set<String> = [
        "headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters",
        "pathParameters", "stageVariables", "requestContext.authorizer",
    ]

    /// Documented differences from the aws-lambda-go fixtures: keys present only for some requests (mTLS client
    /// certificates, authorizers, cookies) or newer than the fixture (`isBase64Encoded`, `principalOrgId`, both sent
    /// by API Gateway today).
    static let allowedDifferences: Set<String> = [
        "isBase64Encoded: extra", "requestContext.identity.principalOrgId: extra",
        "requestContext.identity.clientCert: missing", "requestContext.authorizer: missing",
        "requestContext.authentication: missing", "cookies: extra", "pathParameters: extra",
        "queryStringParameters: extra",
    ]

    static func conformanceEvent(_ name: String) throws -> JSONShape? {
        guard let conformance = try TestPaths.requireConformance() else { return nil }
        let data = try Data(contentsOf: conformance.appendingPathComponent("events/aws-lambda-go/\(name)"))
        return try JSONShape(parsing: data)
    }

    /// The event the echo function got, as JSON data.
    static func echoedEvent(_ reply: HTTPReply) throws -> Data {
        let object = try #require(reply.json?["event"], "no event in \(reply.status) \(reply.text)")
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test("REST and HTTP API events have the shape of API Gateway's (aws-lambda-go fixtures)")
    func eventShapes() throws {
        guard let restReference = try Self.conformanceEvent("apigw-request.json"),
            let httpReference = try Self.conformanceEvent("apigw-v2-request-no-authorizer.json")
        else { return }
        let server = try StartAPIServer()
        defer { server.stop() }

        let rest = try curl("\(server.base)/rest/items/42?color=red&color=blue", headers: ["X-Custom: a"])
        #expect(rest.status == 200, "\(rest.text) \(server.stderr)")
        let restEvent = try Self.echoedEvent(rest)
        let restProblems = try JSONShape(parsing: restEvent).differences(
            from: restReference, opaque: Self.requestDependent
        ).filter { !Self.allowedDifferences.contains($0) }
        #expect(restProblems.isEmpty, "REST event differs: \(restProblems)")
        let restJSON = try #require(jsonObject(restEvent))
        #expect(restJSON["version"] == nil, "a REST event has no version")
        #expect(restJSON["resource"] as? String == "/rest/items/{id}")
        #expect(restJSON["pathParameters"] as? [String: String] == ["id": "42"])
        #expect(restJSON["multiValueQueryStringParameters"] as? [String: [String]] == ["color": ["red", "blue"]])
        #expect((restJSON["headers"] as? [String: String])?["Host"] == "127.0.0.1:\(server.port)")
        let context = try #require(restJSON["requestContext"] as? [String: Any])
        #expect(context["stage"] as? String == "Prod")
        #expect((context["identity"] as? [String: Any])?["sourceIp"] as? String == "127.0.0.1")

        let http = try curl(
            "\(server.base)/http/items/7?tag=a&tag=b", headers: ["Cookie: one=1", "Cookie: two=2", "X-Dup: x"])
        #expect(http.status == 200, "\(http.text)")
        let httpEvent = try Self.echoedEvent(http)
        let httpProblems = try JSONShape(parsing: httpEvent).differences(
            from: httpReference, opaque: Self.requestDependent
        ).filter { !Self.allowedDifferences.contains($0) }
        #expect(httpProblems.isEmpty, "HTTP API event differs: \(httpProblems)")
        let httpJSON = try #require(jsonObject(httpEvent))
        #expect(httpJSON["version"] as? String == "2.0")
        #expect(httpJSON["routeKey"] as? String == "GET /http/items/{id}")
        #expect(httpJSON["rawQueryString"] as? String == "tag=a&tag=b")
        #expect(httpJSON["queryStringParameters"] as? [String: String] == ["tag": "a,b"])
        #expect(httpJSON["cookies"] as? [String] == ["one=1", "two=2"])
        #expect(httpJSON["multiValueHeaders"] == nil)
        let headers = try #require(httpJSON["headers"] as? [String: String])
        #expect(headers.keys.allSatisfy { $0 == $0.lowercased() }, "\(headers.keys)")
        #expect(headers["x-dup"] == "x")
    }

    @Test("payload 1.0 on an HTTP API, {proxy+}, ANY and $default on a Node.js function")
    func routing() throws {
        let server = try StartAPIServer()
        defer { server.stop() }

        let v1 = try curl("\(server.base)/http1/items?a=1")
        let v1Event = try #require(jsonObject(try Self.echoedEvent(v1)), "\(v1.text)")
        #expect(v1Event["version"] as? String == "1.0")
        #expect(v1Event["httpMethod"] as? String == "GET")
        #expect(v1Event["multiValueHeaders"] != nil)

        for method in ["GET", "POST", "DELETE"] {
            let proxy = try curl("\(server.base)/rest/files/a/b%20c.txt", method: method, body: "x")
            let event = try #require(jsonObject(try Self.echoedEvent(proxy)), "\(proxy.text)")
            #expect(event["httpMethod"] as? String == method)
            #expect(event["resource"] as? String == "/rest/files/{proxy+}")
            #expect(event["pathParameters"] as? [String: String] == ["proxy": "a/b c.txt"])
        }

        let fallback = try curl("\(server.base)/anything/else", method: "PUT", body: "{}")
        #expect(fallback.status == 200, "\(fallback.text) \(server.stderr)")
        let node = try #require(fallback.json, "\(fallback.text)")
        #expect(node["runtime"] as? String == "node")
        #expect(node["routeKey"] as? String == "$default")
        #expect(node["rawPath"] as? String == "/anything/else")
    }

    @Test("unknown routes: REST 403 Missing Authentication Token; HTTP-only APIs 404 Not Found")
    func unknownRoutes() throws {
        // The fixture app has an HTTP API $default route that takes every unmatched path: use one-route apps.
        let dir = try makeTemporaryDirectory("startapi-routes")
        try writeFile(dir, "src/app.py", "def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n")
        for (kind, status, message) in [("Api", 403, "Missing Authentication Token"), ("HttpApi", 404, "Not Found")] {
            try writeFile(dir, "template.yaml", """
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: python3.12
                      Handler: app.handler
                      CodeUri: src/
                      Events:
                        E:
                          Type: \(kind)
                          Properties:
                            Path: /known
                            Method: get
                """)
            let port = freeLoopbackPort()
            let cli = try StandinCLI()
            let process = Process()
            process.executableURL = TestPaths.standinBinary
            process.arguments = ["start-api", "--port", "\(port)", "--no-assume-role", "--no-watch"]
            process.environment = cli.environment
            process.currentDirectoryURL = dir
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer {
                kill(process.processIdentifier, SIGINT)
                process.waitUntilExit()
            }
            try waitForPort(port)
            let known = try curl("http://127.0.0.1:\(port)/known")
            #expect(known.status == 200 && known.text == "ok", "\(kind): \(known.status) \(known.text)")
            let unknown = try curl("http://127.0.0.1:\(port)/unknown")
            #expect(unknown.status == status, "\(kind)")
            #expect(unknown.json?["message"] as? String == message, "\(kind): \(unknown.text)")
        }
    }

    @Test("response mapping: headers + multiValueHeaders, cookies, base64 bodies, inferred 2.0 responses")
    func responseMapping() throws {
        let server = try StartAPIServer()
        defer { server.stop() }

        let rest = try curl("\(server.base)/rest/shape/headers")
        #expect(rest.status == 201)
        #expect(rest.text == "shaped")
        #expect(rest.value("X-Single") == "one")
        #expect(rest.values("X-Multi") == ["a", "b"])
        // API Gateway merges headers into multiValueHeaders: both values are kept.
        #expect(rest.values("X-Both").sorted() == ["from-headers", "from-multi"])

        let cookies = try curl("\(server.base)/http/shape/cookies")
        #expect(cookies.values("Set-Cookie").sorted() == ["a=1; Path=/", "b=2; HttpOnly"])

        // HTTP API decodes base64 bodies; REST only for its BinaryMediaTypes (image/png here).
        let expected = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF])
        let httpBinary = try curl("\(server.base)/http/shape/binary")
        #expect(httpBinary.body == expected)
        let restBinary = try curl("\(server.base)/rest/shape/binary", headers: ["Accept: image/png"])
        #expect(restBinary.body == expected)
        #expect(restBinary.value("Content-Type") == "image/png")

        let inferred = try curl("\(server.base)/http/shape/inferred")
        #expect(inferred.status == 200)
        #expect(inferred.value("Content-Type") == "application/json")
        #expect(inferred.json?["hello"] as? String == "world")
    }

    @Test("CORS preflight, TOKEN authorizer allow/deny, static files and refused ../ paths")
    func corsAuthorizerAndStaticFiles() throws {
        let server = try StartAPIServer()
        defer { server.stop() }

        let preflight = try curl(
            "\(server.base)/rest/items/1", method: "OPTIONS",
            headers: ["Origin: https://app.example.com", "Access-Control-Request-Method: POST"])
        #expect(preflight.status == 200)
        #expect(preflight.value("Access-Control-Allow-Origin") == "https://app.example.com")
        #expect(preflight.value("Access-Control-Allow-Methods")?.contains("POST") == true)
        #expect(preflight.value("Access-Control-Allow-Headers") == "Content-Type,X-Custom")
        #expect(preflight.value("Access-Control-Max-Age") == "600")

        let missing = try curl("\(server.base)/rest/secure")
        #expect(missing.status == 401)
        #expect(missing.json?["message"] as? String == "Unauthorized")
        let denied = try curl("\(server.base)/rest/secure", headers: ["Authorization: Bearer deny"])
        #expect(denied.status == 403, "\(denied.text)")
        let allowed = try curl("\(server.base)/rest/secure", headers: ["Authorization: Bearer allow"])
        #expect(allowed.status == 200, "\(allowed.text) \(server.stderr)")
        let event = try #require(jsonObject(try Self.echoedEvent(allowed)))
        let authorizer = try #require((event["requestContext"] as? [String: Any])?["authorizer"] as? [String: Any])
        #expect(authorizer["principalId"] as? String == "e2e-user")
        #expect(authorizer["team"] as? String == "standin")

        let index = try curl("\(server.base)/")
        #expect(index.status == 200 && index.text.contains("<h1>static</h1>"))
        #expect(index.value("Content-Type")?.hasPrefix("text/html") == true)
        let css = try curl("\(server.base)/site.css")
        #expect(css.value("Content-Type")?.hasPrefix("text/css") == true)
        for escape in ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/public/../../secret.txt"] {
            let reply = try curl("\(server.base)\(escape)")
            #expect(reply.status == 403 || reply.status == 404, "\(escape): \(reply.status)")
            #expect(!reply.text.contains("secret"), "\(escape) leaked the file")
        }
    }

    @Test("faults: crash, timeout, malformed answer and a > 6 MB answer get error responses; the next request works")
    func faults() throws {
        let server = try StartAPIServer(logToFile: true)
        defer { server.stop() }
        for (kind, restLine) in [
            ("crash", "Runtime.ExitError"), ("hang", "Task timed out after 2.00 seconds"),
            ("malformed", "unknown keys in proxy response: unexpected"), ("huge", "Function.ResponseSizeTooLarge"),
        ] {
            let rest = try curl("\(server.base)/rest/fault/\(kind)")
            #expect(rest.status == 502, "\(kind): \(rest.status) \(rest.text)")
            #expect(rest.json?["message"] as? String == "Internal server error", "\(kind)")
            let http = try curl("\(server.base)/http/fault/\(kind)")
            #expect(http.status == 500, "\(kind): \(http.status) \(http.text)")
            #expect(http.json?["message"] as? String == "Internal Server Error", "\(kind)")
            let after = try curl("\(server.base)/rest/fault/ok")
            #expect(after.status == 200, "after \(kind): \(after.text)")
            let line = server.log.split(separator: "\n").first { $0.hasPrefix("GET /rest/fault/\(kind) 502 Faults") }
            #expect(line?.contains(restLine) == true, "\(kind): access log line \(line ?? "missing")")
        }
        let malformedHTTP = server.log.split(separator: "\n").first {
            $0.hasPrefix("GET /http/fault/malformed 500 Faults")
        }
        #expect(malformedHTTP?.contains("statusCode") == true, "\(malformedHTTP ?? "no log line")")
        #expect(server.stderr.split(separator: "\n").allSatisfy { !$0.hasPrefix("GET /") }, "access log in the file")
    }

    @Test("concurrent requests to a slow function run in separate instances; SIGINT leaves no process behind")
    func concurrencyAndShutdown() throws {
        let server = try StartAPIServer()
        let replies = try curlConcurrently(Array(repeating: "\(server.base)/rest/fault/slow", count: 3))
        let runs = replies.compactMap { jsonObject($0) }
        #expect(runs.count == 3, "\(replies.map { String(decoding: $0, as: UTF8.self) }) \(server.stderr)")
        let pids = Set(runs.compactMap { $0["pid"] as? Int })
        #expect(pids.count == 3, "one instance each: \(pids)")
        let starts = runs.compactMap { $0["start"] as? Double }
        let ends = runs.compactMap { $0["end"] as? Double }
        if let latestStart = starts.max(), let earliestEnd = ends.min() {
            #expect(latestStart < earliestEnd, "the three invocations overlapped")
        }
        let _ = try curl("\(server.base)/")  // static file, no function
        let node = try curl("\(server.base)/node/anything")
        let nodePID = node.json?["pid"] as? Int
        #expect(nodePID != nil)
        #expect(server.functionProcesses(instancesOnly: true).count >= 4, "instances are running before SIGINT")

        let status = server.stop()
        #expect(status == 0, "exit status after SIGINT: \(String(describing: status)) \(server.stderr)")
        #expect(server.functionProcesses().isEmpty, "function processes left: \(server.functionProcesses())")
        for pid in pids.union(nodePID.map { [$0] } ?? []) {
            #expect(!processIsAlive(Int32(pid)), "instance \(pid) still alive")
        }
    }

    @Test("hot reload: a handler edit is served by the next request and reported once; a template edit reloads routes")
    func hotReload() throws {
        let server = try StartAPIServer()
        defer { server.stop() }
        let before = try curl("\(server.base)/rest/items/1")
        #expect(before.json?["version"] as? Int == 1)

        let handler = server.app.appendingPathComponent("src/echo.py")
        let code = try String(contentsOf: handler, encoding: .utf8)
        try code.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2").write(
            to: handler, atomically: false, encoding: .utf8)
        let reloaded = try server.eventually {
            try curl("\(server.base)/rest/items/1").json?["version"] as? Int == 2
        }
        #expect(reloaded, "the edited handler is served")
        func notes() -> [Substring] {
            server.stderr.split(separator: "\n").filter { $0.hasPrefix("standin: reloaded") }
        }
        #expect(server.eventually { !notes().isEmpty }, "the reload is reported")
        _ = try curl("\(server.base)/rest/items/1")
        #expect(notes().count == 1, "\(notes())")
        #expect(notes().first?.contains("Echo") == true, "\(notes())")

        let templateURL = server.app.appendingPathComponent("template.yaml")
        let template = try String(contentsOf: templateURL, encoding: .utf8)
        try template.replacingOccurrences(of: "Path: /http1/items", with: "Path: /http1/renamed").write(
            to: templateURL, atomically: false, encoding: .utf8)
        let routed = try server.eventually {
            try curl("\(server.base)/http1/renamed").json?["event"] != nil
        }
        #expect(routed, "the new route answers: \(server.stderr)")
        #expect(server.stderr.contains("routes reloaded"))
        #expect(server.stderr.contains("reloaded template.yaml"))
    }

    @Test("a function URL is served on its own port with the function URL event")
    func functionURL() throws {
        let server = try StartAPIServer()
        defer { server.stop() }
        #expect(server.stderr.contains("function URL of Echo: http://127.0.0.1:\(server.functionURLPort)/"))
        let reply = try curl(
            "http://127.0.0.1:\(server.functionURLPort)/any/path?q=1", method: "POST",
            headers: ["Content-Type: application/json"], body: #"{"a":1}"#)
        #expect(reply.status == 200, "\(reply.text) \(server.stderr)")
        let event = try #require(jsonObject(try Self.echoedEvent(reply)))
        #expect(event["version"] as? String == "2.0")
        #expect(event["routeKey"] as? String == "$default")
        #expect(event["rawPath"] as? String == "/any/path")
        #expect(event["body"] as? String == #"{"a":1}"#)
        let context = try #require(event["requestContext"] as? [String: Any])
        #expect((context["domainName"] as? String)?.hasSuffix(".lambda-url.us-east-1.on.aws") == true)
        #expect((context["http"] as? [String: Any])?["method"] as? String == "POST")
    }

    @Test("--warm eager starts an instance of every function before the first request")
    func eagerWarm() throws {
        let server = try StartAPIServer(extraArguments: ["--warm", "eager", "--no-watch"])
        defer { server.stop() }
        // Echo, Shapes, Faults, NodeDefault and AuthFunction.
        let warmed = server.eventually(timeout: 30) { server.functionProcesses(instancesOnly: true).count >= 5 }
        #expect(warmed, "\(server.functionProcesses()) \(server.stderr)")
        #expect(!server.stderr.contains("GET /"), "no request was needed")
    }
}

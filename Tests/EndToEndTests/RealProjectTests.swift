import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Real-shaped projects (CDK output, nested stacks, OpenAPI definitions, raw API Gateway resources, a `sam build`
/// output, a template with broken functions) driven end to end through `invoke`, `start-api` and `start-lambda`.
/// Every fixture function answers with its own `source`, so each request shows which code ran.
@Suite("real projects, end to end", .serialized)
struct RealProjectTests {
    /// A private copy of `Fixtures/EndToEndTests/<name>` (servers write caches and logs beside it).
    static func copy(_ name: String) throws -> URL {
        let root = try makeTemporaryDirectory("real-\(name)")
        let app = root.appendingPathComponent(name)
        try FileManager.default.copyItem(at: TestPaths.fixture("EndToEndTests", name), to: app)
        return app
    }

    /// The function's own answer inside an API Gateway proxy response (`body` holds it as JSON text).
    static func answer(_ data: Data) -> [String: Any]? {
        guard let outer = jsonObject(data) else { return nil }
        if let body = outer["body"] as? String { return jsonObject(Data(body.utf8)) }
        return outer
    }

    /// A running server in `app` on a free port, stopped at the end of `body`.
    static func withServer<T>(
        _ command: String, in app: URL, arguments: [String] = [], _ body: (Int, StandinServerProcess) throws -> T
    ) throws -> T {
        let port = freeLoopbackPort()
        let server = try StandinServerProcess(
            [command, "--port", "\(port)", "--no-assume-role", "--region", "us-east-1", "--no-watch"] + arguments,
            in: app, environment: try StandinCLI().environment,
            stderrFile: app.deletingLastPathComponent().appendingPathComponent("\(command)-\(port).log"))
        try server.waitUntilListening([(port, 60)], what: command)
        defer { #expect(server.stop() == 0, "\(server.stderr)") }
        return try body(port, server)
    }

    // MARK: - One broken function

    @Test func aTemplateWithBrokenFunctionsServesAllTheOthers() throws {
        let app = try Self.copy("partial-app")
        try Self.withServer("start-api", in: app, arguments: ["--parameter-overrides", "TableName=orders"]) {
            port, server in
            let good = try curl("http://127.0.0.1:\(port)/good")
            #expect(good.status == 200)
            #expect(Self.answer(good.body)?["source"] as? String == "partial-app/good")
            #expect((Self.answer(good.body)?["env"] as? [String: String])?["APP_TABLE"] == "orders")
            #expect(Self.answer(try curl("http://127.0.0.1:\(port)/other").body)?["source"] as? String
                == "partial-app/other-good")
            // The route of the function whose code is on S3: API Gateway's error, and the reason in the log.
            for _ in 0..<2 {
                let broken = try curl("http://127.0.0.1:\(port)/s3")
                #expect(broken.status == 500)
                #expect(broken.json?["message"] as? String == "Internal server error")
            }
            let reason = "S3UriFunction cannot run locally: template.yaml:57:16:"
                + " Resources.S3UriFunction.Properties.CodeUri: s3://my-bucket/code.zip is not local code"
            #expect(server.stderr.contains(reason), "\(server.stderr)")
            #expect(server.stderr.contains("GET /s3 500"), "\(server.stderr)")
        }
    }

    @Test func startLambdaAnswersABrokenFunctionWithLambdasError() throws {
        let app = try Self.copy("partial-app")
        try Self.withServer("start-lambda", in: app) { port, _ in
            let base = "http://127.0.0.1:\(port)/2015-03-31/functions"
            let good = try curl("\(base)/NoRoleLambda/invocations", method: "POST", body: "{}")
            #expect(good.status == 200)
            #expect(Self.answer(good.body)?["source"] as? String == "partial-app/norole")
            let broken = try curl("\(base)/S3MapFunction/invocations", method: "POST", body: "{}")
            #expect(broken.status == 409)
            #expect(broken.value("x-amzn-ErrorType") == "ResourceConflictException")
            let message = broken.json?["Message"] as? String ?? ""
            #expect(message.contains("state: Failed"), "\(message)")
            #expect(message.contains("template.yaml:69:9"), "\(message)")
        }
    }

    @Test func invokeOfABrokenFunctionNamesItsProblemAndExits2() throws {
        let cli = try StandinCLI()
        let app = try Self.copy("partial-app")
        let broken = try cli.run(["invoke", "UnbuiltFunction", "--no-assume-role"], in: app)
        #expect(broken.status == 2)
        #expect(
            broken.stderrText.contains(
                "UnbuiltFunction cannot run locally: template.yaml:76:16: Resources.UnbuiltFunction.Properties.CodeUri:"
                    + " no such file or folder"), "\(broken.stderrText)")
        // Another function of the same template runs; the warning about its parameter is printed once.
        let good = try cli.run(["invoke", "GoodFunction", "--no-assume-role"], in: app, stdin: Data("{}".utf8))
        #expect(good.status == 0, "\(good.stderrText)")
        #expect(Self.answer(good.stdout)?["source"] as? String == "partial-app/good")
        #expect(good.stderrText.components(separatedBy: "parameter TableName").count == 2, "\(good.stderrText)")
    }

    @Test func validateReportsEveryMistakeOfAFunction() throws {
        let cli = try StandinCLI()
        let result = try cli.run(["validate"], in: Self.copy("partial-app").appendingPathComponent("three-mistakes"))
        #expect(result.status == 1)
        let errors = result.stdoutText.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 3, "\(result.stdoutText)")
        #expect(errors.map { $0.prefix(while: { $0 != " " }) } == ["template.yaml:9:16:", "template.yaml:11:16:", "template.yaml:13:16:"])
        #expect(errors[0].contains("CodeUri") && errors[1].contains("python2.1") && errors[2].contains("9000"))
    }

    @Test func listShowsWhyAFunctionIsUnavailable() throws {
        let cli = try StandinCLI()
        let result = try cli.run(["list", "-o", "json"], in: Self.copy("partial-app"))
        #expect(result.status == 0, "\(result.stderrText)")
        let functions = jsonObject(result.stdout)?["functions"] as? [[String: Any]] ?? []
        let s3 = try #require(functions.first { $0["id"] as? String == "S3UriFunction" })
        #expect(s3["available"] as? Bool == false)
        #expect((s3["unavailableReason"] as? String)?.hasPrefix("template.yaml:57:16:") == true)
        #expect(functions.filter { $0["available"] as? Bool == true }.count == 3)
    }

    // MARK: - Kinds of templates

    @Test func nestedStacksServeTheirRoutesAndKeepSameNamedFunctionsApart() throws {
        let app = try Self.copy("nested-app")
        try Self.withServer("start-api", in: app) { port, _ in
            let expected = ["/hello": "nested-app/parent-hello", "/child": "nested-app/child-only", "/deep": "nested-app/deep"]
            for (path, source) in expected {
                let reply = try curl("http://127.0.0.1:\(port)\(path)")
                #expect(Self.answer(reply.body)?["source"] as? String == source)
            }
        }
        // Two functions named HelloFunction (parent and child) alternate on one server: each answers with its own
        // code every time, warm or not.
        try Self.withServer("start-lambda", in: app) { port, _ in
            let base = "http://127.0.0.1:\(port)/2015-03-31/functions"
            for _ in 0..<3 {
                for (name, source) in [
                    ("HelloFunction", "nested-app/parent-hello"), ("ChildApp%2FHelloFunction", "nested-app/child-hello"),
                ] {
                    let reply = try curl("\(base)/\(name)/invocations", method: "POST", body: "{}")
                    #expect(reply.status == 200, "\(reply.text)")
                    #expect(Self.answer(reply.body)?["source"] as? String == source)
                }
            }
        }
        let cli = try StandinCLI()
        let deep = try cli.run(["invoke", "DeepFunction", "--no-assume-role"], in: app, stdin: Data("{}".utf8))
        #expect((Self.answer(deep.stdout)?["env"] as? [String: String])?["APP_LEVEL"] == "two", "\(deep.stderrText)")
    }

    @Test func openAPIDefinitionsAreServed() throws {
        let app = try Self.copy("openapi-app")
        try Self.withServer("start-api", in: app) { port, _ in
            let base = "http://127.0.0.1:\(port)"
            let item = try curl("\(base)/items/7", headers: ["Authorization: allow"])
            #expect(item.status == 200, "\(item.text)")
            let answer = Self.answer(item.body)
            #expect(answer?["source"] as? String == "openapi-app/items")
            #expect(answer?["stage"] as? String == "v1")
            #expect(answer?["stageVariables"] as? [String: String] == ["mode": "inline"])
            #expect(try curl("\(base)/items/7", headers: ["Authorization: deny"]).status == 403)
            #expect(try curl("\(base)/items/7").status == 401)
            let file = Self.answer(try curl("\(base)/files/a/b.txt", method: "DELETE").body)
            #expect(file?["source"] as? String == "openapi-app/files")
            #expect(file?["pathParameters"] as? [String: String] == ["proxy": "a/b.txt"])
            #expect(Self.answer(try curl("\(base)/extra").body)?["source"] as? String == "openapi-app/extra")
            #expect(Self.answer(try curl("\(base)/reports", method: "POST").body)?["stage"] as? String == "live")
            let order = Self.answer(try curl("\(base)/orders/5", headers: ["Authorization: allow"]).body)
            #expect(order?["routeKey"] as? String == "GET /orders/{orderId}")
            #expect(order?["stageVariables"] as? [String: String] == ["flavor": "file"])
            let health = Self.answer(try curl("\(base)/health").body)
            #expect(health?["resource"] as? String == "/health")  // payload 1.0 from the definition
            // The HTTP API's CORS from x-amazon-apigateway-cors: a preflight is answered by the gateway; an OPTIONS
            // without Access-Control-Request-Method is not a preflight, and no route takes OPTIONS: 404.
            let preflight = try curl(
                "\(base)/orders", method: "OPTIONS",
                headers: ["Origin: https://app.example.com", "Access-Control-Request-Method: POST"])
            #expect(preflight.status == 204)
            #expect(preflight.value("Access-Control-Allow-Origin") == "https://app.example.com")
            let plain = try curl("\(base)/orders", method: "OPTIONS", headers: ["Origin: https://app.example.com"])
            #expect(plain.status == 404, "\(plain.text)")
        }
    }

    @Test func rawAPIGatewayResourcesAreServed() throws {
        let app = try Self.copy("raw-apigw-app")
        try Self.withServer("start-api", in: app) { port, _ in
            let base = "http://127.0.0.1:\(port)"
            let user = Self.answer(try curl("\(base)/users/1", headers: ["Authorization: allow"]).body)
            #expect(user?["source"] as? String == "raw-apigw-app/users")
            #expect(user?["resource"] as? String == "/users/{id}")
            #expect(user?["stage"] as? String == "dev")
            #expect(try curl("\(base)/users/1").status == 401)
            #expect(Self.answer(try curl("\(base)/users", method: "POST", body: "{}").body)?["source"] as? String
                == "raw-apigw-app/users")
            let admin = Self.answer(try curl("\(base)/reports").body)
            #expect(admin?["stage"] as? String == "staging")
            #expect(admin?["stageVariables"] as? [String: String] == ["tier": "gold"])
            let order = Self.answer(try curl("\(base)/orders/9", headers: ["Authorization: allow"]).body)
            #expect(order?["source"] as? String == "raw-apigw-app/orders")
            #expect(order?["stageVariables"] as? [String: String] == ["color": "blue"])
            #expect(try curl("\(base)/orders/9", headers: ["Authorization: deny"]).status == 403)
            #expect(Self.answer(try curl("\(base)/anything/else").body)?["source"] as? String == "raw-apigw-app/fallback")
        }
    }

    @Test func cdkOutputRunsFromTheAppFolder() throws {
        let app = try Self.copy("cdk-app")
        try Self.withServer("start-api", in: app) { port, _ in
            let root = Self.answer(try curl("http://127.0.0.1:\(port)/").body)
            #expect(root?["source"] as? String == "cdk-app/hello")
            #expect(root?["stage"] as? String == "prod")
            let proxy = Self.answer(try curl("http://127.0.0.1:\(port)/a/b").body)
            #expect(proxy?["pathParameters"] as? [String: String] == ["proxy": "a/b"])
            let item = Self.answer(try curl("http://127.0.0.1:\(port)/items/3").body)
            #expect(item?["source"] as? String == "cdk-app/items")
            #expect(item?["routeKey"] as? String == "GET /items/{id}")
        }
        try Self.withServer("start-lambda", in: app) { port, _ in
            // A CDK function by its construct path, as `cdk` users name it.
            let name = "StandinCdkStack%2FItemsHandler"
            let reply = try curl(
                "http://127.0.0.1:\(port)/2015-03-31/functions/\(name)/invocations", method: "POST", body: "{}")
            #expect(reply.status == 200, "\(reply.text)")
            #expect(Self.answer(reply.body)?["source"] as? String == "cdk-app/items")
        }
        let cli = try StandinCLI()
        let hello = try cli.run(["invoke", "HelloHandler", "--no-assume-role"], in: app, stdin: Data("{}".utf8))
        #expect(Self.answer(hello.stdout)?["source"] as? String == "cdk-app/hello", "\(hello.stderrText)")
    }

    @Test func theBuiltTemplateAndItsSamconfigAreUsed() throws {
        let cli = try StandinCLI()
        let app = try Self.copy("built-app")
        let built = try cli.run(["invoke", "HelloFunction", "--no-assume-role"], in: app, stdin: Data("{}".utf8))
        #expect(built.status == 0, "\(built.stderrText)")
        let answer = Self.answer(built.stdout)
        #expect(answer?["source"] as? String == "built-app/built")
        #expect((answer?["env"] as? [String: String])?["APP_GREETING"] == "from-samconfig")
        #expect(built.stderrText.contains("standin: using the built template .aws-sam/build/template.yaml"))
        // From another folder with -t: samconfig is found next to the template, as SAM finds it.
        let source = try cli.run(
            ["invoke", "HelloFunction", "-t", "built-app/template.yaml", "--no-assume-role"],
            in: app.deletingLastPathComponent(), stdin: Data("{}".utf8))
        #expect(source.status == 0, "\(source.stderrText)")
        #expect(Self.answer(source.stdout)?["source"] as? String == "built-app/source")
        #expect((Self.answer(source.stdout)?["env"] as? [String: String])?["APP_GREETING"] == "from-samconfig")
    }
}

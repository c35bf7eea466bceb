import Foundation
import Testing
import TestSupport

/// serverless.yml projects through the real binary: variables, stages, deployed names, both API event types.
///
/// The functions run with `--no-assume-role`: the framework's role (`<service>-<stage>-<region>-lambdaRole`) needs
/// AWS credentials to be assumed, and the tests' private HOME has none.
@Suite("serverless.yml projects, end to end")
struct ServerlessTests {
    static var example: URL { TestPaths.packageRoot.appendingPathComponent("Examples/serverless-hello") }
    static var variables: URL { TestPaths.fixture("EndToEndTests", "serverless-variables") }

    /// The API Gateway proxy response's `body`, parsed.
    static func body(_ result: ProcessResult) throws -> [String: Any] {
        let response = try #require(jsonObject(result.stdout), "\(result.stdoutText) \(result.stderrText)")
        #expect(response["statusCode"] as? Int == 200)
        let body = try #require(response["body"] as? String)
        return try #require(jsonObject(Data(body.utf8)), "\(body)")
    }

    @Test("the example's Python function: invoke -f hello -p events/event.json")
    func examplePython() throws {
        let cli = try StandinCLI()
        let result = try cli.run(
            ["invoke", "-f", "hello", "-p", "events/event.json", "--no-assume-role"], in: Self.example)
        #expect(result.status == 0, "\(result.stderrText)")
        let body = try Self.body(result)
        #expect(body["message"] as? String == "Hello, standin! (Python)")
        #expect(body["stage"] as? String == "dev")
        #expect(body["function"] as? String == "hello-sls-dev-hello")
        #expect(body["table"] as? String == "hello-table-dev")
        #expect(result.stderrText.contains("REPORT RequestId: "))
        #expect(result.stderrText.contains("Memory Size: 256 MB"), "provider.memorySize: \(result.stderrText)")
    }

    @Test("the example's Node.js function: --function greet --path, and -d")
    func exampleNode() throws {
        let cli = try StandinCLI()
        let fromFile = try cli.run(
            ["invoke", "--function", "greet", "--path", "events/greet.json", "--no-assume-role"], in: Self.example)
        #expect(fromFile.status == 0, "\(fromFile.stderrText)")
        let body = try Self.body(fromFile)
        #expect(body["message"] as? String == "Hello, standin! (Node.js)")
        #expect(body["function"] as? String == "hello-sls-dev-greet")
        #expect(fromFile.stderrText.contains("Memory Size: 128 MB"), "the function's memorySize wins")

        let inline = try cli.run(
            ["invoke", "-f", "greet", "-d", #"{"name":"inline"}"#, "--no-assume-role"], in: Self.example)
        #expect(inline.status == 0, "\(inline.stderrText)")
        #expect(try Self.body(inline)["message"] as? String == "Hello, inline! (Node.js)")
    }

    @Test("--stage prod changes the resolved variables and the deployed names")
    func exampleStageProd() throws {
        let cli = try StandinCLI()
        let result = try cli.run(
            ["invoke", "-f", "hello", "-p", "events/event.json", "--stage", "prod", "--no-assume-role"],
            in: Self.example)
        #expect(result.status == 0, "\(result.stderrText)")
        let body = try Self.body(result)
        #expect(body["message"] as? String == "Welcome, standin! (Python)")
        #expect(body["stage"] as? String == "prod")
        #expect(body["function"] as? String == "hello-sls-prod-hello")
        #expect(body["table"] as? String == "hello-table-prod")
    }

    @Test("variables: self, opt with a default, env with a default, file with a key path, nested, fallbacks, aws")
    func variablesDefaultStage() throws {
        let cli = try StandinCLI()
        let result = try cli.run(
            ["invoke", "-f", "hello", "-d", #"{"from":"data"}"#, "--no-assume-role"], in: Self.variables)
        #expect(result.status == 0, "\(result.stderrText)")
        let output = try #require(jsonObject(result.stdout), "\(result.stdoutText) \(result.stderrText)")
        let env = try #require(output["env"] as? [String: Any])
        #expect(env["FROM_SELF"] as? String == "vars-dev")
        #expect(env["FROM_OPT"] as? String == "dev")
        #expect(env["FROM_ENV"] as? String == "grey")
        #expect(env["FROM_FILE"] as? String == "orders-db")
        #expect(env["NESTED"] as? String == "small")
        #expect(env["WITH_FALLBACK"] as? String == "last")
        #expect(env["REGION"] as? String == "eu-central-1")
        #expect(env["FUNCTION_ONLY"] as? String == "handler.hello")
        #expect(env["AWS_LAMBDA_FUNCTION_NAME"] as? String == "vars-dev-hello")
        #expect(env["AWS_REGION"] as? String == "eu-central-1", "provider.region")
        #expect(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] as? String == "1024", "the framework's default memorySize")
        #expect(output["functionName"] as? String == "vars-dev-hello")
        #expect((output["event"] as? [String: Any])?["from"] as? String == "data")
    }

    @Test("--stage prod and a shell variable: the stage-dependent values and the deployed name change")
    func variablesProdStage() throws {
        let cli = try StandinCLI()
        let result = try cli.run(
            ["invoke", "hello", "--stage", "prod", "--no-assume-role"], in: Self.variables,
            extra: ["VARS_COLOR": "blue"], stdin: Data("{}".utf8))
        #expect(result.status == 0, "\(result.stderrText)")
        let output = try #require(jsonObject(result.stdout), "\(result.stdoutText) \(result.stderrText)")
        let env = try #require(output["env"] as? [String: Any])
        #expect(env["FROM_SELF"] as? String == "vars-prod")
        #expect(env["FROM_OPT"] as? String == "prod")
        #expect(env["FROM_ENV"] as? String == "blue")
        #expect(env["NESTED"] as? String == "large")
        #expect(env["WITH_FALLBACK"] as? String == "blue")
        #expect(env["AWS_LAMBDA_FUNCTION_NAME"] as? String == "vars-prod-hello")
    }

    @Test("a function is found by its key and by its deployed name for the stage")
    func invokeByDeployedName() throws {
        let cli = try StandinCLI()
        let dev = try cli.run(
            ["invoke", "hello-sls-dev-hello", "-d", #"{"name":"dev"}"#, "--no-assume-role"], in: Self.example)
        #expect(dev.status == 0, "\(dev.stderrText)")
        #expect(try Self.body(dev)["function"] as? String == "hello-sls-dev-hello")

        let prod = try cli.run(
            ["invoke", "-f", "hello-sls-prod-greet", "--stage", "prod", "-d", #"{"name":"p"}"#, "--no-assume-role"],
            in: Self.example)
        #expect(prod.status == 0, "\(prod.stderrText)")
        let body = try Self.body(prod)
        #expect(body["message"] as? String == "Welcome, p! (Node.js)")
        #expect(body["function"] as? String == "hello-sls-prod-greet")

        let otherStage = try cli.run(
            ["invoke", "hello-sls-dev-hello", "--stage", "prod", "-d", "{}", "--no-assume-role"], in: Self.example)
        #expect(otherStage.status == 2)
        #expect(otherStage.stderrText.contains("hello-sls-dev-hello"), "\(otherStage.stderrText)")
        #expect(otherStage.stderrText.contains("hello, greet"), "lists the functions: \(otherStage.stderrText)")
    }

    @Test("list shows the deployed names and both event types: http as REST 1.0, httpApi as HTTP 2.0")
    func list() throws {
        let cli = try StandinCLI()
        let text = try cli.run(["list"], in: Self.example)
        #expect(text.status == 0, "\(text.stderrText)")
        let lines = text.stdoutText.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.contains { $0.starts(with: ["hello", "(hello-sls-dev-hello)", "python3.12"]) })
        #expect(lines.contains { $0.starts(with: ["greet", "(hello-sls-dev-greet)", "nodejs20.x"]) })
        #expect(lines.contains(["GET", "/hello/{name}", "REST", "(1.0)", "hello"]), "\(text.stdoutText)")
        #expect(lines.contains(["POST", "/greet", "HTTP", "(2.0)", "greet"]), "\(text.stdoutText)")

        let prod = try cli.run(["list", "--stage", "prod"], in: Self.example)
        #expect(prod.stdoutText.contains("(hello-sls-prod-hello)"), "\(prod.stdoutText)")

        let json = try cli.run(["list", "--output", "json"], in: Self.variables)
        #expect(json.status == 0, "\(json.stderrText)")
        let document = try #require(jsonObject(json.stdout), "\(json.stdoutText)")
        let functions = try #require(document["functions"] as? [[String: Any]])
        #expect(functions.map { $0["logicalId"] as? String } == ["hello"])
        let routes = try #require(document["routes"] as? [[String: Any]])
        #expect(routes.count == 2)
        #expect(routes.contains { $0["path"] as? String == "/hello" && $0["method"] as? String == "GET" })
        #expect(routes.contains { $0["path"] as? String == "/v2/hello" && $0["method"] as? String == "POST" })
    }

    @Test("a variable that cannot be resolved makes its function unavailable: invoke exits 2 naming file:line")
    func unresolvedVariable() throws {
        let cli = try StandinCLI()
        let dir = TestPaths.fixture("EndToEndTests", "serverless-unresolved")
        let result = try cli.run(["invoke", "-f", "hello", "-d", "{}", "--no-assume-role"], in: dir)
        #expect(result.status == 2, "\(result.stderrText)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText.contains("serverless.yml:11:14:"), "\(result.stderrText)")
        #expect(result.stderrText.contains("${self:custom.tableName}"), "\(result.stderrText)")
        #expect(!result.stderrText.contains("START RequestId"), "nothing ran")
        // list still lists it, with the reason.
        let list = try cli.run(["list"], in: dir)
        #expect(list.status == 0, "\(list.stderrText)")
        #expect(list.stdoutText.contains("hello: serverless.yml:11:14:"), "\(list.stdoutText)")
    }

    @Test("-t names a serverless.yml in another folder")
    func templateFlag() throws {
        let cli = try StandinCLI()
        let dir = try makeTemporaryDirectory()
        let result = try cli.run(
            ["invoke", "-t", Self.variables.appendingPathComponent("serverless.yml").path, "-f", "hello", "-d", "{}",
             "--no-assume-role"],
            in: dir)
        #expect(result.status == 0, "\(result.stderrText)")
        let env = try #require(jsonObject(result.stdout)?["env"] as? [String: Any], "\(result.stdoutText)")
        #expect(env["FROM_FILE"] as? String == "orders-db", "file() is relative to the serverless.yml")
    }

    @Test("start-api serves http as REST payload 1.0 and httpApi as HTTP API payload 2.0, with the stage's names")
    func startAPI() throws {
        let server = try ServerlessServer(["start-api", "--stage", "prod"], in: Self.variables)
        defer { server.stop() }

        let rest = try runProcess("curl", ["-sS", "--max-time", "60", "\(server.base)/hello?q=1"])
        let restSeen = try #require(jsonObject(rest.stdout), "\(rest.stdoutText) \(rest.stderrText) \(server.stderr)")
        let restEvent = try #require(restSeen["event"] as? [String: Any])
        #expect(restEvent["httpMethod"] as? String == "GET")
        #expect(restEvent["resource"] as? String == "/hello")
        #expect(restEvent["version"] == nil || restEvent["version"] as? String == "1.0")
        #expect((restEvent["queryStringParameters"] as? [String: Any])?["q"] as? String == "1")
        #expect(restSeen["functionName"] as? String == "vars-prod-hello")

        let http = try runProcess(
            "curl", ["-sS", "--max-time", "60", "-X", "POST", "-d", "{}", "\(server.base)/v2/hello"])
        let httpSeen = try #require(jsonObject(http.stdout), "\(http.stdoutText) \(http.stderrText) \(server.stderr)")
        let httpEvent = try #require(httpSeen["event"] as? [String: Any])
        #expect(httpEvent["version"] as? String == "2.0")
        #expect(httpEvent["routeKey"] as? String == "POST /v2/hello")
        #expect(httpEvent["rawPath"] as? String == "/v2/hello")
        #expect((httpSeen["env"] as? [String: Any])?["NESTED"] as? String == "large")
    }

    @Test("start-lambda answers for the deployed name of the stage and for the key")
    func startLambda() throws {
        let server = try ServerlessServer(["start-lambda", "--stage", "prod"], in: Self.example)
        defer { server.stop() }
        func invoke(_ name: String) throws -> ProcessResult {
            try runProcess(
                "curl",
                [
                    "-sS", "--max-time", "60", "-X", "POST", "-d", #"{"name":"sdk"}"#, "-w", "\\n%{http_code}",
                    "\(server.base)/2015-03-31/functions/\(name)/invocations",
                ])
        }
        let deployed = try invoke("hello-sls-prod-hello")
        let lines = deployed.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.last == "200", "\(deployed.stdoutText) \(server.stderr)")
        let response = try #require(lines.first.flatMap { jsonObject(Data($0.utf8)) }, "\(deployed.stdoutText)")
        let body = try #require((response["body"] as? String).flatMap { jsonObject(Data($0.utf8)) })
        #expect(body["message"] as? String == "Welcome, sdk! (Python)")
        #expect(body["function"] as? String == "hello-sls-prod-hello")

        let byKey = try invoke("greet")
        #expect(byKey.stdoutText.hasSuffix("\n200"), "\(byKey.stdoutText)")
        #expect(byKey.stdoutText.contains("hello-sls-prod-greet"), "\(byKey.stdoutText)")

        let otherStage = try invoke("hello-sls-dev-hello")
        #expect(otherStage.stdoutText.hasSuffix("\n404"), "\(otherStage.stdoutText)")
        #expect(otherStage.stdoutText.contains("Function not found"), "\(otherStage.stdoutText)")
    }

    @Test("without --no-assume-role the function runs under the framework's role <service>-<stage>-<region>-lambdaRole")
    func frameworkRole() throws {
        guard let moto = try MotoServer.start(), let aws = try TestPaths.requireVenvTool("aws") else { return }
        defer { moto.stop() }
        let credentials = [
            "AWS_ACCESS_KEY_ID": "AKIDCALLER", "AWS_SECRET_ACCESS_KEY": "caller-secret",
            "AWS_ENDPOINT_URL": moto.endpoint, "AWS_DEFAULT_REGION": "us-east-1",
        ]
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"#
            + #""Action":"sts:AssumeRole"}]}"#
        let created = try runProcess(
            aws.path,
            ["iam", "create-role", "--role-name", "roles-dev-eu-west-1-lambdaRole", "--assume-role-policy-document",
             trust],
            environment: ProcessInfo.processInfo.environment.merging(credentials) { $1 })
        #expect(created.status == 0, "\(created.stderrText)")

        let cli = try StandinCLI()
        let dir = try makeTemporaryDirectory("serverless-role")
        try writeFile(dir, "serverless.yml", """
            service: roles
            provider:
              name: aws
              runtime: python3.12
              region: eu-west-1
            functions:
              hello:
                handler: handler.hello
            """)
        try writeFile(dir, "handler.py", """
            import os
            def hello(event, context):
                return {k: os.environ.get(k) for k in ["AWS_ACCESS_KEY_ID", "AWS_SESSION_TOKEN", "AWS_REGION"]}
            """)
        let result = try cli.run(["invoke", "-f", "hello", "-d", "{}"], in: dir, extra: credentials)
        #expect(result.status == 0, "\(result.stderrText)")
        let seen = try #require(jsonObject(result.stdout), "\(result.stdoutText) \(result.stderrText)")
        #expect((seen["AWS_ACCESS_KEY_ID"] as? String).map { !$0.isEmpty && $0 != "AKIDCALLER" } == true, "\(seen)")
        #expect((seen["AWS_SESSION_TOKEN"] as? String)?.isEmpty == false, "role credentials carry a session token")
        #expect(seen["AWS_REGION"] as? String == "eu-west-1")
        #expect(!result.stderrText.contains("your own credentials"), "\(result.stderrText)")

        let whoami = try cli.run(["whoami", "hello-roles-dev-hello"], in: dir, extra: credentials)
        let byDeployedName = try cli.run(["whoami", "roles-dev-hello"], in: dir, extra: credentials)
        #expect(whoami.status == 2, "no function hello-roles-dev-hello: \(whoami.stderrText)")
        #expect(
            byDeployedName.stdoutText.contains("assumed-role/roles-dev-eu-west-1-lambdaRole/standin-hello"),
            "\(byDeployedName.stdoutText) \(byDeployedName.stderrText)")
    }
}

/// `standin start-api` / `start-lambda` on a free loopback port, stopped with SIGINT (bounded, then killed).
final class ServerlessServer {
    let port: Int
    private let server: StandinServerProcess

    /// Starts `arguments` (a server command and its flags) in `directory` and waits until it listens.
    init(_ arguments: [String], in directory: URL) throws {
        let urlPort: Int
        (port, urlPort) = twoFreeLoopbackPorts()
        let extra = arguments.first == "start-api" ? ["--function-url-port", String(urlPort)] : []
        server = try StandinServerProcess(
            arguments + ["--port", String(port), "--no-watch", "--no-assume-role"] + extra, in: directory,
            environment: try StandinCLI().environment,
            stderrFile: try makeTemporaryDirectory("serverless-server").appendingPathComponent("stderr.log"))
        try server.waitUntilListening([(port, 60)], what: arguments.joined(separator: " "))
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// What the server wrote to standard error so far.
    var stderr: String { server.stderr }

    func stop() {
        server.stop(timeout: 20)
    }
}

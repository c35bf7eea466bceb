import Foundation
import Testing
import TestSupport

/// Ruby functions through standin's bundled Ruby runtime client (the `ruby-app` fixture, real `ruby`).
@Suite("Ruby functions, end to end", .serialized, .enabled(if: findOnPath("ruby") != nil || isCI))
struct RubyRuntimeTests {
    @Test func handlersContextLogsAndVendoredGems() throws {
        let cli = try StandinCLI()
        let app = try RealProjectTests.copy("ruby-app")
        let echo = try cli.run(["invoke", "RubyEcho", "--no-assume-role"], in: app, stdin: Data(#"{"hello":"ruby"}"#.utf8))
        #expect(echo.status == 0, "\(echo.stderrText)")
        let answer = try #require(jsonObject(echo.stdout), "\(echo.stdoutText)")
        #expect(answer["event"] as? [String: String] == ["hello": "ruby"])
        #expect(answer["functionName"] as? String == "ruby-echo")
        #expect(answer["memoryLimitInMB"] as? String == "256")
        #expect((answer["remainingTimeInMillis"] as? Int).map { $0 > 0 && $0 <= 5000 } == true)
        #expect(answer["logGroupName"] as? String == "/aws/lambda/ruby-echo")
        let requestID = try #require(answer["requestId"] as? String)
        #expect(echo.stderrText.contains("ruby-app handler invoked for request \(requestID)"), "\(echo.stderrText)")
        // `file.Module::Class.method` form, with a class from lib/ on the load path.
        let greeter = try cli.run(["invoke", "RubyGreeter", "--no-assume-role"], in: app, stdin: Data(#"{"name":"Ada"}"#.utf8))
        let body = try #require(RealProjectTests.answer(greeter.stdout), "\(greeter.stderrText)")
        #expect(body["greeting"] as? String == "Hello, Ada!")
        // A gem vendored as `bundle install --path vendor/bundle` lays it out, found through GEM_PATH.
        let gem = try cli.run(["invoke", "RubyGem", "--no-assume-role"], in: app, stdin: Data(#"{"text":"vendored"}"#.utf8))
        #expect(jsonObject(gem.stdout)?["shout"] as? String == "VENDORED!", "\(gem.stderrText)")
        #expect(jsonObject(gem.stdout)?["activated"] as? String == "0.1.0")
    }

    @Test func errorsAndTimeoutsInLambdasRubyShapes() throws {
        let cli = try StandinCLI()
        let app = try RealProjectTests.copy("ruby-app")
        let failed = try cli.run(
            ["invoke", "RubyOrderError", "--no-assume-role"], in: app, stdin: Data(#"{"orderId":42}"#.utf8))
        #expect(failed.status == 1)
        let error = try #require(jsonObject(failed.stdout), "\(failed.stdoutText)")
        #expect(error["errorType"] as? String == "Function<OrderError>")
        #expect(error["errorMessage"] as? String == "order 42 could not be placed")
        #expect((error["stackTrace"] as? [String])?.first?.contains("app.rb:27:in") == true)
        let slow = try cli.run(["invoke", "RubySlow", "--no-assume-role"], in: app, stdin: Data("{}".utf8))
        #expect(jsonObject(slow.stdout)?["errorType"] as? String == "Sandbox.Timedout", "\(slow.stdoutText)")
        #expect(slow.stdoutText.contains("Task timed out after 2.00 seconds"))
    }

    @Test func servedByStartAPIAndStartLambda() throws {
        let app = try RealProjectTests.copy("ruby-app")
        try RealProjectTests.withServer("start-api", in: app) { port, _ in
            let reply = try curl("http://127.0.0.1:\(port)/ruby/hello?name=Bob")
            #expect(reply.status == 200, "\(reply.text)")
            #expect(RealProjectTests.answer(reply.body)?["greeting"] as? String == "Hello, Bob!")
            #expect(RealProjectTests.answer(reply.body)?["path"] as? String == "/ruby/hello")
        }
        try RealProjectTests.withServer("start-lambda", in: app) { port, _ in
            let url = "http://127.0.0.1:\(port)/2015-03-31/functions/ruby-order-error/invocations"
            let reply = try curl(url, method: "POST", body: #"{"orderId":7}"#)
            #expect(reply.status == 200)
            #expect(reply.value("X-Amz-Function-Error") == "Unhandled")
            #expect(reply.json?["errorType"] as? String == "Function<OrderError>")
        }
    }
}

/// Go functions: a standard-library program that speaks the Runtime API itself (the `go-app` fixture), run as
/// `go1.x` and `provided.al2023`, prebuilt by the test or built from source by standin.
@Suite("Go functions, end to end", .serialized, .enabled(if: findOnPath("go") != nil || isCI))
struct GoRuntimeTests {
    /// One Go build cache for the whole run (a cold one compiles the standard library: seconds per build).
    static let goCache: String = (try? makeTemporaryDirectory("standin-go-cache").path) ?? "/tmp/standin-go-cache"

    static func run(_ cli: StandinCLI, _ arguments: [String], in app: URL, event: String) throws -> ProcessResult {
        try cli.run(arguments + ["--no-assume-role"], in: app, extra: ["GOCACHE": goCache], stdin: Data(event.utf8),
            timeout: 300)
    }

    @Test func prebuiltAsGo1xAndProvided() throws {
        let cli = try StandinCLI()
        let app = try RealProjectTests.copy("go-app")
        for (output, name) in [("bin/hello", "hello"), ("bin-provided/bootstrap", "bootstrap")] {
            let build = try runProcess(
                "/usr/bin/env", ["go", "build", "-o", output, "."], environment: buildEnvironment,
                currentDirectory: app, timeout: 300)
            try #require(build.status == 0, "go build \(name): \(build.stderrText)")
        }
        for function in ["GoHelloFunction", "go-provided"] {
            let result = try Self.run(cli, ["invoke", function], in: app, event: #"{"n":1}"#)
            #expect(result.status == 0, "\(result.stderrText)")
            let answer = try #require(jsonObject(result.stdout), "\(result.stdoutText)")
            #expect(answer["source"] as? String == "go-app")
            #expect(answer["event"] as? [String: Int] == ["n": 1])
        }
        let failed = try Self.run(cli, ["invoke", "go-hello"], in: app, event: #"{"fail":true}"#)
        #expect(failed.status == 1)
        #expect(jsonObject(failed.stdout)?["errorType"] as? String == "GoAppError")
    }

    @Test func builtFromSourceWithGoBuildAndAMakefile() throws {
        let cli = try StandinCLI()
        let app = try RealProjectTests.copy("go-app")
        for (function, name, label) in [
            ("GoBuiltFunction", "go-built", "go build"), ("MakeFunction", "go-make", "make build-MakeFunction"),
        ] {
            let first = try Self.run(cli, ["invoke", function], in: app, event: "{}")
            #expect(first.status == 0, "\(first.stderrText)")
            #expect(jsonObject(first.stdout)?["function"] as? String == name)
            #expect(first.stderrText.contains("standin: built \(function) with \(label) in "), "\(first.stderrText)")
            // Unchanged sources are not built again.
            let second = try Self.run(cli, ["invoke", function], in: app, event: "{}")
            #expect(second.status == 0)
            #expect(!second.stderrText.contains("standin: built"), "\(second.stderrText)")
        }
        // A compile error is the function's failure, with the compiler's output.
        try writeFile(app, "broken.go", "package main\n\nfunc broken() { undefinedThing() }\n")
        let broken = try Self.run(cli, ["invoke", "GoBuiltFunction"], in: app, event: "{}")
        #expect(broken.status != 0)
        #expect(broken.stderrText.contains("go build failed"), "\(broken.stderrText)")
        #expect(broken.stderrText.contains("undefined: undefinedThing"), "\(broken.stderrText)")
    }

    @Test func startLambdaRebuildsAfterAnEdit() throws {
        let app = try RealProjectTests.copy("go-app")
        var environment = try StandinCLI().environment
        environment["GOCACHE"] = Self.goCache
        let port = freeLoopbackPort()
        let server = try StandinServerProcess(
            ["start-lambda", "--port", "\(port)", "--no-assume-role", "--region", "us-east-1"], in: app,
            environment: environment, stderrFile: app.deletingLastPathComponent().appendingPathComponent("go.log"))
        try server.waitUntilListening([(port, 60)], what: "start-lambda")
        defer { server.stop() }
        let url = "http://127.0.0.1:\(port)/2015-03-31/functions/go-built/invocations"
        let before = try curl(url, method: "POST", body: "{}", timeout: 120)
        #expect(jsonObject(before.body)?["source"] as? String == "go-app", "\(before.text) \(server.stderr)")
        let main = app.appendingPathComponent("main.go")
        let source = try String(contentsOf: main, encoding: .utf8)
        try source.replacingOccurrences(of: "\"go-app\"", with: "\"go-app-edited\"").write(
            to: main, atomically: true, encoding: .utf8)
        let edited = try pollUntil(timeout: 120, interval: 0.5) {
            let reply = try curl(url, method: "POST", body: "{}", timeout: 120)
            return jsonObject(reply.body)?["source"] as? String == "go-app-edited"
        }
        #expect(edited, "\(server.stderr)")
        #expect(server.stderr.components(separatedBy: "standin: built GoBuiltFunction").count == 3, "\(server.stderr)")
    }

    var buildEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["GOCACHE"] = Self.goCache
        environment["CGO_ENABLED"] = "0"
        environment["GOTOOLCHAIN"] = "local"
        return environment
    }
}

/// True on CI, where a missing toolchain must fail the suite rather than skip it.
let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

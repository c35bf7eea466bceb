import Foundation
import Testing
import TestSupport

@Suite("standin invoke, end to end")
struct InvokeTests {
    @Test("the example's Python, Node.js and provided functions answer", arguments: [
        ("HelloPython", "Hello, standin! (Python)"),
        ("HelloNode", "Hello, standin! (Node.js)"),
        ("HelloProvided", "Hello from shell"),
    ])
    func exampleFunctions(function: String, expected: String) throws {
        let cli = try StandinCLI()
        let result = try cli.run(["invoke", function, "-e", "events/event.json"], in: StandinCLI.exampleApp)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains(expected), "stdout: \(result.stdoutText)")
        #expect(jsonObject(result.stdout) != nil, "stdout is only the payload: \(result.stdoutText)")
        let log = result.stderrText
        let start = try #require(log.range(of: "START RequestId: "), "\(log)")
        let end = try #require(log.range(of: "END RequestId: "))
        let report = try #require(log.range(of: "REPORT RequestId: "))
        #expect(start.lowerBound < end.lowerBound && end.lowerBound < report.lowerBound)
        #expect(log.contains("Version: $LATEST"))
        let reportLine = log[report.lowerBound...].prefix { $0 != "\n" }
        #expect(
            reportLine.wholeMatch(
                of: /REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t?/
            ) != nil, "\(reportLine)")
    }

    @Test("the event comes from -d, from a pipe, and defaults to {}")
    func eventSources() throws {
        let cli = try StandinCLI()
        let inline = try cli.run(["invoke", "HelloPython", "-d", #"{"name":"inline"}"#], in: StandinCLI.exampleApp)
        #expect(inline.stdoutText.contains("Hello, inline!"), "\(inline.stderrText)")
        let piped = try cli.run(
            ["invoke", "HelloPython"], in: StandinCLI.exampleApp, stdin: Data(#"{"name":"piped"}"#.utf8))
        #expect(piped.stdoutText.contains("Hello, piped!"), "\(piped.stderrText)")
        let dash = try cli.run(
            ["invoke", "HelloNode", "-e", "-"], in: StandinCLI.exampleApp, stdin: Data(#"{"name":"dash"}"#.utf8))
        #expect(dash.stdoutText.contains("Hello, dash!"), "\(dash.stderrText)")
    }

    @Test("--parameter-overrides in both forms reach the function")
    func parameterOverrides() throws {
        let cli = try StandinCLI()
        for form in ["Greeting=Howdy", "ParameterKey=Greeting,ParameterValue=Howdy"] {
            let result = try cli.run(
                ["invoke", "HelloPython", "-d", #"{"name":"x"}"#, "--parameter-overrides", form],
                in: StandinCLI.exampleApp)
            #expect(result.stdoutText.contains("Howdy, x!"), "\(form): \(result.stdoutText) \(result.stderrText)")
        }
    }

    @Test("environment precedence: template < shell (declared only) < --env-vars Parameters < function section")
    func environmentPrecedence() throws {
        let cli = try StandinCLI()
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "template.yaml", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              EnvFn:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.12
                  Handler: app.handler
                  CodeUri: src
                  Environment:
                    Variables:
                      FROM_TEMPLATE: template
                      FROM_SHELL: template
                      FROM_PARAMS: template
                      FROM_FUNCTION: template
            """)
        try writeFile(dir, "src/app.py", """
            import os
            def handler(event, context):
                keys = ["FROM_TEMPLATE", "FROM_SHELL", "FROM_PARAMS", "FROM_FUNCTION", "UNDECLARED_SHELL",
                        "ONLY_IN_FILE", "AWS_LAMBDA_FUNCTION_NAME", "AWS_SAM_LOCAL", "IS_LOCAL",
                        "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "_HANDLER", "TZ"]
                return {k: os.environ.get(k) for k in keys}
            """)
        try writeFile(dir, "env.json", """
            {"Parameters": {"FROM_PARAMS": "params", "FROM_FUNCTION": "params"},
             "EnvFn": {"FROM_FUNCTION": "function", "ONLY_IN_FILE": 42}}
            """)
        let result = try cli.run(
            ["invoke", "EnvFn", "--env-vars", "env.json"], in: dir,
            extra: ["FROM_SHELL": "shell", "FROM_PARAMS": "shell", "UNDECLARED_SHELL": "leak"])
        #expect(result.status == 0, "\(result.stderrText)")
        let env = try #require(jsonObject(result.stdout), "\(result.stdoutText) \(result.stderrText)")
        #expect(env["FROM_TEMPLATE"] as? String == "template")
        #expect(env["FROM_SHELL"] as? String == "shell")
        #expect(env["FROM_PARAMS"] as? String == "params")
        #expect(env["FROM_FUNCTION"] as? String == "function")
        #expect(env["ONLY_IN_FILE"] as? String == "42")
        #expect(env["UNDECLARED_SHELL"] is NSNull, "the shell's undeclared variables stay out")
        #expect(env["AWS_LAMBDA_FUNCTION_NAME"] as? String == "EnvFn")
        #expect(env["AWS_SAM_LOCAL"] as? String == "true")
        #expect(env["IS_LOCAL"] as? String == "true")
        #expect(env["AWS_LAMBDA_LOG_GROUP_NAME"] as? String == "/aws/lambda/EnvFn")
        #expect(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] as? String == "128")
        #expect(env["_HANDLER"] as? String == "app.handler")
    }

    @Test("a function error comes back in Lambda's shape with a non-zero exit")
    func functionError() throws {
        let cli = try StandinCLI()
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "template.yaml", Self.template(runtime: "python3.12", timeout: 3))
        try writeFile(dir, "src/app.py", """
            def handler(event, context):
                raise ValueError("bad input: " + event["x"])
            """)
        let result = try cli.run(["invoke", "-d", #"{"x":"42"}"#], in: dir)
        #expect(result.status == 1)
        let error = try #require(jsonObject(result.stdout), "\(result.stdoutText) \(result.stderrText)")
        #expect(error["errorType"] as? String == "ValueError")
        #expect(error["errorMessage"] as? String == "bad input: 42")
        #expect((error["stackTrace"] as? [Any])?.isEmpty == false)
    }

    @Test("a missing handler module is an init error")
    func initError() throws {
        let cli = try StandinCLI()
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "template.yaml", Self.template(runtime: "python3.12", timeout: 3, handler: "nothere.handler"))
        try writeFile(dir, "src/app.py", "def handler(e, c): return 1\n")
        let result = try cli.run(["invoke"], in: dir)
        #expect(result.status == 1)
        let error = try #require(jsonObject(result.stdout), "\(result.stdoutText) \(result.stderrText)")
        #expect(error["errorType"] as? String == "Runtime.ImportModuleError")
        #expect((error["errorMessage"] as? String)?.contains("nothere") == true)
    }

    @Test("a process that exits mid-invoke is Runtime.ExitError")
    func crash() throws {
        let cli = try StandinCLI()
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "template.yaml", Self.template(runtime: "python3.12", timeout: 3))
        try writeFile(dir, "src/app.py", """
            import os
            def handler(event, context):
                os._exit(3)
            """)
        let result = try cli.run(["invoke"], in: dir)
        #expect(result.status == 1)
        let error = try #require(jsonObject(result.stdout), "\(result.stdoutText) \(result.stderrText)")
        #expect(error["errorType"] as? String == "Runtime.ExitError")
    }

    @Test("a function past its timeout is killed and reported as Lambda does")
    func timeout() throws {
        let cli = try StandinCLI()
        let dir = try makeTemporaryDirectory()
        let marker = "standin-timeout-\(UUID().uuidString.prefix(8))"
        try writeFile(dir, "template.yaml", Self.template(runtime: "python3.12", timeout: 1))
        try writeFile(dir, "src/app.py", """
            import time
            MARKER = "\(marker)"
            def handler(event, context):
                time.sleep(30)
            """)
        let started = Date()
        let result = try cli.run(["invoke"], in: dir, extra: ["STANDIN_TEST_MARKER": marker], timeout: 25)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(result.status == 1)
        #expect(result.stdoutText.contains("Task timed out after 1.00 seconds"), "\(result.stdoutText)")
        #expect(processes(withCommandLineContaining: dir.path).isEmpty, "no child process outlives standin")
    }

    @Test("a broken template names file, line and column; exit status 2")
    func brokenTemplate() throws {
        let cli = try StandinCLI()
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "template.yaml", """
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  CodeUri: src
                  Runtime: !Ref NoSuchParameter
            """)
        let result = try cli.run(["invoke", "Fn"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderrText.contains("template.yaml:7:"), "\(result.stderrText)")
        #expect(result.stderrText.contains("NoSuchParameter"), "\(result.stderrText)")
        #expect(result.stdout.isEmpty)
    }

    @Test("a malformed event is refused before anything runs")
    func malformedEvent() throws {
        let cli = try StandinCLI()
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "event.json", "{\n  \"a\": 1,\n  oops\n}\n")
        let result = try cli.run(["invoke", "HelloPython", "-e", dir.appendingPathComponent("event.json").path],
                                 in: StandinCLI.exampleApp)
        #expect(result.status == 2)
        #expect(result.stderrText.contains("event.json:3:3: the event is not valid JSON"), "\(result.stderrText)")
    }

    @Test("an unknown function name suggests the nearest")
    func unknownFunction() throws {
        let cli = try StandinCLI()
        let result = try cli.run(["invoke", "HelloPyton"], in: StandinCLI.exampleApp)
        #expect(result.status == 2)
        #expect(result.stderrText.contains("did you mean \"HelloPython\""), "\(result.stderrText)")
    }

    @Test("--log-file takes the logs; stdout keeps only the payload")
    func logFile() throws {
        let cli = try StandinCLI()
        let log = try makeTemporaryDirectory().appendingPathComponent("fn.log")
        let result = try cli.run(
            ["invoke", "HelloPython", "-d", "{}", "--log-file", log.path], in: StandinCLI.exampleApp)
        #expect(result.status == 0)
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("saying hello to world"))
        #expect(text.contains("REPORT RequestId:"))
        #expect(!result.stderrText.contains("REPORT RequestId:"))
    }

    static func template(runtime: String, timeout: Int, handler: String = "app.handler") -> String {
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: \(runtime)
              Handler: \(handler)
              CodeUri: src
              Timeout: \(timeout)
        """
    }
}

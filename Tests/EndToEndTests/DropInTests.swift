import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// SAM CLI's and the Serverless Framework's own documented command lines, run verbatim against standin (`sam` and
/// `serverless` replaced by `standin`), and a samconfig with every key in every form.
@Suite("drop-in command lines, end to end", .serialized)
struct DropInTests {
    static func app() throws -> MarkedFixture { try MarkedFixture("sam-hello", temporaryPrefix: "sam-hello") }

    /// The function's own answer (the `body` of its proxy response).
    static func body(_ result: ProcessResult) -> [String: Any]? { RealProjectTests.answer(result.stdout) }

    /// `sam` command lines from SAM CLI's README and docs.
    @Test func samLocalInvokeAsDocumented() throws {
        let cli = try StandinCLI()
        let app = try Self.app().app
        let run = { (arguments: [String], stdin: String?) throws -> ProcessResult in
            try cli.run(arguments + ["--no-assume-role"], in: app, stdin: stdin.map { Data($0.utf8) })
        }
        // $ sam local invoke "HelloWorldFunction" -e events/event.json
        let withEvent = try run(["local", "invoke", "HelloWorldFunction", "-e", "events/event.json"], nil)
        #expect(withEvent.status == 0, "\(withEvent.stderrText)")
        #expect((Self.body(withEvent)?["event"] as? [String: Any])?["path"] as? String == "/hello")
        // $ echo '{"message": "Hey, are you there?" }' | sam local invoke --event - "HelloWorldFunction"
        let piped = try run(["local", "invoke", "--event", "-", "HelloWorldFunction"], #"{"message": "Hey, are you there?" }"#)
        #expect((Self.body(piped)?["event"] as? [String: String])?["message"] == "Hey, are you there?")
        // $ sam local invoke --env-vars env.json HelloWorldFunction
        let envVars = try run(["local", "invoke", "--env-vars", "env.json", "HelloWorldFunction"], nil)
        #expect(Self.body(envVars)?["table"] as? String == "table-from-env-json", "\(envVars.stderrText)")
        // --dotenv: KEY=value for every function, Function*KEY=value for one; --env-vars wins over it.
        try writeFile(app, ".env", "# settings\nexport STAGE=from-dotenv\nHelloWorldFunction*TABLE_NAME='dotenv-table'\n")
        let dotenv = try run(["local", "invoke", "--dotenv", ".env", "HelloWorldFunction"], nil)
        #expect(Self.body(dotenv)?["stage"] as? String == "from-dotenv", "\(dotenv.stderrText)")
        #expect(Self.body(dotenv)?["table"] as? String == "dotenv-table")
        let both = try run(["local", "invoke", "--dotenv", ".env", "--env-vars", "env.json", "HelloWorldFunction"], nil)
        #expect(Self.body(both)?["table"] as? String == "table-from-env-json")
        #expect(Self.body(both)?["stage"] as? String == "from-dotenv")
        // $ sam local generate-event apigateway aws-proxy | sam local invoke HelloWorldFunction
        let generated = try cli.run(["local", "generate-event", "apigateway", "aws-proxy"], in: app)
        #expect(generated.status == 0)
        let fromPipe = try run(["local", "invoke", "HelloWorldFunction"], generated.stdoutText)
        #expect((Self.body(fromPipe)?["event"] as? [String: Any])?["httpMethod"] as? String == "POST")
        // $ sam local invoke --log-file ./output.log HelloWorldFunction
        let logged = try run(["local", "invoke", "--log-file", "./output.log", "HelloWorldFunction"], nil)
        #expect(logged.status == 0)
        let log = try String(contentsOf: app.appendingPathComponent("output.log"), encoding: .utf8)
        #expect(log.contains("REPORT RequestId:"), "\(log)")
        #expect(!logged.stderrText.contains("REPORT RequestId:"))
        // $ sam local invoke --docker-network my-custom-network HelloWorldFunction: named once, ignored.
        let docker = try run(
            ["local", "invoke", "--docker-network", "my-custom-network", "--skip-pull-image", "HelloWorldFunction"], nil)
        #expect(docker.status == 0)
        #expect(docker.stderrText.contains("ignored (no Docker here): --docker-network, --skip-pull-image"))
        // SAM's exit statuses: 0 when the function ran, even when it failed; 1 when nothing ran; 2 for bad flags.
        let failed = try run(["local", "invoke", "HelloWorldFunction", "-e", "-"], #"{"fail": true}"#)
        #expect(failed.status == 0, "\(failed.stderrText)")
        #expect(jsonObject(failed.stdout)?["errorType"] as? String == "ValueError")
        let unknown = try run(["local", "invoke", "NoSuchFunction"], nil)
        #expect(unknown.status == 1)
        #expect(unknown.stderrText.hasPrefix("Error: "), "\(unknown.stderrText)")
        let badFlag = try run(["local", "invoke", "--no-such-flag"], nil)
        #expect(badFlag.status == 2)
        // --runtime, --tenant-id and SAM_TEMPLATE_FILE.
        let tenant = try cli.run(
            ["local", "invoke", "HelloWorldFunction", "--tenant-id", "tenant-42", "--no-assume-role"],
            in: app.deletingLastPathComponent(), extra: ["SAM_TEMPLATE_FILE": app.appendingPathComponent("template.yaml").path])
        #expect(Self.body(tenant)?["tenant"] as? String == "tenant-42", "\(tenant.stderrText)")
    }

    /// `sam local invoke -d 5858 Fn`: 5858 is the debug port (not an event), the function waits for a debugger;
    /// `--container-env-vars` reach the function only in such a debug session.
    @Test func debugPortShortFormStartsTheDebugger() throws {
        guard let python = try TestPaths.requireVenvTool("python") else { return }
        let fixture = try Self.app()
        var environment = try StandinCLI().environment
        environment["PATH"] = python.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
        let port = freeLoopbackPort()
        let invoke = try StandinServerProcess(
            ["local", "invoke", "-d", "\(port)", "HelloWorldFunction", "--no-assume-role", "-e", "events/event.json"],
            in: fixture.app, environment: environment, stderrFile: fixture.root.appendingPathComponent("debug.log"))
        defer { invoke.stop(timeout: 5) }
        try invoke.waitUntilListening([(port, 60)], what: "the debugger")
        #expect(invoke.stderr.contains("debugging HelloWorldFunction on 127.0.0.1:\(port)"), "\(invoke.stderr)")
        #expect(invoke.isRunning, "it waits for the debugger")

        // SAM users' DEBUGGER_ARGS run debugpy themselves (here without waiting), and --container-env-vars apply.
        let cli = try StandinCLI()
        try writeFile(fixture.app, "debug-env.json", #"{"HelloWorldFunction": {"DEBUG_ONLY": "yes"}}"#)
        let other = freeLoopbackPort()
        let extra = ["PATH": environment["PATH"] ?? ""]
        let debugged = try cli.run(
            ["local", "invoke", "HelloWorldFunction", "-d", "\(other)", "--debug-args",
             "-m debugpy --listen 127.0.0.1:\(other)", "--container-env-vars", "debug-env.json", "--no-assume-role"],
            in: fixture.app, extra: extra)
        #expect(Self.body(debugged)?["debugOnly"] as? String == "yes", "\(debugged.stderrText)")
        let plain = try cli.run(
            ["local", "invoke", "HelloWorldFunction", "--container-env-vars", "debug-env.json", "--no-assume-role"],
            in: fixture.app, extra: extra)
        #expect(Self.body(plain)?["debugOnly"] is NSNull, "not without a debugger: \(plain.stdoutText)")
    }

    @Test func samLocalStartAPIAndStartLambda() throws {
        let fixture = try Self.app()
        let app = fixture.app
        let environment = try StandinCLI().environment
        // HTTPS with a self-signed certificate; the authorizer switched off.
        let certificate = app.appendingPathComponent("cert.pem").path
        let key = app.appendingPathComponent("key.pem").path
        let openssl = try runProcess(
            "/usr/bin/env",
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
             "-subj", "/CN=127.0.0.1"], timeout: 60)
        try #require(openssl.status == 0, "\(openssl.stderrText)")
        let port = freeLoopbackPort()
        let api = try StandinServerProcess(
            ["local", "start-api", "-p", "\(port)", "--env-vars", "env.json", "--ssl-cert-file", certificate,
             "--ssl-key-file", key, "--disable-authorizer", "--no-assume-role"],
            in: app, environment: environment, stderrFile: fixture.root.appendingPathComponent("api.log"))
        try api.waitUntilListening([(port, 60)], what: "start-api")
        let secure = try runProcess(
            "/usr/bin/env", ["curl", "-sk", "https://127.0.0.1:\(port)/hello"], timeout: 60)
        let answer = jsonObject(secure.stdout)
        #expect(answer?["table"] as? String == "table-from-env-json", "\(secure.stdoutText) \(api.stderr)")
        #expect(api.stderr.contains("listening on https://127.0.0.1:\(port)"))
        #expect(api.stop() == 0)

        // start-lambda with a function filter: only HelloWorldFunction is served.
        let lambdaPort = freeLoopbackPort()
        let lambda = try StandinServerProcess(
            ["local", "start-lambda", "HelloWorldFunction", "-p", "\(lambdaPort)", "--warm-containers", "EAGER",
             "--no-assume-role"],
            in: app, environment: environment, stderrFile: fixture.root.appendingPathComponent("lambda.log"))
        try lambda.waitUntilListening([(lambdaPort, 60)], what: "start-lambda")
        let base = "http://127.0.0.1:\(lambdaPort)/2015-03-31/functions"
        let served = try curl("\(base)/HelloWorldFunction/invocations", method: "POST", body: "{}")
        #expect(served.status == 200)
        #expect(try curl("\(base)/AuthFunction/invocations", method: "POST", body: "{}").status == 404)
        #expect(lambda.stop() == 0)
    }

    /// A samconfig with every key standin reads for these commands, in each form SAM accepts (strings, lists,
    /// tables, `file://`), next to the template given with -t, and the flags still winning. Paths in it are
    /// relative to the working directory, as if typed there (as SAM reads them).
    @Test func samconfigKeysInEveryForm() throws {
        let cli = try StandinCLI()
        let fixture = try Self.app()
        let app = fixture.app
        try writeFile(app, "params.json", #"[{"ParameterKey": "Greeting", "ParameterValue": "from-file"}]"#)
        try writeFile(app, "debug-env.json", #"{"HelloWorldFunction": {"DEBUG_ONLY": "yes"}}"#)
        let debugPort = freeLoopbackPort()
        let apiPort = freeLoopbackPort()
        let openssl = try runProcess(
            "/usr/bin/env",
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", app.appendingPathComponent("key.pem").path,
             "-out", app.appendingPathComponent("cert.pem").path, "-days", "1", "-subj", "/CN=127.0.0.1"], timeout: 60)
        try #require(openssl.status == 0, "\(openssl.stderrText)")
        try writeFile(app, "samconfig.toml", """
            version = 0.1
            [default.global.parameters]
            stack_name = "sam-hello"
            [default.local_invoke.parameters]
            event = "app/events/event.json"
            env_vars = "app/env.json"
            parameter_overrides = ["Stage=qa", "file://app/params.json"]
            tenant_id = "from-samconfig"
            debugger_path = "/opt/debugger"
            [default.local_start_api.parameters]
            port = \(apiPort)
            host = "127.0.0.1"
            static_dir = ""
            warm_containers = "LAZY"
            disable_authorizer = true
            ssl_cert_file = "cert.pem"
            ssl_key_file = "key.pem"
            no_watch = true
            [default.local_start_api.parameters.parameter_overrides]
            Stage = "table-form"
            [ci.local_invoke.parameters]
            parameter_overrides = "Stage=ci Greeting='Hi there'"
            [dbg.local_invoke.parameters]
            debug_port = [\(debugPort)]
            debug_args = "-m debugpy --listen 127.0.0.1:\(debugPort)"
            container_env_vars = "app/debug-env.json"
            log_file = "app/dbg.log"
            runtime = "python3.12"
            debug = true
            """)
        // From another folder: samconfig is found beside the template given with -t.
        let outside = app.deletingLastPathComponent()
        let invoke = try cli.run(
            ["local", "invoke", "HelloWorldFunction", "-t", "app/template.yaml", "--no-assume-role"], in: outside)
        #expect(invoke.status == 0, "\(invoke.stderrText)")
        let answer = try #require(Self.body(invoke), "\(invoke.stdoutText)")
        #expect(answer["stage"] as? String == "qa")
        #expect(answer["greeting"] as? String == "from-file")
        #expect(answer["table"] as? String == "table-from-env-json")
        #expect(answer["tenant"] as? String == "from-samconfig")
        #expect(answer["path"] as? String == "/opt/debugger")
        #expect((answer["event"] as? [String: Any])?["resource"] as? String == "/hello")
        // Flags win over the file.
        let flagged = try cli.run(
            ["local", "invoke", "HelloWorldFunction", "-t", "app/template.yaml", "--no-assume-role", "--parameter-overrides",
             "Stage=flag"],
            in: outside)
        #expect(Self.body(flagged)?["stage"] as? String == "flag")
        // Another environment: the string form, quotes and all.
        let ci = try cli.run(
            ["local", "invoke", "HelloWorldFunction", "-t", "app/template.yaml", "--config-env", "ci", "--no-assume-role", "-e",
             "app/events/event.json"], in: outside)
        #expect(Self.body(ci)?["stage"] as? String == "ci", "\(ci.stderrText)")
        #expect(Self.body(ci)?["greeting"] as? String == "Hi there")
        // A debug session from the file alone: debug_port (a list), debug_args that run debugpy themselves,
        // container_env_vars for the session, log_file, runtime, and debug (standin's own debug log).
        if let python = TestPaths.venvTool("python") {
            let debugged = try cli.run(
                ["local", "invoke", "HelloWorldFunction", "-t", "app/template.yaml", "--config-env", "dbg",
                 "--no-assume-role", "-e", "app/events/event.json"],
                in: outside, extra: ["PATH": python.deletingLastPathComponent().path + ":" + (cli.environment["PATH"] ?? "")])
            #expect(Self.body(debugged)?["debugOnly"] as? String == "yes", "\(debugged.stderrText)")
            #expect(debugged.stderrText.contains("function instance started"), "debug log: \(debugged.stderrText)")
            let log = try String(contentsOf: app.appendingPathComponent("dbg.log"), encoding: .utf8)
            #expect(log.contains("REPORT RequestId:"))
        }
        // --save-params writes the options given into the config's section.
        let save = try cli.run(
            ["local", "invoke", "HelloWorldFunction", "--save-params", "--config-env", "saved", "--region",
             "eu-west-1", "--no-assume-role"], in: app)
        #expect(save.status == 0, "\(save.stderrText)")
        let config = try String(contentsOf: app.appendingPathComponent("samconfig.toml"), encoding: .utf8)
        #expect(config.contains("[saved.local_invoke.parameters]"), "\(config)")
        #expect(config.contains("function_logical_id = 'HelloWorldFunction'") || config.contains(#"function_logical_id = "HelloWorldFunction""#), "\(config)")
        #expect(config.contains("region = 'eu-west-1'") || config.contains(#"region = "eu-west-1""#), "\(config)")

        // start-api from the same file: its port, no static folder, the authorizer off, table-form overrides.
        let api = try StandinServerProcess(
            ["local", "start-api", "--no-assume-role"], in: app, environment: cli.environment,
            stderrFile: fixture.root.appendingPathComponent("api.log"))
        try api.waitUntilListening([(apiPort, 60)], what: "start-api")
        let reply = try runProcess("/usr/bin/env", ["curl", "-sk", "https://127.0.0.1:\(apiPort)/hello"], timeout: 60)
        #expect(jsonObject(reply.stdout)?["stage"] as? String == "table-form", "\(reply.stdoutText) \(api.stderr)")
        #expect(api.stop() == 0)
    }

    /// The Serverless Framework's documented `serverless invoke local` command lines.
    @Test func serverlessInvokeLocalAsDocumented() throws {
        let cli = try StandinCLI()
        let root = try makeTemporaryDirectory("sls-invoke-local")
        let service = root.appendingPathComponent("service")
        try FileManager.default.copyItem(at: TestPaths.fixture("EndToEndTests", "sls-invoke-local"), to: service)
        let run = { (arguments: [String], stdin: String?) throws -> ProcessResult in
            try cli.run(arguments + ["--no-assume-role"], in: service, stdin: stdin.map { Data($0.utf8) })
        }
        // serverless invoke local --function functionName --data "hello world"
        let text = try run(["invoke", "local", "--function", "echo", "--data", "hello world"], nil)
        #expect(text.status == 0, "\(text.stderrText)")
        #expect(jsonObject(text.stdout)?["event"] as? String == "hello world")
        #expect(text.stdoutText.hasPrefix("{\n    \""), "printed as the framework prints it: \(text.stdoutText)")
        // serverless invoke local --function functionName --data '{"a":"bar"}'
        let json = try run(["invoke", "local", "--function", "echo", "--data", #"{"a":"bar"}"#], nil)
        #expect(jsonObject(json.stdout)?["event"] as? [String: String] == ["a": "bar"])
        // --raw keeps JSON text a string.
        let raw = try run(["invoke", "local", "-f", "echo", "--data", #"{"a":"bar"}"#, "--raw"], nil)
        #expect(jsonObject(raw.stdout)?["event"] as? String == #"{"a":"bar"}"#)
        // node dataGenerator.js | serverless invoke local --function functionName
        let piped = try run(["invoke", "local", "--function", "echo"], #"{"from": "stdin"}"#)
        #expect(jsonObject(piped.stdout)?["event"] as? [String: String] == ["from": "stdin"])
        // serverless invoke local --function functionName --path lib/data.json (and YAML)
        let file = try run(["invoke", "local", "--function", "echo", "--path", "lib/data.json"], nil)
        #expect((jsonObject(file.stdout)?["event"] as? [String: Any])?["from"] as? String == "json file")
        let yaml = try run(["invoke", "local", "-f", "echo", "-p", "lib/data.yml"], nil)
        #expect((jsonObject(yaml.stdout)?["event"] as? [String: Any])?["items"] as? [String] == ["a", "b"])
        // serverless invoke local -f functionName -e VAR1=value1 -e VAR2=value2
        let env = try run(["invoke", "local", "-f", "echo", "-e", "VAR1=value1", "-e", "VAR2=value2"], nil)
        #expect(jsonObject(env.stdout)?["var1"] as? String == "value1")
        #expect(jsonObject(env.stdout)?["var2"] as? String == "value2")
        // serverless invoke local --function functionName --contextPath lib/context.json
        let context = try run(["invoke", "local", "--function", "echo", "--contextPath", "lib/context.json"], nil)
        #expect(jsonObject(context.stdout)?["clientContext"] as? [String: String] == ["tenant": "acme"], "\(context.stderrText)")
        // -s, --param and ${param:}: the CLI value first, then the stage's params, then the fallback.
        let params = try run(["invoke", "local", "-f", "echo", "-s", "prod"], nil)
        #expect(jsonObject(params.stdout)?["stage"] as? String == "prod")
        #expect(jsonObject(params.stdout)?["color"] as? String == "blue")
        let cliParam = try run(["invoke", "local", "-f", "echo", "-s", "prod", "--param", "color=red"], nil)
        #expect(jsonObject(cliParam.stdout)?["color"] as? String == "red")
        let fallback = try run(["invoke", "local", "-f", "echo"], nil)
        #expect(jsonObject(fallback.stdout)?["color"] as? String == "none")
        // The framework's exit status: 1 when the function failed, its error printed.
        let failed = try run(["invoke", "local", "-f", "echo", "-d", #"{"fail": true}"#], nil)
        #expect(failed.status == 1)
        #expect(jsonObject(failed.stdout)?["errorMessage"] as? String == "asked to fail")
        let badParam = try run(["invoke", "local", "-f", "echo", "--param", "nokey"], nil)
        #expect(badParam.status == 2)
        #expect(badParam.stderrText.contains("Encountered invalid \"--param\" CLI option value"))
    }

    /// `sam validate` and `sam init` command lines as SAM documents them.
    @Test func samValidateAndInitAsDocumented() throws {
        let cli = try StandinCLI()
        let root = try makeTemporaryDirectory("sam-init")
        // sam init --no-interactive --runtime python3.12 --name sam-app --dependency-manager pip \
        //   --app-template hello-world --architecture x86_64
        let created = try cli.run(
            ["init", "--no-interactive", "-r", "python3.12", "-n", "sam-app", "-d", "pip", "--app-template",
             "hello-world", "-a", "x86_64", "-o", root.path], in: root)
        #expect(created.status == 0, "\(created.stderrText)")
        let app = root.appendingPathComponent("sam-app")
        #expect(FileManager.default.fileExists(atPath: app.appendingPathComponent("template.yaml").path))
        let noRuntime = try cli.run(["init", "--no-interactive", "-n", "other", "-o", root.path], in: root)
        #expect(noRuntime.status == 2)
        let image = try cli.run(
            ["init", "--no-interactive", "-r", "python3.12", "-p", "Image", "-n", "img", "-o", root.path], in: root)
        #expect(image.status == 2)
        #expect(image.stderrText.contains("--package-type Image"), "\(image.stderrText)")
        // sam validate --lint --template-file template.yaml --region us-east-1 --profile dev --save-params
        let validated = try cli.run(
            ["validate", "--lint", "--template-file", "template.yaml", "--region", "us-east-1", "--profile", "dev",
             "--save-params"], in: app)
        #expect(validated.status == 0, "\(validated.stdoutText) \(validated.stderrText)")
        let config = try String(contentsOf: app.appendingPathComponent("samconfig.toml"), encoding: .utf8)
        #expect(config.contains("[default.validate.parameters]"), "\(config)")
        #expect(config.contains("lint = true"), "\(config)")
    }
}

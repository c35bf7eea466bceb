import Foundation
import Testing
import TestSupport

/// Functions run under their own role, against a real local AWS (moto_server with IAM enforcement on).
@Suite("functions under their execution role (moto)", .serialized)
struct RoleTests {
    struct World {
        var moto: MotoServer
        var cli: StandinCLI
        var project: URL
        var ids: [String: String]
        var extra: [String: String]
    }

    /// moto with a developer user, the developer's role, a function role limited to one queue, an untrusted role;
    /// a temp HOME whose AWS config reaches the developer role through role_arn + source_profile.
    static func makeWorld() throws -> World? {
        guard let moto = try MotoServer.start(), let python = try TestPaths.requireVenvTool("python") else {
            return nil
        }
        let setup = try runProcess(
            python.path, [TestPaths.fixture("EndToEndTests", "moto_setup.py").path, moto.endpoint], timeout: 120)
        guard setup.status == 0, let object = jsonObject(setup.stdout) else {
            throw TestSupportError("moto setup failed: \(setup.stderrText)")
        }
        let ids = object.compactMapValues { $0 as? String }
        let cli = try StandinCLI()
        try writeFile(cli.home, ".aws/credentials", """
            [dev]
            aws_access_key_id = \(ids["developerKey"]!)
            aws_secret_access_key = \(ids["developerSecret"]!)
            """)
        try writeFile(cli.home, ".aws/config", """
            [profile dev]
            region = us-east-1

            [profile developer]
            role_arn = \(ids["developerRole"]!)
            source_profile = dev
            role_session_name = dev-session
            region = us-east-1

            [profile my-lambda-role]
            role_arn = \(ids["functionRole"]!)
            source_profile = developer
            role_session_name = lambda-session
            region = us-east-1
            """)
        let project = try makeTemporaryDirectory("standin-role-app")
        try writeFile(project, "template.yaml", """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              SenderRoleArn:
                Type: String
              UntrustedRoleArn:
                Type: String
            Globals:
              Function:
                Runtime: python3.11
                CodeUri: src
                Timeout: 30
            Resources:
              Sender:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Role: !Ref SenderRoleArn
              Untrusted:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Role: !Ref UntrustedRoleArn
              NoRole:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
            """)
        try writeFile(project, "src/app.py", """
            import os
            import boto3
            from botocore.exceptions import ClientError

            def handler(event, context):
                sqs = boto3.client("sqs")
                result = {"env_key": os.environ.get("AWS_ACCESS_KEY_ID"),
                          "profile": os.environ.get("AWS_PROFILE"),
                          "config_file": os.environ.get("AWS_CONFIG_FILE"),
                          "arn": boto3.client("sts").get_caller_identity()["Arn"]}
                for name in ("allowed", "other"):
                    try:
                        sqs.send_message(QueueUrl=event[name], MessageBody="hi")
                        result[name] = "sent"
                    except ClientError as e:
                        result[name] = e.response["Error"]["Code"]
                return result
            """)
        try writeFile(project, "env.json", """
            {"Parameters": {"AWS_ENDPOINT_URL": "\(moto.endpoint)"}}
            """)
        var extra = [
            "AWS_PROFILE": "developer", "AWS_ENDPOINT_URL": moto.endpoint,
            // The function's interpreter: the test venv's, which has boto3.
            "PATH": python.deletingLastPathComponent().path + ":" + (cli.environment["PATH"] ?? ""),
        ]
        extra["STANDIN_TEST"] = "roles"
        return World(moto: moto, cli: cli, project: project, ids: ids, extra: extra)
    }

    func overrides(_ world: World) -> [String] {
        [
            "--parameter-overrides",
            "SenderRoleArn=\(world.ids["functionRole"]!)", "UntrustedRoleArn=\(world.ids["untrustedRole"]!)",
        ]
    }

    func event(_ world: World) -> String {
        #"{"allowed":"\#(world.ids["allowedQueue"]!)","other":"\#(world.ids["otherQueue"]!)"}"#
    }

    @Test("a function runs under its role: allowed what the role allows, denied the rest; credentials cached")
    func functionRunsUnderItsRole() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.moto.stop() }
        let args = ["invoke", "Sender", "--env-vars", "env.json", "-d", event(world)] + overrides(world)
        let result = try world.cli.run(args, in: world.project, extra: world.extra)
        #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderrText)")
        let output = try #require(jsonObject(result.stdout), "\(result.stdoutText)\n\(result.stderrText)")
        #expect(output["allowed"] as? String == "sent")
        // Denied: AWS says AccessDenied; moto's SQS (JSON protocol) reports the HTTP status as the code.
        #expect(["AccessDenied", "AccessDeniedException", "403"].contains(output["other"] as? String ?? "sent"))
        #expect((output["arn"] as? String)?.contains("assumed-role/sender-function-role/standin-Sender") == true)
        #expect(output["env_key"] as? String != world.ids["developerKey"])
        #expect(output["profile"] is NSNull, "the caller's profile never reaches the function")
        #expect(output["config_file"] is NSNull)
        #expect(!result.stderrText.contains(world.ids["developerSecret"]!), "secrets never in logs")

        // The role's credentials are cached like the AWS CLI's (0600 files) and reused by the next invoke.
        let cache = world.cli.home.appendingPathComponent(".aws/cli/cache")
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".json") }
        #expect(!files.isEmpty)
        var keys: [String] = []
        for file in files {
            let path = cache.appendingPathComponent(file).path
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file) is private")
            let entry = try #require(jsonObject(try Data(contentsOf: URL(fileURLWithPath: path))))
            if let creds = entry["Credentials"] as? [String: Any], let key = creds["AccessKeyId"] as? String {
                keys.append(key)
            }
        }
        let second = try world.cli.run(args, in: world.project, extra: world.extra)
        let again = try #require(jsonObject(second.stdout), "\(second.stderrText)")
        #expect(keys.contains(again["env_key"] as? String ?? "-"), "the second invoke reused cached credentials")
    }

    /// The role's credentials reach the AWS CLI's cache through a file created 0600: it used to be created 0666
    /// (less the umask), filled with the secret, renamed, and only then made private. strace shows the mode the
    /// file is created with, and that no chmod follows.
    @Test("the credential cache file is private from the moment it is created")
    func cacheFileIsCreatedPrivate() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.moto.stop() }
        let trace = world.project.appendingPathComponent("strace.txt")
        var environment = world.cli.environment
        environment.merge(world.extra) { $1 }
        let result = try runProcess(
            "/usr/bin/env",
            ["strace", "-f", "-qq", "-e", "trace=open,openat,creat,chmod,fchmod,fchmodat", "-o", trace.path,
             TestPaths.standinBinary.path, "whoami", "Sender"] + overrides(world),
            environment: environment, currentDirectory: world.project, timeout: 120)
        #expect(result.status == 0, "\(result.stderrText)")
        let calls = try String(contentsOf: trace, encoding: .utf8).split(separator: "\n")
        let cacheCalls = calls.filter { $0.contains(".aws/cli/cache/") }
        let creations = cacheCalls.filter { $0.contains("O_CREAT") }
        #expect(!creations.isEmpty, "the cache was written: \(cacheCalls)")
        for call in creations { #expect(call.contains(", 0600)"), "created private: \(call)") }
        #expect(!cacheCalls.contains { $0.contains("chmod") }, "no window before a chmod: \(cacheCalls)")
    }

    /// SAM's classic scenario: a profile that is the function's role (`role_arn` + `source_profile`), and the
    /// template names that role too. The role trusts the developer, not itself: a second AssumeRole from its own
    /// session would be refused, so standin runs the function with the profile's session, saying so.
    @Test("a profile that is the function's role runs it with that session, without assuming the role again")
    func profileThatIsTheFunctionsRole() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.moto.stop() }
        let result = try world.cli.run(
            ["invoke", "Sender", "--profile", "my-lambda-role", "--env-vars", "env.json", "-d", event(world)]
                + overrides(world), in: world.project, extra: world.extra)
        #expect(result.status == 0, "\(result.stdoutText)\n\(result.stderrText)")
        let output = try #require(jsonObject(result.stdout), "\(result.stderrText)")
        #expect(output["arn"] as? String == "arn:aws:sts::123456789012:assumed-role/sender-function-role/lambda-session")
        #expect(output["allowed"] as? String == "sent")
        #expect(["AccessDenied", "AccessDeniedException", "403"].contains(output["other"] as? String ?? "sent"))
        #expect(
            result.stderrText.contains("Sender runs with your credentials: they already are a session of its role"),
            "\(result.stderrText)")
    }

    @Test("a role that does not trust the caller fails closed with the trust statement to add")
    func untrustedRole() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.moto.stop() }
        let result = try world.cli.run(
            ["invoke", "Untrusted", "--env-vars", "env.json", "-d", event(world)] + overrides(world),
            in: world.project, extra: world.extra)
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty, "the function never ran")
        let message = result.stderrText
        #expect(message.contains(world.ids["untrustedRole"]!), "\(message)")
        #expect(message.contains("assumed-role/developer-role/"), "names the caller: \(message)")
        #expect(message.contains("\"sts:AssumeRole\""), "prints the statement: \(message)")
        #expect(message.contains(world.ids["developerRole"]!), "the statement's principal: \(message)")
    }

    @Test("--no-assume-role and a function with no role run with the caller's credentials, saying so")
    func callerCredentials() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.moto.stop() }
        let result = try world.cli.run(
            ["invoke", "NoRole", "--env-vars", "env.json", "-d", event(world)] + overrides(world),
            in: world.project, extra: world.extra)
        #expect(result.stderrText.contains("NoRole has no Role"), "\(result.stderrText)")
        let output = try #require(jsonObject(result.stdout), "\(result.stderrText)")
        #expect((output["arn"] as? String)?.contains("assumed-role/developer-role/") == true)
    }

    @Test("whoami, env and exec show the assumed role")
    func whoamiEnvExec() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.moto.stop() }
        let me = try world.cli.run(["whoami"], in: world.project, extra: world.extra)
        #expect(me.stdoutText.contains("assumed-role/developer-role/"), "\(me.stdoutText) \(me.stderrText)")
        let fn = try world.cli.run(["whoami", "Sender"] + overrides(world), in: world.project, extra: world.extra)
        #expect(fn.stdoutText.contains("assumed-role/sender-function-role/standin-Sender"), "\(fn.stdoutText) \(fn.stderrText)")

        let env = try world.cli.run(
            ["env", "Sender", "--format", "json"] + overrides(world), in: world.project, extra: world.extra)
        let variables = try #require(jsonObject(env.stdout), "\(env.stdoutText) \(env.stderrText)")
        #expect((variables["AWS_ACCESS_KEY_ID"] as? String)?.isEmpty == false)
        #expect(variables["AWS_ACCESS_KEY_ID"] as? String != world.ids["developerKey"])
        #expect((variables["AWS_SESSION_TOKEN"] as? String)?.isEmpty == false)
        #expect(variables["AWS_LAMBDA_FUNCTION_NAME"] as? String == "Sender")

        let aws = try #require(TestPaths.venvTool("aws"))
        let exec = try world.cli.run(
            ["exec", "Sender"] + overrides(world) + ["--", aws.path, "sts", "get-caller-identity", "--output", "json"],
            in: world.project, extra: world.extra)
        #expect(exec.status == 0, "\(exec.stderrText)")
        #expect(exec.stdoutText.contains("assumed-role/sender-function-role/standin-Sender"), "\(exec.stdoutText)")
    }
}

import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `standin package`, `standin deploy` and `standin invoke --remote` against moto_server (S3, CloudFormation,
/// Lambda, IAM), through a proxy that records every request standin makes (`Fixtures/deploy/aws_peer.py`).
///
/// moto's CloudFormation does not apply the SAM transform: for SAM templates the tests assert what standin asks of
/// CloudFormation (the change set request) and what moto's change set says; for plain CloudFormation they assert
/// the stack and the function moto created. moto's Lambda runs code only in Docker, which CI lacks: `invoke --remote`
/// is checked by the request moto receives, moto's function error, and moto's Docker-less backend, which answers
/// with the payload it was sent.
@Suite("package, deploy and invoke --remote (moto; start-lambda for the log tail)", .serialized)
struct DeployTests {
    final class World {
        let moto: MotoServer
        let proxy: Process
        let python: URL
        let peerScript: URL
        let log: URL
        let cli: StandinCLI
        let project: URL
        let extra: [String: String]

        init(moto: MotoServer, proxy: Process, proxyPort: Int, python: URL, project: URL, log: URL) throws {
            self.moto = moto
            self.proxy = proxy
            self.python = python
            self.project = project
            self.log = log
            peerScript = project.appendingPathComponent("aws_peer.py")
            cli = try StandinCLI()
            extra = [
                "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret-never-printed",
                "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://localhost:\(proxyPort)",
                // Poll the stack every 0.2 s (SAM's variable), not every 5 s.
                "SAM_CLI_POLL_DELAY": "0.2",
            ]
            // The bucket `art` (and a role the tests do not need).
            try peer("setup", moto.endpoint, "art")
        }

        /// Runs `aws_peer.py ARGS` (boto3 against moto directly, not through the proxy).
        @discardableResult
        func peer(_ arguments: String...) throws -> ProcessResult {
            let result = try runProcess(python.path, [peerScript.path] + arguments, timeout: 60)
            guard result.status == 0 else {
                throw TestSupportError("aws_peer.py \(arguments.joined(separator: " ")): \(result.stderrText)")
            }
            return result
        }

        func peerJSON(_ arguments: String...) throws -> Any {
            let result = try runProcess(python.path, [peerScript.path] + arguments, timeout: 60)
            guard result.status == 0, let value = try? JSONSerialization.jsonObject(with: result.stdout) else {
                throw TestSupportError("aws_peer.py \(arguments.joined(separator: " ")): \(result.stderrText)")
            }
            return value
        }

        /// Runs standin in `folder` (below the project) with the test's AWS settings.
        func standin(_ arguments: [String], in folder: String, stdin: String? = nil) throws -> ProcessResult {
            try cli.run(arguments, in: project.appendingPathComponent(folder), extra: extra, stdin: stdin.map { Data($0.utf8) })
        }

        /// The requests recorded since the last call (the log is emptied).
        func takeRequests() throws -> [Request] {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            try Data().write(to: log)
            return text.split(separator: "\n").compactMap { line in
                jsonObject(Data(line.utf8)).map(Request.init)
            }
        }

        func stop() {
            if proxy.isRunning {
                kill(proxy.processIdentifier, SIGKILL)
                proxy.waitUntilExit()
            }
            moto.stop()
        }
    }

    /// One request the proxy recorded.
    struct Request {
        var method: String
        var path: String
        var query: String
        var headers: [String: String]
        var body: String
        /// A Query-protocol request's form fields.
        var form: [String: String]

        init(_ entry: [String: Any]) {
            method = entry["method"] as? String ?? ""
            path = entry["path"] as? String ?? ""
            query = entry["query"] as? String ?? ""
            headers = entry["headers"] as? [String: String] ?? [:]
            body = entry["body"] as? String ?? ""
            var form: [String: String] = [:]
            if headers["content-type"]?.hasPrefix("application/x-www-form-urlencoded") == true {
                for pair in body.split(separator: "&") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map {
                        String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
                    }
                    form[parts[0]] = parts.count > 1 ? parts[1] : ""
                }
            }
            self.form = form
        }

        var action: String? { form["Action"] }
    }

    /// moto, the recording proxy in front of it, a bucket `art` and a role; the deploy fixtures copied to a
    /// temporary folder. Nil (the test skips) without the test virtualenv outside CI.
    static func makeWorld() throws -> World? {
        guard let moto = try MotoServer.start(), let python = try TestPaths.requireVenvTool("python") else {
            return nil
        }
        let project = try makeTemporaryDirectory("standin-deploy")
        let fixtures = TestPaths.fixture("EndToEndTests", "deploy")
        for name in try FileManager.default.contentsOfDirectory(atPath: fixtures.path) {
            try FileManager.default.copyItem(
                at: fixtures.appendingPathComponent(name), to: project.appendingPathComponent(name))
        }
        let log = project.appendingPathComponent("requests.jsonl")
        let proxy = Process()
        proxy.executableURL = python
        proxy.arguments = [project.appendingPathComponent("aws_peer.py").path, "proxy", moto.endpoint, log.path]
        let output = Pipe()
        proxy.standardOutput = output
        proxy.standardError = FileHandle.nullDevice
        try proxy.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            line += chunk
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            moto.stop()
            throw TestSupportError("the recording proxy did not start")
        }
        return try World(moto: moto, proxy: proxy, proxyPort: port, python: python, project: project, log: log)
    }

    @Test("package uploads each artifact once, as a deterministic zip named by its content; a second run uploads nothing")
    func packageUploadsOnce() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.stop() }
        let first = try world.standin(
            ["package", "--s3-bucket", "art", "--output-template-file", "packaged.yaml"], in: "sam-app")
        #expect(first.status == 0, "\(first.stderrText)")
        let puts = try world.takeRequests().filter { $0.method == "PUT" }
        // Seven artifacts: the OpenAPI file, the AWS::Include file, the orders folder (two functions share it), a
        // single-file function, a native function, a layer and a nested stack's template.
        #expect(puts.count == 7, "\(puts.map(\.path))")
        #expect(Set(puts.map(\.path)).count == 7)
        #expect(puts.allSatisfy { $0.headers["x-amz-server-side-encryption"] == "AES256" })
        #expect(first.stderrText.contains("7 artifacts uploaded, 0 already in s3://art"), "\(first.stderrText)")

        let packaged = try String(
            contentsOf: world.project.appendingPathComponent("sam-app/packaged.yaml"), encoding: .utf8)
        // The template stays YAML, with its comments, short-form tags and layout; only artifact values change.
        #expect(packaged.contains("# More info about Globals"))
        #expect(packaged.contains("CodeUri: s3://art/"))
        #expect(packaged.contains("   # the same folder: uploaded once"))
        #expect(packaged.contains("      - !Ref CommonLayer"))
        #expect(packaged.contains(#"TABLE: !Sub "orders-${Stage}""#))
        #expect(!packaged.contains("CodeUri: orders/"))
        #expect(!packaged.contains("DefinitionUri: api/openapi.yaml"))
        #expect(!packaged.contains("Location: ./api/reports-openapi.yaml"))
        #expect(!packaged.contains("TemplateURL: nested/notifications.json"))
        #expect(packaged.contains(".template\n"), "the nested stack's template is uploaded and referred to by URL")
        let codeURIs = packaged.split(separator: "\n").filter { $0.contains("CodeUri: s3://art/") }
        let ordersURI = try #require(codeURIs.first).split(separator: " ").first { $0.hasPrefix("s3://") }
        #expect(codeURIs.filter { $0.contains(ordersURI!) }.count == 2, "both order functions use one upload")

        // The folder's object is named by sam package's folder checksum, and it is a zip with sorted entries,
        // 1980 timestamps and the files' modes (the native bootstrap stays executable).
        let ordersKey = String(ordersURI!.dropFirst("s3://art/".count))
        let checksum = try world.peer("dirsum", world.project.appendingPathComponent("sam-app/orders").path)
        #expect(ordersKey == checksum.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))
        let orders = try #require(try world.peerJSON("zipinfo", world.moto.endpoint, "art", ordersKey) as? [String: Any])
        let entries = try #require(orders["entries"] as? [[String: Any]])
        #expect(entries.map { $0["name"] as? String } == ["create.py", "list.py", "requirements.txt"])
        #expect(entries.allSatisfy { ($0["date"] as? [Int])?.prefix(3) == [1980, 1, 1] })
        #expect(entries.allSatisfy { ($0["mode"] as? Int).map { $0 & 0o444 == 0o444 } == true })
        let nativeKey = try world.peer("dirsum", world.project.appendingPathComponent("sam-app/native").path)
            .stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let native = try #require(try world.peerJSON("zipinfo", world.moto.endpoint, "art", nativeKey) as? [String: Any])
        let bootstrap = try #require((native["entries"] as? [[String: Any]])?.first)
        #expect(bootstrap["name"] as? String == "bootstrap")
        #expect(bootstrap["mode"] as? Int == 0o755, "an executable stays executable")

        // Unchanged: every object exists, nothing is uploaded, the same template comes out (on standard output).
        try FileManager.default.setAttributes(
            [.modificationDate: Date()],
            ofItemAtPath: world.project.appendingPathComponent("sam-app/orders/create.py").path)
        let second = try world.standin(["package", "--s3-bucket", "art"], in: "sam-app")
        #expect(second.status == 0, "\(second.stderrText)")
        let again = try world.takeRequests()
        #expect(again.allSatisfy { $0.method == "HEAD" }, "\(again.map { "\($0.method) \($0.path)" })")
        #expect(again.count == 7)
        #expect(second.stdoutText == packaged, "the same bytes give the same names")
        #expect(second.stderrText.contains("0 artifacts uploaded, 7 already in s3://art"))

        // --force-upload uploads again; --kms-key-id asks for SSE-KMS.
        let forced = try world.standin(
            ["package", "--s3-bucket", "art", "--force-upload", "--kms-key-id", "alias/artifacts"], in: "sam-app")
        #expect(forced.status == 0, "\(forced.stderrText)")
        let forcedPuts = try world.takeRequests().filter { $0.method == "PUT" }
        #expect(forcedPuts.count == 7)
        #expect(forcedPuts.allSatisfy {
            $0.headers["x-amz-server-side-encryption"] == "aws:kms"
                && $0.headers["x-amz-server-side-encryption-aws-kms-key-id"] == "alias/artifacts"
        })
        #expect(!(first.stderrText + second.stderrText + forced.stderrText).contains("secret-never-printed"))
    }

    @Test("an artifact above 8 MB goes up as a multipart upload, whole")
    func multipartUpload() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.stop() }
        // 9 MB that does not compress: two parts (8 MB and the rest).
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        let noise = random.readData(ofLength: 9 * 1024 * 1024)
        try random.close()
        try writeFile(world.project, "big/src/app.py", "def handler(event, context):\n    return event\n")
        try noise.write(to: world.project.appendingPathComponent("big/src/model.bin"))
        try writeFile(world.project, "big/template.yaml", """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Model:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: src
                  Handler: app.handler
                  Runtime: python3.12
            """)
        let result = try world.standin(["package", "--s3-bucket", "art"], in: "big")
        #expect(result.status == 0, "\(result.stderrText)")
        let requests = try world.takeRequests().filter { $0.method != "HEAD" }
        // CreateMultipartUpload, two UploadParts, CompleteMultipartUpload: the first query key of each.
        #expect(requests.map { "\($0.method) \($0.query.prefix { $0 != "=" && $0 != "&" })" } == [
            "POST uploads", "PUT partNumber", "PUT partNumber", "POST uploadId",
        ], "\(requests.map { "\($0.method) \($0.path)?\($0.query)" })")
        #expect(requests[1].query.hasPrefix("partNumber=1&") && requests[2].query.hasPrefix("partNumber=2&"))
        let key = try #require(requests.first).path.dropFirst("/art/".count)
        let zip = try #require(try world.peerJSON("zipinfo", world.moto.endpoint, "art", String(key)) as? [String: Any])
        #expect((zip["entries"] as? [[String: Any]])?.map { $0["name"] as? String } == ["app.py", "model.bin"])
    }

    @Test("package names a missing artifact by file, line and field, and exits 2")
    func packageMissingArtifact() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.stop() }
        let template = world.project.appendingPathComponent("sam-app/template.yaml")
        let text = try String(contentsOf: template, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "CodeUri: 'native'", with: "CodeUri: 'native-gone'").utf8)
            .write(to: template)
        let result = try world.standin(["package", "--s3-bucket", "art"], in: "sam-app")
        #expect(result.status == 2)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("CodeUri: 'native'") }! + 1
        #expect(result.stderrText.contains("template.yaml:\(line):"), "\(result.stderrText)")
        #expect(result.stderrText.contains("NativeFunction"), "\(result.stderrText)")
        #expect(result.stderrText.contains("native-gone does not exist"), "\(result.stderrText)")
        #expect(try world.takeRequests().allSatisfy { $0.method != "PUT" }, "nothing half-uploaded")
    }

    @Test("deploy of a SAM template: the change set keeps the transform, adds CAPABILITY_AUTO_EXPAND, passes parameters and S3 locations; an update changes only what changed")
    func deploySAMTemplate() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.stop() }
        let args = [
            "deploy", "--stack-name", "orders", "--s3-bucket", "art", "--s3-prefix", "orders",
            "--parameter-overrides", "Stage=prod", "--tags", "team=payments", #"owner="Ops Team""#,
        ]
        let first = try world.standin(args, in: "sam-app")
        #expect(first.status == 0, "\(first.stdoutText)\n\(first.stderrText)")
        let requests = try world.takeRequests()
        let create = try #require(requests.first { $0.action == "CreateChangeSet" })
        #expect(create.form["ChangeSetType"] == "CREATE")
        #expect(create.form["StackName"] == "orders")
        let body = try #require(create.form["TemplateBody"])
        #expect(body.contains("Transform: AWS::Serverless-2016-10-31"), "the transform is CloudFormation's to apply")
        #expect(body.contains("CodeUri: s3://art/orders/"))
        #expect(body.contains("ContentUri: s3://art/orders/"))
        #expect(body.contains("DefinitionUri: s3://art/orders/"))
        #expect(body.contains("Location: s3://art/orders/"))
        #expect(!body.contains("CodeUri: orders/"))
        let capabilities = create.form.filter { $0.key.hasPrefix("Capabilities.member.") }.map(\.value)
        #expect(capabilities.contains("CAPABILITY_AUTO_EXPAND"))
        #expect(create.form["Parameters.member.1.ParameterKey"] == "Stage")
        #expect(create.form["Parameters.member.1.ParameterValue"] == "prod")
        #expect(create.form["Tags.member.1.Key"] == "team" && create.form["Tags.member.1.Value"] == "payments")
        #expect(create.form["Tags.member.2.Key"] == "owner" && create.form["Tags.member.2.Value"] == "Ops Team")
        #expect(requests.contains { $0.action == "ExecuteChangeSet" })
        #expect(requests.filter { $0.method == "PUT" }.count == 7)
        // Every CloudFormation call is signed for CloudFormation, with the caller's key, and the secret is not shown.
        let signed = requests.filter { $0.action != nil }
        #expect(!signed.isEmpty && signed.allSatisfy {
            ($0.headers["authorization"] ?? "").contains("Credential=AKIDTEST/")
                && ($0.headers["authorization"] ?? "").contains("/us-east-1/cloudformation/aws4_request")
        })
        #expect(first.stdoutText.contains("+ Add"), "\(first.stdoutText)")
        #expect(first.stdoutText.contains("CreateOrderFunction"))
        #expect(first.stdoutText.contains("CREATE_COMPLETE"))
        #expect(!(first.stdoutText + first.stderrText).contains("secret-never-printed"))

        // One function's code changes: only that folder is uploaded, and the change set modifies only the two
        // functions that use it.
        let code = world.project.appendingPathComponent("sam-app/orders/create.py")
        try Data((try String(contentsOf: code, encoding: .utf8) + "\n# v2\n").utf8).write(to: code)
        let second = try world.standin(args, in: "sam-app")
        #expect(second.status == 0, "\(second.stdoutText)\n\(second.stderrText)")
        let update = try world.takeRequests()
        #expect(update.first { $0.action == "CreateChangeSet" }?.form["ChangeSetType"] == "UPDATE")
        #expect(update.filter { $0.method == "PUT" }.count == 1)
        let changes = second.stdoutText.split(separator: "\n").filter { $0.hasPrefix("* Modify") || $0.hasPrefix("+ Add") || $0.hasPrefix("- Delete") }
        #expect(changes.count == 2, "\(second.stdoutText)")
        #expect(changes.allSatisfy { $0.contains("CreateOrderFunction") || $0.contains("ListOrdersFunction") })
        #expect(second.stdoutText.contains("UPDATE_COMPLETE"))
    }

    @Test("deploy of plain CloudFormation creates the stack and a function with the template's handler, runtime, role and code; updates, empty change sets and --no-execute-changeset")
    func deployCloudFormationTemplate() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.stop() }
        let args = [
            "deploy", "--stack-name", "worker", "--s3-bucket", "art", "--capabilities", "CAPABILITY_IAM",
            "--parameter-overrides", "LogLevel=DEBUG",
        ]
        let created = try world.standin(args, in: "cfn-app")
        #expect(created.status == 0, "\(created.stdoutText)\n\(created.stderrText)")
        let requests = try world.takeRequests()
        let create = try #require(requests.first { $0.action == "CreateChangeSet" })
        #expect(create.form["Capabilities.member.1"] == "CAPABILITY_IAM")
        #expect(!create.form.values.contains("CAPABILITY_AUTO_EXPAND"), "no transform, no AUTO_EXPAND")
        let put = try #require(requests.first { $0.method == "PUT" })
        let key = String(put.path.dropFirst("/art/".count))

        let resources = try #require(try world.peerJSON("resources", world.moto.endpoint, "worker") as? [String: String])
        let functionName = try #require(resources["WorkerFunction"])
        let roleName = try #require(resources["WorkerRole"])
        let function = try #require(try world.peerJSON("function", world.moto.endpoint, functionName) as? [String: Any])
        #expect(function["Handler"] as? String == "worker.handler")
        #expect(function["Runtime"] as? String == "python3.12")
        #expect(function["Timeout"] as? Int == 30)
        #expect((function["Role"] as? String)?.hasSuffix(":role/\(roleName)") == true, "\(function["Role"] ?? "-")")
        #expect(((function["Environment"] as? [String: Any])?["Variables"] as? [String: String])?["LOG_LEVEL"] == "DEBUG")
        let zip = try #require(try world.peerJSON("zipinfo", world.moto.endpoint, "art", key) as? [String: Any])
        #expect(function["CodeSha256"] as? String == zip["sha256b64"] as? String, "the function runs the uploaded zip")
        #expect((zip["entries"] as? [[String: Any]])?.map { $0["name"] as? String } == ["worker.py"])
        // (moto gives a stack made through a change set no Outputs, so their table is not checked here.)

        // The template and the code change: the change set modifies the function alone, the role stays.
        let templateURL = world.project.appendingPathComponent("cfn-app/template.json")
        let template = try String(contentsOf: templateURL, encoding: .utf8)
        try Data(template.replacingOccurrences(of: #""Timeout": 30"#, with: #""Timeout": 60"#).utf8).write(to: templateURL)
        let code = world.project.appendingPathComponent("cfn-app/src/worker.py")
        try Data((try String(contentsOf: code, encoding: .utf8) + "\n# v2\n").utf8).write(to: code)
        let updated = try world.standin(args, in: "cfn-app")
        #expect(updated.status == 0, "\(updated.stdoutText)\n\(updated.stderrText)")
        _ = try world.takeRequests()
        let changes = updated.stdoutText.split(separator: "\n").filter { $0.hasPrefix("* Modify") || $0.hasPrefix("+ Add") || $0.hasPrefix("- Delete") }
        #expect(changes.count == 1 && changes.first?.contains("WorkerFunction") == true, "\(updated.stdoutText)")
        let after = try #require(try world.peerJSON("resources", world.moto.endpoint, "worker") as? [String: String])
        #expect(after["WorkerRole"] == roleName)
        let changed = try #require(try world.peerJSON("function", world.moto.endpoint, functionName) as? [String: Any])
        #expect(changed["Timeout"] as? Int == 60)
        #expect(changed["CodeSha256"] as? String != function["CodeSha256"] as? String)

        // Nothing changed: not an error, unless asked.
        let same = try world.standin(args, in: "cfn-app")
        #expect(same.status == 0, "\(same.stderrText)")
        #expect(same.stderrText.contains("no changes to deploy: stack worker is up to date"), "\(same.stderrText)")
        let strict = try world.standin(args + ["--fail-on-empty-changeset"], in: "cfn-app")
        #expect(strict.status == 1)
        #expect(strict.stderrText.contains("--fail-on-empty-changeset"), "\(strict.stderrText)")
        let idle = try world.takeRequests()
        #expect(!idle.contains { $0.action == "ExecuteChangeSet" })
        #expect(idle.allSatisfy { $0.method != "PUT" }, "the unchanged code is not uploaded again")

        // --no-execute-changeset creates and prints the change set, and leaves the stack as it is.
        try Data(template.replacingOccurrences(of: #""Timeout": 30"#, with: #""Timeout": 90"#).utf8).write(to: templateURL)
        let review = try world.standin(args + ["--no-execute-changeset"], in: "cfn-app")
        #expect(review.status == 0, "\(review.stderrText)")
        #expect(review.stdoutText.contains("* Modify"), "\(review.stdoutText)")
        #expect(review.stderrText.contains("change set created, not executed"))
        #expect(!(try world.takeRequests()).contains { $0.action == "ExecuteChangeSet" })
        let unchanged = try #require(try world.peerJSON("function", world.moto.endpoint, functionName) as? [String: Any])
        #expect(unchanged["Timeout"] as? Int == 60)
    }

    @Test("a failing resource makes deploy exit 1 with its reason")
    func deployFailure() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.stop() }
        let templateURL = world.project.appendingPathComponent("cfn-app/template.json")
        let template = try String(contentsOf: templateURL, encoding: .utf8)
        try Data(
            template.replacingOccurrences(
                of: #"{"Fn::GetAtt": ["WorkerRole", "Arn"]}"#, with: #""arn:aws:iam::123456789012:role/no-such-role""#
            ).utf8
        ).write(to: templateURL)
        let result = try world.standin(
            ["deploy", "--stack-name", "broken", "--s3-bucket", "art", "--capabilities", "CAPABILITY_IAM"], in: "cfn-app")
        #expect(result.status == 1, "\(result.stdoutText)\n\(result.stderrText)")
        #expect(result.stderrText.contains("stack broken failed"), "\(result.stderrText)")
        #expect(result.stderrText.contains("cannot be assumed by Lambda"), "the resource's reason: \(result.stderrText)")
    }

    @Test("invoke --remote finds the function in the stack and calls Lambda's Invoke, signed, with the event")
    func invokeRemote() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.stop() }
        let deployed = try world.standin(
            ["deploy", "--stack-name", "worker", "--s3-bucket", "art", "--capabilities", "CAPABILITY_IAM"], in: "cfn-app")
        #expect(deployed.status == 0, "\(deployed.stderrText)")
        let resources = try #require(try world.peerJSON("resources", world.moto.endpoint, "worker") as? [String: String])
        let functionName = try #require(resources["WorkerFunction"])
        _ = try world.takeRequests()

        // moto's default Lambda runs code in Docker; without it, it answers a function error, which standin reports
        // as invoke does locally: the error payload on standard output, exit 1.
        let args = ["invoke", "WorkerFunction", "--remote", "--stack-name", "worker", "--log-type", "Tail", "-d", #"{"order": 7}"#]
        let failed = try world.standin(args, in: "cfn-app")
        let invoke = try #require(try world.takeRequests().first { $0.path.hasSuffix("/invocations") })
        #expect(invoke.method == "POST")
        #expect(invoke.path == "/2015-03-31/functions/\(functionName)/invocations")
        #expect(invoke.headers["x-amz-invocation-type"] == "RequestResponse")
        #expect(invoke.headers["x-amz-log-type"] == "Tail")
        #expect((invoke.headers["authorization"] ?? "").contains("/us-east-1/lambda/aws4_request"))
        #expect(invoke.body == #"{"order": 7}"#)
        #expect(failed.status == 1, "\(failed.stdoutText)\n\(failed.stderrText)")

        // moto's Docker-less backend answers with the payload it was sent.
        try world.peer("lambda-simple", world.moto.endpoint)
        let echoed = try world.standin(args, in: "cfn-app")
        #expect(echoed.status == 0, "\(echoed.stdoutText)\n\(echoed.stderrText)")
        #expect(jsonObject(echoed.stdout)?["order"] as? Int == 7, "\(echoed.stdoutText)")
        // The event from a file, asynchronously: Lambda answers 202 with no payload.
        try writeFile(world.project, "cfn-app/event.json", #"{"order": 8}"#)
        let queued = try world.standin(
            ["invoke", "WorkerFunction", "--remote", "--stack-name", "worker", "--invocation-type", "Event", "-e", "event.json"],
            in: "cfn-app")
        #expect(queued.status == 0, "\(queued.stderrText)")
        let event = try #require(try world.takeRequests().last { $0.path.hasSuffix("/invocations") })
        #expect(event.headers["x-amz-invocation-type"] == "Event")
        #expect(event.body == #"{"order": 8}"#)

        let missing = try world.standin(["invoke", "Nope", "--remote", "--stack-name", "worker"], in: "cfn-app")
        #expect(missing.status == 2)
        #expect(missing.stderrText.contains("stack worker has no function Nope (its functions: WorkerFunction)"),
                "\(missing.stderrText)")
    }

    /// A project as `sam init` and `sam build` leave it: the built template under `.aws-sam/build`, and sam init's
    /// samconfig (stack_name and parameter_overrides in `global`, `resolve_s3 = true`, `confirm_changeset = true`).
    @Test("a sam build project with sam init's samconfig: resolve_s3 makes SAM's managed bucket once; the change set is confirmed on stdin")
    func samBuildProjectWithResolveS3() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.stop() }
        try FileManager.default.copyItem(
            at: TestPaths.fixture("EndToEndTests", "built-app"), to: world.project.appendingPathComponent("built-app"))
        let first = try world.standin(["deploy"], in: "built-app", stdin: "y\n")
        #expect(first.status == 0, "\(first.stdoutText)\n\(first.stderrText)")
        #expect(first.stderrText.contains("Deploy this change set? [y/N]"), "\(first.stderrText)")
        let requests = try world.takeRequests()
        let changeSets = requests.filter { $0.action == "CreateChangeSet" }
        #expect(changeSets.map { $0.form["StackName"] } == ["aws-sam-cli-managed-default", "built-app"])
        let resources = try #require(
            try world.peerJSON("resources", world.moto.endpoint, "aws-sam-cli-managed-default") as? [String: String])
        let bucket = try #require(resources["SamCliSourceBucket"])
        let body = try #require(changeSets.last?.form["TemplateBody"])
        #expect(body.contains("CodeUri: s3://\(bucket)/"), "the built code went to the managed bucket")
        #expect(changeSets.last?.form["Parameters.member.1.ParameterValue"] == "from-samconfig")
        #expect(requests.contains { $0.method == "PUT" && $0.path.hasPrefix("/\(bucket)/") })
        #expect(requests.contains { $0.action == "ExecuteChangeSet" && $0.form["StackName"] == "built-app" })

        // The managed stack is found, not made again; unanswered, the confirmation leaves the change set unexecuted.
        try writeFile(world.project, "built-app/.aws-sam/build/HelloFunction/extra.txt", "changed\n")
        let second = try world.standin(["deploy"], in: "built-app", stdin: "")
        #expect(second.status == 0, "\(second.stderrText)")
        let again = try world.takeRequests()
        #expect(again.filter { $0.action == "CreateChangeSet" }.map { $0.form["StackName"] } == ["built-app"])
        #expect(!again.contains { $0.action == "ExecuteChangeSet" })
        #expect(second.stderrText.contains("change set created, not executed"), "\(second.stderrText)")
    }

    /// moto's Lambda does not send a log tail; standin's own start-lambda is a Lambda Invoke API that does.
    @Test("invoke --remote against a Lambda Invoke API that runs the code (start-lambda): payload, log tail, errors")
    func invokeRemoteAgainstStartLambda() throws {
        guard try TestPaths.requireVenvTool("python") != nil else { return }
        let server = try StartLambdaServer()
        defer { server.stop() }
        let cli = try StandinCLI()
        let extra = [
            "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret-never-printed", "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_LAMBDA": server.endpoint,
        ]
        let ok = try cli.run(
            ["invoke", "echo-function", "--remote", "--log-type", "Tail", "-d", #"{"hello": "remote"}"#], in: cli.home,
            extra: extra)
        #expect(ok.status == 0, "\(ok.stdoutText)\n\(ok.stderrText)\n\(server.stderr)")
        let answer = try #require(jsonObject(ok.stdout), "\(ok.stdoutText)")
        #expect((answer["event"] as? [String: Any])?["hello"] as? String == "remote")
        #expect(answer["function"] as? String == "echo-function")
        // The tail: the invocation's own log lines, decoded, on standard error.
        #expect(ok.stderrText.contains("START RequestId: "), "\(ok.stderrText)")
        #expect(ok.stderrText.contains(#"echo handler saw {"hello": "remote"}"#), "\(ok.stderrText)")
        #expect(ok.stderrText.contains("REPORT RequestId: "), "\(ok.stderrText)")

        let failed = try cli.run(["invoke", "Fail", "--remote", "-d", "{}"], in: cli.home, extra: extra)
        #expect(failed.status == 1, "a function error exits 1: \(failed.stderrText)")
        #expect(jsonObject(failed.stdout)?["errorType"] as? String == "ValueError", "\(failed.stdoutText)")
        #expect(!failed.stderrText.contains("START RequestId"), "no tail unless asked")

        let missing = try cli.run(["invoke", "no-such-function", "--remote", "-d", "{}"], in: cli.home, extra: extra)
        #expect(missing.status == 2, "\(missing.stderrText)")
        #expect(missing.stderrText.contains("no-such-function: no such function in us-east-1"), "\(missing.stderrText)")
        #expect(!(ok.stderrText + failed.stderrText + missing.stderrText).contains("secret-never-printed"))
    }

    @Test("deploy --guided asks on standard input, deploys, and saves samconfig for the next deploy")
    func guidedDeploy() throws {
        guard let world = try Self.makeWorld() else { return }
        defer { world.stop() }
        // Stack name, region (default), LogLevel, bucket, confirm (n), CAPABILITY_IAM (default yes), save (default).
        let guided = try world.standin(["deploy", "--guided"], in: "cfn-app", stdin: "guided-stack\n\nTRACE\nart\nn\n\n\n")
        #expect(guided.status == 0, "\(guided.stdoutText)\n\(guided.stderrText)")
        #expect(guided.stderrText.contains("Stack Name [standin-app]"), "\(guided.stderrText)")
        let config = try String(
            contentsOf: world.project.appendingPathComponent("cfn-app/samconfig.toml"), encoding: .utf8)
        #expect(config.hasPrefix("version = 0.1\n"), "\(config)")
        #expect(config.contains("[default.deploy.parameters]"))
        // TOML strings, basic or literal.
        func has(_ key: String, _ value: String) -> Bool {
            config.contains("\(key) = \"\(value)\"") || config.contains("\(key) = '\(value)'")
        }
        #expect(has("stack_name", "guided-stack"), "\(config)")
        #expect(has("s3_bucket", "art"))
        #expect(has("s3_prefix", "guided-stack"))
        #expect(has("capabilities", "CAPABILITY_IAM"))
        #expect(has("parameter_overrides", #"LogLevel="TRACE""#))
        let resources = try #require(try world.peerJSON("resources", world.moto.endpoint, "guided-stack") as? [String: String])
        let functionName = try #require(resources["WorkerFunction"])
        let function = try #require(try world.peerJSON("function", world.moto.endpoint, functionName) as? [String: Any])
        #expect(((function["Environment"] as? [String: Any])?["Variables"] as? [String: String])?["LOG_LEVEL"] == "TRACE")
        _ = try world.takeRequests()

        // The next deploy reads it all from samconfig: nothing to change.
        let next = try world.standin(["deploy"], in: "cfn-app")
        #expect(next.status == 0, "\(next.stderrText)")
        #expect(next.stderrText.contains("stack guided-stack is up to date"), "\(next.stderrText)")
    }
}

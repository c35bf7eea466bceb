import Foundation
import Testing
import TestSupport

/// `standin init` followed by real invocations of the project it made.
@Suite("standin init, end to end")
struct InitTests {
    @Test(
        "init --runtime R --name app --output-dir DIR, then invoke in it: statusCode 200 with the greeting",
        arguments: ["python3.12", "nodejs20.x", "provided.al2023"])
    func initThenInvoke(runtime: String) throws {
        let cli = try StandinCLI()
        let parent = try makeTemporaryDirectory("standin-init")
        let created = try cli.run(["init", "--runtime", runtime, "--name", "app", "--output-dir", parent.path])
        #expect(created.status == 0, "\(created.stdoutText) \(created.stderrText)")
        let project = parent.appendingPathComponent("app")
        #expect(created.stdoutText.contains(project.path), "\(created.stdoutText)")
        for file in ["template.yaml", "events/event.json", "README.md"] {
            #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent(file).path), "\(file)")
        }

        let validate = try cli.run(["validate"], in: project)
        #expect(validate.status == 0, "\(validate.stdoutText)")
        #expect(!validate.stdoutText.contains(": error: "), "\(validate.stdoutText)")

        let result = try cli.run(["invoke", "-e", "events/event.json"], in: project)
        #expect(result.status == 0, "\(result.stderrText)")
        let response = try #require(jsonObject(result.stdout), "\(result.stdoutText) \(result.stderrText)")
        #expect(response["statusCode"] as? Int == 200)
        let body = try #require((response["body"] as? String).flatMap { jsonObject(Data($0.utf8)) })
        #expect(body["message"] as? String == "Hello, standin!", "\(body)")

        let byName = try cli.run(["invoke", "HelloFunction", "-d", #"{"queryStringParameters":{"name":"x"}}"#],
            in: project)
        #expect(byName.stdoutText.contains("Hello, x!"), "\(byName.stdoutText) \(byName.stderrText)")
    }

    @Test("the starter serves its route with start-api")
    func startAPI() throws {
        let cli = try StandinCLI()
        let parent = try makeTemporaryDirectory("standin-init")
        let created = try cli.run(["init", "--runtime", "python3.12", "--name", "api", "--output-dir", parent.path])
        #expect(created.status == 0, "\(created.stderrText)")
        let project = parent.appendingPathComponent("api")
        let (port, urlPort) = twoFreeLoopbackPorts()
        // SIGINT lets standin stop its function processes; bounded, then killed.
        let server = try StandinServerProcess(
            ["start-api", "--port", String(port), "--function-url-port", String(urlPort), "--no-watch"],
            in: project, environment: cli.environment, stderrFile: parent.appendingPathComponent("stderr.log"))
        defer { server.stop(timeout: 20) }
        try server.waitUntilListening([(port, 60)], what: "start-api")
        let curl = try runProcess("curl", ["-sS", "--max-time", "60", "http://127.0.0.1:\(port)/hello?name=api"])
        #expect(curl.status == 0, "\(curl.stderrText)")
        #expect(jsonObject(curl.stdout)?["message"] as? String == "Hello, api!", "\(curl.stdoutText)")
    }

    @Test("no --runtime and no terminal: exit 2 naming the runtimes")
    func runtimeRequiredWithoutTerminal() throws {
        let cli = try StandinCLI()
        let parent = try makeTemporaryDirectory("standin-init")
        let result = try cli.run(["init", "--name", "app", "--output-dir", parent.path], stdin: Data())
        #expect(result.status == 2, "\(result.stdoutText) \(result.stderrText)")
        #expect(result.stderrText.contains("--runtime"), "\(result.stderrText)")
        #expect(result.stderrText.contains("python3.12"), "\(result.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: parent.appendingPathComponent("app").path))
    }

    @Test("on a terminal, no --runtime asks which one (through script(1)'s pseudo-terminal)")
    func interactiveChoice() throws {
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else { return }
        let cli = try StandinCLI()
        let parent = try makeTemporaryDirectory("standin-init")
        let command = "'\(TestPaths.standinBinary.path)' init --name app --output-dir '\(parent.path)'"
        let result = try runProcess(
            script.path, ["-qec", command, "/dev/null"], environment: cli.environment, stdin: Data("2\n".utf8),
            timeout: 60)
        #expect(result.status == 0, "\(result.stdoutText)")
        #expect(result.stdoutText.contains("2) nodejs20.x"), "\(result.stdoutText)")
        let handler = parent.appendingPathComponent("app/hello_world/app.mjs")
        #expect(FileManager.default.fileExists(atPath: handler.path), "choice 2 is nodejs20.x: \(result.stdoutText)")
        let template = try String(contentsOf: parent.appendingPathComponent("app/template.yaml"), encoding: .utf8)
        #expect(template.contains("Runtime: nodejs20.x"))
    }

    @Test("an existing folder that is not empty is refused and left as it was")
    func existingFolderRefused() throws {
        let cli = try StandinCLI()
        let parent = try makeTemporaryDirectory("standin-init")
        try writeFile(parent, "app/notes.txt", "mine")
        let result = try cli.run(["init", "--runtime", "nodejs20.x", "--name", "app", "--output-dir", parent.path])
        #expect(result.status == 2, "\(result.stdoutText) \(result.stderrText)")
        #expect(result.stderrText.contains("not empty"), "\(result.stderrText)")
        let contents = try FileManager.default.contentsOfDirectory(atPath: parent.appendingPathComponent("app").path)
        #expect(contents == ["notes.txt"])

        try FileManager.default.createDirectory(
            at: parent.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let empty = try cli.run(["init", "--runtime", "nodejs20.x", "--name", "empty", "--output-dir", parent.path])
        #expect(empty.status == 0, "an empty folder is fine: \(empty.stderrText)")
    }

    @Test("an unknown runtime and a bad name are usage errors")
    func refusals() throws {
        let cli = try StandinCLI()
        let parent = try makeTemporaryDirectory("standin-init")
        let runtime = try cli.run(["init", "--runtime", "ruby3.3", "--name", "app", "--output-dir", parent.path])
        #expect(runtime.status == 2)
        #expect(runtime.stderrText.contains("ruby3.3") && runtime.stderrText.contains("provided.al2023"))
        let name = try cli.run(["init", "--runtime", "python3.12", "--name", "../up", "--output-dir", parent.path])
        #expect(name.status == 2)
        #expect(name.stderrText.contains("--name"), "\(name.stderrText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
    }
}

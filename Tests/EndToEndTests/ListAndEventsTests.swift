import Foundation
import Testing
import TestSupport

@Suite("standin list and generate-event, end to end")
struct ListAndEventsTests {
    @Test("list prints functions and routes, and JSON for scripts")
    func list() throws {
        let cli = try StandinCLI()
        let text = try cli.run(["list"], in: StandinCLI.exampleApp)
        #expect(text.status == 0, "\(text.stderrText)")
        for expected in ["HelloPython", "python3.12", "HelloNode", "nodejs20.x", "HelloProvided", "/hello/{name}"] {
            #expect(text.stdoutText.contains(expected), "\(expected) in \(text.stdoutText)")
        }
        let json = try cli.run(["list", "--output", "json"], in: StandinCLI.exampleApp)
        let document = try #require(jsonObject(json.stdout), "\(json.stdoutText)")
        let functions = try #require(document["functions"] as? [[String: Any]])
        #expect(functions.map { $0["logicalId"] as? String } == ["HelloPython", "HelloNode", "HelloProvided"])
        let routes = try #require(document["routes"] as? [[String: Any]])
        #expect(routes.contains { $0["path"] as? String == "/hello/{name}" && $0["method"] as? String == "GET" })
        #expect(routes.contains { $0["path"] as? String == "/node/hello" && $0["api"] as? String == "HTTP" })
    }

    @Test("generate-event output pipes straight into invoke")
    func generateEventIntoInvoke() throws {
        let cli = try StandinCLI()
        let event = try cli.run(["generate-event", "sqs", "receive-message", "--body", "piped body"])
        #expect(event.status == 0, "\(event.stderrText)")
        let parsed = try #require(jsonObject(event.stdout))
        let records = try #require(parsed["Records"] as? [[String: Any]])
        #expect(records.first?["body"] as? String == "piped body")
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "template.yaml", InvokeTests.template(runtime: "python3.12", timeout: 3))
        try writeFile(dir, "src/app.py", """
            def handler(event, context):
                return [r["body"] for r in event["Records"]]
            """)
        let result = try cli.run(["invoke"], in: dir, stdin: event.stdout)
        #expect(result.stdoutText.contains("piped body"), "\(result.stdoutText) \(result.stderrText)")
    }

    @Test("generate-event lists services and rejects unknown ones")
    func generateEventHelp() throws {
        let cli = try StandinCLI()
        let services = try cli.run(["generate-event"])
        #expect(services.stdoutText.contains("s3") && services.stdoutText.contains("apigateway"))
        let unknown = try cli.run(["generate-event", "s4"])
        #expect(unknown.status != 0)
        #expect(unknown.stderrText.contains("s4"))
    }
}

import Foundation
import Testing
import TestSupport

/// `standin generate-event` through the real binary: output piped into `invoke`, help at each level, errors.
@Suite("standin generate-event, end to end")
struct GenerateEventTests {
    @Test("s3 put --bucket b --key k pipes into invoke")
    func s3PutIntoInvoke() throws {
        let cli = try StandinCLI()
        let event = try cli.run(["generate-event", "s3", "put", "--bucket", "b", "--key", "k"])
        #expect(event.status == 0, "\(event.stderrText)")
        #expect(event.stderr.isEmpty)
        let records = try #require(jsonObject(event.stdout)?["Records"] as? [[String: Any]], "\(event.stdoutText)")
        #expect(records.count == 1)
        #expect(records.first?["eventName"] as? String == "ObjectCreated:Put")

        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "template.yaml", InvokeTests.template(runtime: "python3.12", timeout: 3))
        try writeFile(dir, "src/app.py", """
            def handler(event, context):
                return [r["s3"]["bucket"]["name"] + "/" + r["s3"]["object"]["key"] for r in event["Records"]]
            """)
        let piped = try cli.run(["invoke"], in: dir, stdin: event.stdout)
        #expect(piped.status == 0, "\(piped.stderrText)")
        #expect(try JSONSerialization.jsonObject(with: piped.stdout) as? [String] == ["b/k"], "\(piped.stdoutText)")

        let batch = try cli.run(["generate-event", "s3", "put", "--key", "a b", "--count", "3"])
        let keys = try #require(jsonObject(batch.stdout)?["Records"] as? [[String: Any]], "\(batch.stdoutText)")
            .compactMap { (($0["s3"] as? [String: Any])?["object"] as? [String: Any])?["key"] as? String }
        #expect(keys.count == 3)
        #expect(keys.allSatisfy { $0 != "a b" }, "the key is URL-encoded as S3 sends it: \(keys)")
    }

    @Test(
        "a few catalogue entries print JSON with their documented top-level keys",
        arguments: [
            (["apigateway", "aws-proxy", "--method", "POST", "--body", "hi"], ["httpMethod", "requestContext", "body"]),
            (["apigateway", "http-api-proxy"], ["version", "routeKey", "rawPath", "requestContext"]),
            (["sqs", "receive-message", "--body", "b"], ["Records"]),
            (["dynamodb", "update"], ["Records"]),
            (["cloudwatch", "scheduled-event"], ["detail-type", "source", "time"]),
            (["sns", "notification"], ["Records"]),
        ])
    func entries(arguments: [String], keys: [String]) throws {
        let cli = try StandinCLI()
        let result = try cli.run(["generate-event"] + arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderrText)")
        let object = try #require(jsonObject(result.stdout), "\(arguments): \(result.stdoutText)")
        for key in keys { #expect(object[key] != nil, "\(arguments): \(key) in \(result.stdoutText)") }
    }

    @Test("--help at each level lists what exists there")
    func helpAtEachLevel() throws {
        let cli = try StandinCLI()
        let top = try cli.run(["generate-event", "--help"])
        #expect(top.status == 0)
        for service in ["alb", "apigateway", "cloudfront", "dynamodb", "kinesis", "s3", "sqs", "stepfunctions"] {
            #expect(top.stdoutText.contains("\n  \(service) "), "\(service) in \(top.stdoutText)")
        }
        let bare = try cli.run(["generate-event"])
        #expect(bare.stdoutText == top.stdoutText, "no arguments prints the same list")

        let service = try cli.run(["generate-event", "s3", "--help"])
        #expect(service.status == 0)
        for event in ["put", "delete", "batch-invocation"] {
            #expect(service.stdoutText.contains("\n  \(event) "), "\(event) in \(service.stdoutText)")
        }

        let event = try cli.run(["generate-event", "s3", "put", "--help"])
        #expect(event.status == 0)
        for option in ["--bucket", "--key", "--region", "--count"] {
            #expect(event.stdoutText.contains(option), "\(option) in \(event.stdoutText)")
        }
        #expect(event.stdoutText.contains("[default: example-bucket]"), "\(event.stdoutText)")
    }

    @Test(
        "unknown service, event or option: exit 2 with a suggestion",
        arguments: [
            (["s4", "put"], "s4"),
            (["s3", "putt"], "putt"),
            (["s3", "put", "--bucketname", "x"], "--bucketname"),
        ])
    func unknown(arguments: [String], named: String) throws {
        let cli = try StandinCLI()
        let result = try cli.run(["generate-event"] + arguments)
        #expect(result.status == 2, "\(arguments): \(result.stdoutText) \(result.stderrText)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText.contains(named), "\(result.stderrText)")
        #expect(result.stderrText.contains("did you mean"), "\(result.stderrText)")
    }
}

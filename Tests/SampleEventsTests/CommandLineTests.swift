import Foundation
import Testing

@testable import SampleEvents

/// `standin generate-event ...`: help at each level, rendering with options, and usage errors.
struct CommandLineTests {
    private func run(_ arguments: String...) -> (output: String, errorOutput: String, exitCode: Int32) {
        SampleEventCommandLine.run(arguments: arguments)
    }

    @Test(arguments: [[], ["--help"], ["-h"]])
    func servicesAreListedWithSummaries(arguments: [String]) {
        let result = SampleEventCommandLine.run(arguments: arguments)
        #expect(result.exitCode == 0)
        #expect(result.errorOutput.isEmpty)
        #expect(result.output.hasPrefix("Usage: standin generate-event SERVICE EVENT"))
        for service in SampleEventCatalog.standard.services {
            #expect(result.output.contains("  \(service.name) "), "\(service.name) listed")
            #expect(result.output.contains(service.summary))
        }
    }

    @Test(arguments: [["s3"], ["s3", "--help"]])
    func eventsOfAServiceAreListed(arguments: [String]) {
        let result = SampleEventCommandLine.run(arguments: arguments)
        #expect(result.exitCode == 0)
        #expect(result.output.hasPrefix("Usage: standin generate-event s3 EVENT"))
        for event in ["batch-invocation", "delete", "put"] {
            #expect(result.output.contains("  \(event) "), "\(event) listed")
        }
        #expect(result.output.contains("S3 ObjectCreated:Put notification"))
    }

    @Test func optionsOfAnEventAreListedWithDefaults() {
        let result = run("s3", "put", "--help")
        #expect(result.exitCode == 0)
        #expect(result.output.hasPrefix("Usage: standin generate-event s3 put [--OPTION VALUE ...]"))
        #expect(result.output.contains("--bucket VALUE"))
        #expect(result.output.contains("[default: example-bucket]"))
        #expect(result.output.contains("Object key (URL-encoded into the event) [default: test/key]"))
        #expect(result.output.contains("--count VALUE"))
        let kinesis = run("kinesis", "get-records", "--data", "x", "--help")
        #expect(kinesis.output.contains("Record data (base64-encoded into the event)"))
        let none = run("alexa-smart-home", "smart-home-discovery-request", "--help")
        #expect(none.output.contains("This event takes no options."))
    }

    @Test func eventJSONIsPrintedWithOptionsInBothSpellings() throws {
        let result = run("s3", "put", "--bucket", "photos", "--key=a=b c.jpg", "--count", "2")
        #expect(result.exitCode == 0)
        #expect(result.errorOutput.isEmpty)
        #expect(result.output.hasSuffix("}\n"))
        let json = try #require(EventJSON.parse(result.output))
        #expect(json["Records"]?.arrayValue?.count == 2)
        #expect(json.at("Records.1.s3.bucket.name")?.stringValue == "photos")
        #expect(json.at("Records.1.s3.object.key")?.stringValue == "a%3Db%20c.jpg")
        #expect(
            result.output
                == (try SampleEventCatalog.standard.render(
                    service: "s3",
                    event: "put",
                    options: ["bucket": "photos", "key": "a=b c.jpg", "count": "2"]
                )) + "\n"
        )
    }

    @Test func eventBridgeDetailOnTheCommandLine() throws {
        let result = run("eventbridge", "custom-event", "--source", "my.app", "--detail", #"{"id": 7}"#)
        #expect(result.exitCode == 0)
        let json = try #require(EventJSON.parse(result.output))
        #expect(json.at("detail.id") == 7)
    }

    @Test(arguments: [
        (["s3x"], "unknown service 's3x'; did you mean 's3'?"),
        (["dynamo"], "unknown service 'dynamo'; did you mean 'dynamodb'?"),
        (["apigatway", "aws-proxy"], "unknown service 'apigatway'; did you mean 'apigateway'?"),
        (["s3", "pt"], "unknown event 'pt' for service 's3'; did you mean 'put'?"),
        (["sqs", "receive"], "unknown event 'receive' for service 'sqs'; did you mean 'receive-message'?"),
        (["s3", "put", "--buckt", "x"], "unknown option '--buckt' for event 's3 put'; did you mean '--bucket'?"),
        (["s3", "put", "--regin=x"], "unknown option '--regin' for event 's3 put'; did you mean '--region'?"),
        (["s3", "put", "--bucket"], "option '--bucket' needs a value"),
        (["s3", "put", "extra"], "unexpected argument 'extra'"),
        (["s3", "put", "--bucket", "b", "extra"], "unexpected argument 'extra'"),
        (["s3", "--bogus"], "unexpected argument '--bogus'"),
        (["--bogus"], "unexpected argument '--bogus'"),
        (
            ["sqs", "receive-message", "--count", "0"],
            "invalid value '0' for '--count': expected a whole number from 1 to 10000"
        ),
    ])
    func usageErrorsNameTheProblemAndExitWithTwo(arguments: [String], message: String) {
        let result = SampleEventCommandLine.run(arguments: arguments)
        #expect(result.exitCode == 2)
        #expect(result.output.isEmpty)
        #expect(result.errorOutput.hasPrefix("Error: \(message)\n"), "\(result.errorOutput)")
    }

    @Test func unknownNamesPointAtTheRightHelp() {
        #expect(run("s3x").errorOutput.contains("Run 'standin generate-event  --help'") == false)
        #expect(run("s3x").errorOutput.contains("Run 'standin generate-event --help'"))
        #expect(run("s3", "pt").errorOutput.contains("Run 'standin generate-event s3 --help'"))
        #expect(run("s3", "put", "--buckt", "x").errorOutput.contains("Run 'standin generate-event s3 put --help'"))
    }
}

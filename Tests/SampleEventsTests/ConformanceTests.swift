import Foundation
import TestSupport
import Testing

@testable import SampleEvents

/// Our events against the aws-lambda-go test events (shared/conformance/events/aws-lambda-go): every key of the
/// fixture must be in ours, recursively, with the same kind of value, unless allow-listed with a reason.
struct ConformanceTests {
    struct Case: Sendable, CustomStringConvertible {
        var fixture: String
        var service: String
        var event: String
        var options: [String: String] = [:]
        /// Paths whose object keys are data (headers, slots, item attributes): only the kind is compared.
        var freeForm: Set<String> = []
        /// Fixture paths we may lack, each with the reason.
        var optional: [String: String] = [:]
        var description: String { "\(fixture) vs \(service) \(event)" }
    }

    static let proxyFreeForm: Set<String> = [
        "headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters", "pathParameters",
        "stageVariables",
    ]
    static let s3Optional = [
        "Records[].s3.object.size": "not sent for ObjectRemoved events",
        "Records[].s3.object.eTag": "not sent for ObjectRemoved events",
        "Records[].s3.object.versionId": "only for versioned buckets",
    ]
    static let firehoseOptional = [
        "sourceKinesisStreamArn": "only when a Kinesis stream is the delivery stream's source",
        "records[].kinesisRecordMetadata": "only when a Kinesis stream is the delivery stream's source",
    ]
    static let lexFreeForm: Set<String> = [
        "currentIntent.slots", "currentIntent.slotDetails", "sessionAttributes", "requestAttributes",
    ]

    static let cases: [Case] = [
        Case(
            fixture: "apigw-request.json",
            service: "apigateway",
            event: "aws-proxy",
            freeForm: proxyFreeForm.union(["requestContext.authorizer"]),
            optional: [
                "requestContext.authorizer": "only with a Lambda or Cognito authorizer",
                "requestContext.identity.clientCert": "only with mutual TLS",
            ]
        ),
        Case(
            fixture: "apigw-v2-request-no-authorizer.json",
            service: "apigateway",
            event: "http-api-proxy",
            freeForm: ["headers"]
        ),
        Case(
            fixture: "apigw-v2-request-jwt-authorizer.json",
            service: "apigateway",
            event: "http-api-proxy",
            freeForm: proxyFreeForm.union(["requestContext.authorizer.jwt.claims"])
        ),
        Case(fixture: "apigw-custom-auth-request.json", service: "apigateway", event: "authorizer"),
        Case(
            fixture: "apigw-custom-auth-request-type-request.json",
            service: "apigateway",
            event: "request-authorizer",
            freeForm: proxyFreeForm
        ),
        Case(
            fixture: "alb-lambda-target-request-headers-only.json",
            service: "alb",
            event: "request",
            freeForm: ["headers", "queryStringParameters"]
        ),
        Case(
            fixture: "lambda-urls-request.json",
            service: "lambda",
            event: "function-url",
            options: ["auth-type": "AWS_IAM"],
            freeForm: ["headers", "queryStringParameters"]
        ),
        Case(fixture: "s3-event.json", service: "s3", event: "put"),
        Case(fixture: "s3-event.json", service: "s3", event: "delete", optional: s3Optional),
        Case(fixture: "s3-event.json", service: "rekognition", event: "s3-request"),
        Case(fixture: "s3-batch-job-event-request-1.0.json", service: "s3", event: "batch-invocation"),
        Case(
            fixture: "sqs-event.json",
            service: "sqs",
            event: "receive-message",
            freeForm: ["Records[].messageAttributes"],
            optional: ["Records[].md5OfMessageAttributes": "only when the message has attributes"]
        ),
        Case(
            fixture: "sns-event.json",
            service: "sns",
            event: "notification",
            freeForm: ["Records[].Sns.MessageAttributes"]
        ),
        Case(
            fixture: "dynamodb-event.json",
            service: "dynamodb",
            event: "update",
            freeForm: ["Records[].dynamodb.Keys", "Records[].dynamodb.NewImage", "Records[].dynamodb.OldImage"],
            optional: ["Records[].userIdentity": "only for deletes made by Time to Live"]
        ),
        Case(fixture: "kinesis-event.json", service: "kinesis", event: "get-records"),
        Case(fixture: "kinesis-firehose-event.json", service: "kinesis", event: "streams-as-source"),
        Case(
            fixture: "kinesis-firehose-event.json",
            service: "kinesis",
            event: "kinesis-firehose",
            optional: firehoseOptional
        ),
        Case(fixture: "kinesis-firehose-event.json", service: "kinesis", event: "syslog", optional: firehoseOptional),
        Case(
            fixture: "kinesis-firehose-event.json",
            service: "kinesis",
            event: "cloudwatch-logs-processor",
            optional: firehoseOptional
        ),
        Case(fixture: "cloudwatch-logs-event.json", service: "cloudwatch", event: "logs"),
        Case(
            fixture: "ecr-image-push-event.json",
            service: "cloudwatch",
            event: "scheduled-event",
            freeForm: ["detail"]
        ),
        Case(
            fixture: "ecr-image-push-event.json",
            service: "eventbridge",
            event: "custom-event",
            freeForm: ["detail"]
        ),
        Case(fixture: "code-commit-event.json", service: "codecommit", event: "repository"),
        Case(
            fixture: "codepipeline-job-event.json",
            service: "codepipeline",
            event: "job",
            freeForm: ["CodePipeline.job.data.actionConfiguration.configuration"]
        ),
        Case(fixture: "config-event.json", service: "config", event: "periodic-rule"),
        Case(fixture: "config-event.json", service: "config", event: "item-change-notification"),
        Case(fixture: "config-event.json", service: "config", event: "oversized-item-change-notification"),
        Case(
            fixture: "connect-event.json",
            service: "connect",
            event: "contact-flow-event",
            freeForm: ["Details.Parameters", "Details.ContactData.Attributes"]
        ),
        Case(fixture: "cognito-event.json", service: "cognito", event: "sync-trigger", freeForm: ["datasetRecords"]),
        Case(fixture: "ses-lambda-event.json", service: "ses", event: "email-receiving"),
        Case(fixture: "lex-event.json", service: "lex", event: "book-car", freeForm: lexFreeForm),
        Case(fixture: "lex-event.json", service: "lex", event: "book-hotel", freeForm: lexFreeForm),
        Case(fixture: "lex-event.json", service: "lex", event: "make-appointment", freeForm: lexFreeForm),
        Case(fixture: "lex-event.json", service: "lex", event: "order-flowers", freeForm: lexFreeForm),
    ]

    @Test(arguments: cases)
    func matchesFixtureShape(_ testCase: Case) throws {
        guard let conformance = try TestPaths.requireConformance() else { return }
        let url = conformance.appendingPathComponent("events/aws-lambda-go/\(testCase.fixture)")
        let fixtureText = try String(contentsOf: url, encoding: .utf8)
        let fixture = try #require(EventJSON.parse(fixtureText), "fixture \(testCase.fixture) parses")
        let ours = try renderParsed(testCase.service, testCase.event, testCase.options)
        var problems: [String] = []
        compare(fixture: fixture, ours: ours, path: "", testCase: testCase, problems: &problems)
        #expect(problems.isEmpty, "\(testCase): \(problems.joined(separator: "; "))")
        for path in testCase.optional.keys {
            #expect(has(fixture, path: path[...]), "allow-listed \(path) is not in \(testCase.fixture)")
        }
    }

    @Test func comparisonCatchesMissingKeysAndWrongKinds() {
        let testCase = Case(fixture: "-", service: "-", event: "-")
        var problems: [String] = []
        let fixture: EventJSON = ["a": ["b": 1, "c": "x"], "d": [["e": true]]]
        let ours: EventJSON = ["a": ["b": "1"], "d": [["f": true]]]
        compare(fixture: fixture, ours: ours, path: "", testCase: testCase, problems: &problems)
        #expect(problems.sorted() == ["a.b: number in the fixture, string in ours", "a.c: missing", "d[].e: missing"])
    }

    /// Whether `value` has `path` (dotted, `[]` for any array element).
    private func has(_ value: EventJSON, path: Substring) -> Bool {
        guard !path.isEmpty else { return true }
        let head = path.prefix { $0 != "." && $0 != "[" }
        var rest = path.dropFirst(head.count)
        guard let child = value[String(head)] else { return false }
        if rest.hasPrefix("[]") {
            rest = rest.dropFirst(2)
            if rest.hasPrefix(".") { rest = rest.dropFirst() }
            return child.arrayValue?.contains { has($0, path: rest) } ?? false
        }
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        return has(child, path: rest)
    }

    private func kind(_ value: EventJSON) -> String {
        switch value {
        case .null: "null"
        case .bool: "bool"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    private func compare(fixture: EventJSON, ours: EventJSON, path: String, testCase: Case, problems: inout [String]) {
        if fixture == .null || ours == .null { return }  // documented as nullable
        guard kind(fixture) == kind(ours) else {
            problems.append("\(path): \(kind(fixture)) in the fixture, \(kind(ours)) in ours")
            return
        }
        if testCase.freeForm.contains(path) { return }
        switch (fixture, ours) {
        case (.object(let fixtureMembers), .object):
            for (key, value) in fixtureMembers {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                guard let ourValue = ours[key] else {
                    if testCase.optional[childPath] == nil { problems.append("\(childPath): missing") }
                    continue
                }
                compare(fixture: value, ours: ourValue, path: childPath, testCase: testCase, problems: &problems)
            }
        case (.array(let fixtureItems), .array(let ourItems)):
            guard let first = ourItems.first else {
                if !fixtureItems.isEmpty { problems.append("\(path): empty in ours") }
                return
            }
            for item in fixtureItems {
                compare(fixture: item, ours: first, path: "\(path)[]", testCase: testCase, problems: &problems)
            }
        default:
            return
        }
    }
}

import Foundation
import Testing

@testable import SampleEvents

/// The catalogue as a whole: SAM's services and events, ours, and that every entry renders as documented.
struct CatalogTests {
    /// `sam local generate-event`'s catalogue (samcli/lib/generated_sample_events/event-mapping.json).
    static let samCatalogue: [String: [String]] = [
        "alexa-skills-kit": [
            "end-session", "intent-answer", "intent-getnewfact", "intent-mycoloris", "intent-recipe", "start-session",
        ],
        "alexa-smart-home": [
            "smart-home-control-turn-off-request", "smart-home-control-turn-on-request", "smart-home-discovery-request",
        ],
        "alb": ["request"],
        "apigateway": ["authorizer", "aws-proxy", "http-api-proxy", "request-authorizer"],
        "appsync": ["resolver"],
        "batch": ["get-job", "submit-job"],
        "cloudformation": ["create-request"],
        "cloudfront": [
            "ab-test", "access-request-in-response", "http-redirect", "modify-querystring", "modify-response-header",
            "multiple-remote-calls-aggregate-response", "normalize-querystring-to-improve-cache-hit",
            "redirect-on-viewer-country", "redirect-unauthenticated-users", "response-generation",
            "serve-object-on-viewer-device", "simple-remote-call",
        ],
        "codecommit": ["repository"],
        "codepipeline": ["job"],
        "cognito": ["sync-trigger"],
        "config": ["item-change-notification", "oversized-item-change-notification", "periodic-rule"],
        "connect": ["contact-flow-event"],
        "dynamodb": ["update"],
        "cloudwatch": ["logs", "scheduled-event"],
        "kinesis": [
            "analytics", "analytics-compressed", "analytics-dynamodb", "analytics-kpl", "apachelog",
            "cloudwatch-logs-processor", "get-records", "kinesis-firehose", "streams-as-source", "syslog",
        ],
        "lex": ["book-car", "book-hotel", "make-appointment", "order-flowers"],
        "lex-v2": ["banking-bot", "book-car", "book-hotel"],
        "rekognition": ["s3-request"],
        "s3": ["batch-invocation", "delete", "put"],
        "sagemaker": ["ground-truth-annotation-consolidation", "ground-truth-pre-human"],
        "ses": ["email-receiving"],
        "sns": ["notification"],
        "sqs": ["receive-message"],
        "stepfunctions": ["error"],
        "workmail": ["email"],
    ]

    /// Events standin adds to SAM's catalogue.
    static let ourAdditions: [String: [String]] = ["eventbridge": ["custom-event"], "lambda": ["function-url"]]

    /// SAM's option names and defaults for the events whose options we mirror.
    static let samOptionDefaults: [(String, String, [String: String])] = [
        (
            "apigateway", "aws-proxy",
            [
                "body": #"{"test":"body"}"#, "stage": "prod", "method": "POST", "resource": "/{proxy+}",
                "path": "path/to/resource", "account-id": "123456789012", "dns-suffix": "us-east-1.amazonaws.com",
            ]
        ),
        ("apigateway", "http-api-proxy", ["stage": "$default", "method": "POST", "path": "path/to/resource"]),
        (
            "apigateway", "authorizer",
            ["stage": "prod", "method": "POST", "resource": "{proxy+}", "restApiId": "example"]
        ),
        (
            "apigateway", "request-authorizer",
            [
                "stage": "test", "method": "GET", "resource": "request", "restApiId": "abcdef123",
            ]
        ),
        ("alb", "request", ["dns-suffix": "us-east-2.elb.amazonaws.com", "method": "POST"]),
        ("s3", "put", ["bucket": "example-bucket", "key": "test/key", "region": "us-east-1", "partition": "aws"]),
        ("s3", "batch-invocation", ["bucket-arn": "arn:aws:s3:::examplebucket", "key": "test/key"]),
        ("sqs", "receive-message", ["queue-name": "MyQueue", "body": "Hello from SQS!"]),
        ("sns", "notification", ["topic": "ExampleTopic", "subject": "example subject", "message": "example message"]),
        (
            "kinesis", "get-records",
            [
                "data": "Hello, this is a test 123.", "partition-key": "partitionKey-03",
                "sequence": "49545115243490985018280067714973144582180062593244200961",
            ]
        ),
        ("dynamodb", "update", ["table": "ExampleTableWithStream"]),
        ("cloudwatch", "scheduled-event", ["rule": "ExampleRule"]),
        (
            "codecommit", "repository",
            ["repository": "my-repo", "trigger": "my-trigger", "custom-data": "this is custom data"]
        ),
        (
            "connect", "contact-flow-event",
            ["contact-id": "5ca32fbd-8f92-46af-92a5-6b0f970f0efe", "phone-number": "+11234567890"]
        ),
        ("stepfunctions", "error", ["error": "ErrorName", "cause": "This is the cause of the error."]),
        (
            "workmail", "email",
            ["flow-direction": "INBOUND", "mail-from": "from@example.com", "sender": "sender@example.com"]
        ),
    ]

    @Test func catalogueHoldsSAMsServicesAndEventsPlusOurs() {
        let catalog = SampleEventCatalog.standard
        var actual: [String: [String]] = [:]
        for service in catalog.services { actual[service.name] = service.events.map(\.name).sorted() }
        let expected = Self.samCatalogue.merging(Self.ourAdditions) { $0 + $1 }.mapValues { $0.sorted() }
        #expect(actual == expected)
        #expect(Self.samCatalogue.count == 26)
        #expect(Self.samCatalogue.values.map(\.count).reduce(0, +) == 68)
        #expect(catalog.services.count == 26 + 2)
        #expect(catalog.services.map(\.events.count).reduce(0, +) == 68 + 2)
        #expect(catalog.services.map(\.name) == catalog.services.map(\.name).sorted())
    }

    @Test(arguments: samOptionDefaults)
    func optionNamesAndDefaultsMatchSAM(service: String, event: String, defaults: [String: String]) throws {
        let sampleEvent = try SampleEventCatalog.standard.lookUp(service: service, event: event)
        for (name, value) in defaults {
            #expect(sampleEvent.option(named: name)?.default == value, "\(service) \(event) --\(name)")
        }
    }

    static var allEvents: [(String, String)] {
        SampleEventCatalog.standard.services.flatMap { service in service.events.map { (service.name, $0.name) } }
    }

    @Test(arguments: allEvents)
    func everyEventRendersValidReproduciblePrettyJSON(service: String, event: String) throws {
        let catalog = SampleEventCatalog.standard
        let text = try catalog.render(service: service, event: event)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        #expect(object is [String: Any], "top level is an object")
        #expect(try catalog.render(service: service, event: event) == text, "same output twice")
        #expect(text.hasPrefix("{\n  \""), "2-space indent")
        #expect(!text.contains("\t"))
        let sampleEvent = try catalog.lookUp(service: service, event: event)
        #expect(Set(sampleEvent.options.map(\.name)).count == sampleEvent.options.count, "option names unique")
        #expect(!sampleEvent.summary.isEmpty)
    }

    /// The documented top-level keys of each event, in documented order.
    static let topLevelKeys: [String: [String]] = {
        let records = ["Records"]
        let alexa = ["version", "session", "context", "request"]
        let eventBridge = [
            "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail",
        ]
        let config = [
            "invokingEvent", "ruleParameters", "resultToken", "eventLeftScope", "executionRoleArn", "configRuleArn",
            "configRuleName", "configRuleId", "accountId", "version",
        ]
        let analytics = ["invocationId", "applicationArn", "streamArn", "records"]
        let firehose = ["invocationId", "deliveryStreamArn", "region", "records"]
        let lex = [
            "currentIntent", "bot", "userId", "inputTranscript", "invocationSource", "outputDialogMode",
            "messageVersion", "sessionAttributes", "requestAttributes",
        ]
        let lexV2 = [
            "messageVersion", "invocationSource", "inputMode", "responseContentType", "sessionId", "inputTranscript",
            "bot", "interpretations", "proposedNextState", "requestAttributes", "sessionState", "transcriptions",
        ]
        var table: [String: [String]] = [
            "alb request": [
                "requestContext", "httpMethod", "path", "queryStringParameters", "headers", "body", "isBase64Encoded",
            ],
            "apigateway authorizer": ["type", "authorizationToken", "methodArn"],
            "apigateway request-authorizer": [
                "type", "methodArn", "resource", "path", "httpMethod", "headers", "multiValueHeaders",
                "queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables",
                "requestContext",
            ],
            "apigateway aws-proxy": [
                "body", "resource", "path", "httpMethod", "isBase64Encoded", "queryStringParameters",
                "multiValueQueryStringParameters", "pathParameters", "stageVariables", "headers", "multiValueHeaders",
                "requestContext",
            ],
            "apigateway http-api-proxy": [
                "version", "routeKey", "rawPath", "rawQueryString", "cookies", "headers", "queryStringParameters",
                "requestContext", "body", "pathParameters", "isBase64Encoded", "stageVariables",
            ],
            "appsync resolver": ["arguments", "identity", "source", "request", "prev", "info", "stash"],
            "batch get-job": ["jobId", "jobName", "jobQueue", "jobDefinition"],
            "batch submit-job": ["jobId", "jobName"],
            "cloudformation create-request": [
                "RequestType", "ServiceToken", "ResponseURL", "StackId", "RequestId", "LogicalResourceId",
                "ResourceType", "ResourceProperties",
            ],
            "cloudwatch logs": ["awslogs"],
            "cloudwatch scheduled-event": eventBridge,
            "codecommit repository": records,
            "codepipeline job": ["CodePipeline.job"],
            "cognito sync-trigger": [
                "version", "eventType", "region", "identityPoolId", "identityId", "datasetName", "datasetRecords",
            ],
            "connect contact-flow-event": ["Details", "Name"],
            "dynamodb update": records,
            "eventbridge custom-event": eventBridge,
            "kinesis get-records": records,
            "kinesis streams-as-source": [
                "invocationId", "sourceKinesisStreamArn", "deliveryStreamArn", "region", "records",
            ],
            "lambda function-url": [
                "version", "routeKey", "rawPath", "rawQueryString", "cookies", "headers", "queryStringParameters",
                "requestContext", "body", "isBase64Encoded",
            ],
            "rekognition s3-request": records,
            "s3 batch-invocation": ["invocationSchemaVersion", "invocationId", "job", "tasks"],
            "s3 delete": records,
            "s3 put": records,
            "sagemaker ground-truth-pre-human": ["version", "labelingJobArn", "dataObject"],
            "sagemaker ground-truth-annotation-consolidation": [
                "version", "labelingJobArn", "labelCategories", "labelAttributeName", "roleArn", "payload",
            ],
            "ses email-receiving": records,
            "sns notification": records,
            "sqs receive-message": records,
            "stepfunctions error": ["Error", "Cause"],
            "workmail email": [
                "summaryVersion", "envelope", "sender", "subject", "messageId", "invocationId", "flowDirection",
                "truncated",
            ],
        ]
        for event in samCatalogue["alexa-skills-kit"] ?? [] { table["alexa-skills-kit \(event)"] = alexa }
        for event in samCatalogue["alexa-smart-home"] ?? [] {
            table["alexa-smart-home \(event)"] = ["header", "payload"]
        }
        for event in samCatalogue["cloudfront"] ?? [] { table["cloudfront \(event)"] = records }
        for event in samCatalogue["config"] ?? [] { table["config \(event)"] = config }
        for event in ["analytics", "analytics-compressed", "analytics-dynamodb", "analytics-kpl"] {
            table["kinesis \(event)"] = analytics
        }
        for event in ["apachelog", "cloudwatch-logs-processor", "kinesis-firehose", "syslog"] {
            table["kinesis \(event)"] = firehose
        }
        for event in samCatalogue["lex"] ?? [] { table["lex \(event)"] = lex }
        for event in samCatalogue["lex-v2"] ?? [] { table["lex-v2 \(event)"] = lexV2 }
        return table
    }()

    @Test(arguments: allEvents)
    func everyEventHasItsDocumentedTopLevelShape(service: String, event: String) throws {
        let expected = try #require(Self.topLevelKeys["\(service) \(event)"], "no shape listed for \(service) \(event)")
        let json = try renderParsed(service, event)
        #expect(json.keys == expected)
        if expected == ["Records"] {
            let records = try #require(json["Records"]?.arrayValue)
            #expect(!records.isEmpty)
        }
    }

    /// Every option reaches the event: a distinctive value (encoded as declared) shows up in the output.
    @Test(arguments: allEvents)
    func everyOptionIsUsed(service: String, event: String) throws {
        let sampleEvent = try SampleEventCatalog.standard.lookUp(service: service, event: event)
        let hidden: Set<String> = [
            "cloudwatch logs --account-id", "cloudwatch logs --log-group", "cloudwatch logs --log-stream",
            "cloudwatch logs --message", "cloudwatch logs --count",  // inside the gzipped data: checked in OptionTests
        ]
        for option in sampleEvent.options where !hidden.contains("\(service) \(event) --\(option.name)") {
            let value: String
            let expectedText: String
            switch option.name {
            case "count":
                value = "4"
                expectedText = ""
            case "detail":
                value = #"{"sentinel":"zq9x"}"#
                expectedText = "zq9x"
            case "auth-type":
                value = "AWS_IAM"
                expectedText = "authorizer"
            default:
                value = "zq9x\(option.name)"
                switch option.encoding {
                case .none, .url: expectedText = value
                case .base64: expectedText = Data(value.utf8).base64EncodedString()
                }
            }
            var options = service == "lambda" && option.name != "auth-type" ? ["auth-type": "AWS_IAM"] : [:]
            options[option.name] = value
            let text = try SampleEventCatalog.standard.render(service: service, event: event, options: options)
            if option.name == "count" {
                let json = try #require(EventJSON.parse(text))
                let records = json["Records"]?.arrayValue
                #expect(records?.count == 4, "\(service) \(event) --count 4")
            } else {
                #expect(text.contains(expectedText), "\(service) \(event) --\(option.name) is not used")
            }
        }
    }
}

import Foundation
import TestSupport
import Testing

@testable import SampleEvents

/// Option handling: substitution, encodings (base64, URL, MD5, gzip), `--count` batches and bad values.
struct OptionTests {
    @Test func s3PutTakesBucketRegionAndURLEncodedKey() throws {
        let json = try renderParsed(
            "s3",
            "put",
            ["bucket": "photos", "key": "my photos/cat 1+2.jpg", "region": "eu-west-1"]
        )
        #expect(json.at("Records.0.s3.bucket.name")?.stringValue == "photos")
        #expect(json.at("Records.0.s3.bucket.arn")?.stringValue == "arn:aws:s3:::photos")
        #expect(json.at("Records.0.s3.object.key")?.stringValue == "my%20photos/cat%201%2B2.jpg")
        #expect(json.at("Records.0.awsRegion")?.stringValue == "eu-west-1")
        #expect(json.at("Records.0.eventName")?.stringValue == "ObjectCreated:Put")
        let delete = try renderParsed("s3", "delete", ["bucket": "photos"])
        #expect(delete.at("Records.0.eventName")?.stringValue == "ObjectRemoved:Delete")
        #expect(delete.at("Records.0.s3.object.size") == nil)
    }

    @Test(arguments: [
        ("s3", "put", "Records.*.responseElements.x-amz-request-id"),
        ("s3", "delete", "Records.*.s3.object.sequencer"),
        ("sqs", "receive-message", "Records.*.messageId"),
        ("sqs", "receive-message", "Records.*.receiptHandle"),
        ("dynamodb", "update", "Records.*.eventID"),
        ("dynamodb", "update", "Records.*.dynamodb.SequenceNumber"),
        ("kinesis", "get-records", "Records.*.eventID"),
    ])
    func countGivesThatManyRecordsWithDistinctIDs(service: String, event: String, idPath: String) throws {
        let json = try renderParsed(service, event, ["count": "3"])
        let records = try #require(json["Records"]?.arrayValue)
        #expect(records.count == 3)
        let field = String(idPath.dropFirst("Records.*.".count))
        let ids = records.compactMap { $0.at(field)?.stringValue }
        #expect(ids.count == 3)
        #expect(Set(ids).count == 3, "\(ids)")
    }

    @Test func countDefaultsMatchSAMsTemplates() throws {
        #expect(try renderParsed("sqs", "receive-message")["Records"]?.arrayValue?.count == 1)
        #expect(try renderParsed("s3", "put")["Records"]?.arrayValue?.count == 1)
        let dynamo = try #require(try renderParsed("dynamodb", "update")["Records"]?.arrayValue)
        #expect(dynamo.map { $0["eventName"]?.stringValue } == ["INSERT", "MODIFY", "REMOVE"])
        #expect(try renderParsed("dynamodb", "update", ["count": "1"])["Records"]?.arrayValue?.count == 1)
    }

    @Test(arguments: ["0", "-1", "abc", "10001", ""])
    func badCountIsRejected(value: String) {
        #expect(
            throws: SampleEventError.invalidValue(
                option: "count",
                value: value,
                reason: "expected a whole number from 1 to 10000"
            )
        ) {
            try SampleEventCatalog.standard.render(service: "sqs", event: "receive-message", options: ["count": value])
        }
    }

    @Test func kinesisDataIsBase64Encoded() throws {
        let json = try renderParsed("kinesis", "get-records", ["data": "héllo {\"a\":1}", "partition-key": "pk-1"])
        let data = try #require(json.at("Records.0.kinesis.data")?.stringValue)
        #expect(Data(base64Encoded: data).map { String(decoding: $0, as: UTF8.self) } == "héllo {\"a\":1}")
        #expect(json.at("Records.0.kinesis.partitionKey")?.stringValue == "pk-1")
        let defaults = try renderParsed("kinesis", "get-records")
        #expect(defaults.at("Records.0.kinesis.data")?.stringValue == "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0IDEyMy4=")
    }

    @Test func firehoseDataIsPassedThroughAsSAMDoes() throws {
        let json = try renderParsed("kinesis", "kinesis-firehose", ["data": "YWJj"])
        #expect(json.at("records.0.data")?.stringValue == "YWJj")
    }

    @Test func apiGatewayBodyIsBase64EncodedAsSAMDoes() throws {
        let body = "{\"name\": \"Zoë\",\n \"q\": \"a\\\\b\"}"
        for (service, event) in [("apigateway", "aws-proxy"), ("apigateway", "http-api-proxy"), ("alb", "request")] {
            let text = try SampleEventCatalog.standard.render(service: service, event: event, options: ["body": body])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let encoded = try #require(object["body"] as? String)
            #expect(Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } == body)
            #expect(object["isBase64Encoded"] as? Bool == true)
        }
    }

    @Test func apiGatewayProxyTakesMethodPathStageAndResource() throws {
        let json = try renderParsed(
            "apigateway",
            "aws-proxy",
            ["method": "GET", "path": "users/42", "stage": "dev", "account-id": "111122223333"]
        )
        #expect(json["httpMethod"]?.stringValue == "GET")
        #expect(json["path"]?.stringValue == "/users/42")
        #expect(json.at("requestContext.path")?.stringValue == "/dev/users/42")
        #expect(json.at("requestContext.accountId")?.stringValue == "111122223333")
        let authorizer = try renderParsed("apigateway", "authorizer", ["restApiId": "abc123", "region": "eu-west-2"])
        #expect(
            authorizer["methodArn"]?.stringValue
                == "arn:aws:execute-api:eu-west-2:123456789012:abc123/prod/POST/{proxy+}"
        )
    }

    @Test func plainStringValuesAreJSONEscaped() throws {
        let message = "line 1\nline \"2\"\t\\ end \u{01}"
        let text = try SampleEventCatalog.standard.render(
            service: "sns",
            event: "notification",
            options: ["message": message]
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let records = try #require(object["Records"] as? [[String: Any]])
        #expect((records.first?["Sns"] as? [String: Any])?["Message"] as? String == message)
    }

    @Test func sqsMD5OfBodyIsTheMD5OfTheBody() throws {
        // Values computed with Python's hashlib.
        let defaults = try renderParsed("sqs", "receive-message")
        #expect(defaults.at("Records.0.body")?.stringValue == "Hello from SQS!")
        #expect(defaults.at("Records.0.md5OfBody")?.stringValue == "7b270e59b47ff90a553787216d55d91d")
        let body = "{\"order\": 1, \"note\": \"café\"}"
        let json = try renderParsed(
            "sqs",
            "receive-message",
            ["body": body, "queue-name": "orders", "count": "2", "region": "us-west-2"]
        )
        for index in 0..<2 {
            #expect(json.at("Records.\(index).body")?.stringValue == body)
            #expect(json.at("Records.\(index).md5OfBody")?.stringValue == "4827f68852fafcfee17264d67e66ca0a")
        }
        #expect(json.at("Records.0.eventSourceARN")?.stringValue == "arn:aws:sqs:us-west-2:123456789012:orders")
    }

    /// Decompresses base64 gzip with Python's gzip module (an independent reader).
    private func gunzip(_ base64: String) throws -> String? {
        guard let python = try TestPaths.requireVenvTool("python") else { return nil }
        let result = try runProcess(
            python.path,
            [
                "-c",
                "import sys, gzip, base64; "
                    + "sys.stdout.buffer.write(gzip.decompress(base64.b64decode(sys.stdin.read())))",
            ],
            stdin: Data(base64.utf8),
            timeout: 60
        )
        #expect(result.status == 0, "\(result.stderrText)")
        return result.stdoutText
    }

    @Test func cloudWatchLogsDataIsBase64GzipOfTheSubscriptionMessage() throws {
        let json = try renderParsed(
            "cloudwatch",
            "logs",
            [
                "log-group": "/aws/lambda/orders", "log-stream": "2024/01/01/[$LATEST]abc", "message": "[INFO] \"hi\"",
                "count": "3", "account-id": "111122223333",
            ]
        )
        let data = try #require(json.at("awslogs.data")?.stringValue)
        guard let text = try gunzip(data) else { return }
        let message = try #require(EventJSON.parse(text))
        #expect(message.keys == ["messageType", "owner", "logGroup", "logStream", "subscriptionFilters", "logEvents"])
        #expect(message["messageType"]?.stringValue == "DATA_MESSAGE")
        #expect(message["owner"]?.stringValue == "111122223333")
        #expect(message["logGroup"]?.stringValue == "/aws/lambda/orders")
        #expect(message["logStream"]?.stringValue == "2024/01/01/[$LATEST]abc")
        let events = try #require(message["logEvents"]?.arrayValue)
        #expect(events.count == 3)
        #expect(Set(events.compactMap { $0["id"]?.stringValue }).count == 3)
        #expect(
            events.allSatisfy {
                $0["message"]?.stringValue == "[INFO] \"hi\"" && $0.keys == ["id", "timestamp", "message"]
            }
        )
        let processor = try renderParsed("kinesis", "cloudwatch-logs-processor", ["account-id": "111122223333"])
        let inner = try #require(processor.at("records.0.data")?.stringValue)
        #expect(try gunzip(inner).flatMap(EventJSON.parse)?["owner"]?.stringValue == "111122223333")
    }

    @Test func gzipWritesMultipleStoredBlocksForLargeInput() throws {
        let text = String(repeating: "0123456789abcdef", count: 9000)  // 144,000 bytes: three blocks
        let base64 = PayloadEncoding.base64(PayloadEncoding.gzip(Array(text.utf8)))
        guard let decoded = try gunzip(base64) else { return }
        #expect(decoded == text)
        #expect(try gunzip(PayloadEncoding.base64(PayloadEncoding.gzip([]))) == "")
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(PayloadEncoding.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test(arguments: [
        ("test/key", "test/key"), ("a b", "a%20b"), ("ü+&=?#", "%C3%BC%2B%26%3D%3F%23"),
        ("A-Z_a.z~0/9", "A-Z_a.z~0/9"),
    ])
    func urlEncodingMatchesPythonQuote(input: String, expected: String) {
        #expect(PayloadEncoding.url(input) == expected)
    }

    @Test func eventBridgeCustomEventTakesSourceDetailTypeAndDetailInOrder() throws {
        let json = try renderParsed(
            "eventbridge",
            "custom-event",
            [
                "source": "my.app", "detail-type": "User Signed Up",
                "detail": #"{"z":1,"a":[true,null,2.5],"m":{"é":"\u00e9"}}"#,
            ]
        )
        #expect(json["source"]?.stringValue == "my.app")
        #expect(json["detail-type"]?.stringValue == "User Signed Up")
        #expect(json["detail"]?.keys == ["z", "a", "m"])
        #expect(json.at("detail.a") == [true, .null, 2.5])
        #expect(json.at("detail.m.é")?.stringValue == "é")
        #expect(throws: SampleEventError.self) {
            try SampleEventCatalog.standard.render(
                service: "eventbridge",
                event: "custom-event",
                options: ["detail": "{not json"]
            )
        }
    }

    @Test func functionURLAuthTypeControlsTheAuthorizer() throws {
        let open = try renderParsed("lambda", "function-url", ["query": "a=1&a=2&b=", "method": "GET"])
        #expect(open.at("requestContext.authorizer") == nil)
        #expect(open.at("requestContext.accountId")?.stringValue == "anonymous")
        #expect(open["queryStringParameters"] == ["a": "1,2", "b": ""])
        #expect(open.at("requestContext.http.method")?.stringValue == "GET")
        #expect(open["isBase64Encoded"] == false)
        #expect(open["body"]?.stringValue == #"{"test":"body"}"#)
        let iam = try renderParsed("lambda", "function-url", ["auth-type": "AWS_IAM", "account-id": "111122223333"])
        #expect(iam.at("requestContext.authorizer.iam.accountId")?.stringValue == "111122223333")
        let noQuery = try renderParsed("lambda", "function-url", ["query": ""])
        #expect(noQuery["queryStringParameters"] == nil)
        #expect(throws: SampleEventError.self) {
            try SampleEventCatalog.standard.render(
                service: "lambda",
                event: "function-url",
                options: ["auth-type": "JWT"]
            )
        }
    }

    @Test func jsonParserHandlesEscapesAndRejectsBadInput() {
        #expect(EventJSON.parse(#""\ud83d\ude00 \u00e9 \n""#) == .string("😀 é \n"))
        #expect(EventJSON.parse("[1, -2.5e3, {}, []]") == [1, -2500.0, [:], []])
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01x", "\"\\ud83d\"", "tru", "1 2"] {
            #expect(EventJSON.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func unknownOptionIsRejectedWithTheNearestName() {
        #expect(throws: SampleEventError.unknownOption("buckt", event: "s3 put", suggestion: "bucket")) {
            try SampleEventCatalog.standard.render(service: "s3", event: "put", options: ["buckt": "x"])
        }
    }
}

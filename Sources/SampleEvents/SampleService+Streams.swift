/// Stream sources: DynamoDB Streams, Kinesis Data Streams, Data Firehose and Data Analytics.
extension SampleService {
    static let dynamoDB = SampleService("dynamodb", "Amazon DynamoDB Streams", events: [.dynamoDBUpdate])

    static let kinesis = SampleService(
        "kinesis",
        "Amazon Kinesis (Data Streams, Data Firehose, Data Analytics)",
        events: [
            .kinesisAnalytics, .kinesisAnalyticsCompressed, .kinesisAnalyticsDynamoDB, .kinesisAnalyticsKPL,
            .firehoseApacheLog, .firehoseCloudWatchLogsProcessor, .kinesisGetRecords, .kinesisFirehose,
            .firehoseStreamsAsSource, .firehoseSyslog,
        ]
    )
}

private let sequenceOption = SampleOption(
    "sequence",
    default: "49545115243490985018280067714973144582180062593244200961",
    help: "Sequence number"
)
private let partitionKeyOption = SampleOption("partition-key", default: "partitionKey-03", help: "Partition key")
private let applicationOption = SampleOption(
    "application",
    default: "example-application",
    help: "Kinesis Data Analytics application name"
)
private let streamOption = SampleOption("stream", default: "example-stream", help: "Kinesis stream name")
private let firehoseData = "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0IDEyMy4="

/// The sequence number `offset` places after `base` (decimal strings of any length).
func sequenceNumber(_ base: String, plus offset: Int) -> String {
    guard offset > 0 else { return base }
    var digits = Array(base.utf8).map { Int($0) - 48 }
    guard digits.allSatisfy({ (0...9).contains($0) }) else { return base + "-\(offset)" }
    var carry = offset
    var index = digits.count - 1
    while carry > 0 {
        if index < 0 {
            digits.insert(0, at: 0)
            index = 0
        }
        let sum = digits[index] + carry
        digits[index] = sum % 10
        carry = sum / 10
        index -= 1
    }
    return String(digits.map { Character(Unicode.Scalar(UInt8($0 + 48))) })
}

extension SampleEvent {
    static let dynamoDBUpdate = SampleEvent(
        "update",
        "DynamoDB Streams batch: records cycle INSERT, MODIFY and REMOVE",
        options: [
            .accountID, .partition, .region,
            SampleOption("table", default: "ExampleTableWithStream", help: "Table name"),
            .count(3),
        ]
    ) { v throws(SampleEventError) in
        let count = try v.count()
        let streamARN = v.arn("dynamodb", "table/\(v["table"])/stream/2015-06-27T00:48:05.899")
        let records: [EventJSON] = (0..<count).map { index in
            let id = "\(101 + index)"
            let sequence = "\(111 * (index + 1))"
            var dynamodb: [(String, EventJSON)] = [
                ("ApproximateCreationDateTime", .int(1_428_537_600 + index)),
                ("Keys", ["Id": ["N": "\(id)"]]),
            ]
            let eventName: String
            switch index % 3 {
            case 0:
                eventName = "INSERT"
                dynamodb.append(("NewImage", ["Message": ["S": "New item!"], "Id": ["N": "\(id)"]]))
            case 1:
                eventName = "MODIFY"
                dynamodb.append(("NewImage", ["Message": ["S": "This item has changed"], "Id": ["N": "\(id)"]]))
                dynamodb.append(("OldImage", ["Message": ["S": "New item!"], "Id": ["N": "\(id)"]]))
            default:
                eventName = "REMOVE"
                dynamodb.append(("OldImage", ["Message": ["S": "This item has changed"], "Id": ["N": "\(id)"]]))
            }
            dynamodb += [
                ("SequenceNumber", .string(sequence)),
                ("SizeBytes", .int(eventName == "REMOVE" ? 38 : 26 + 33 * (index % 3))),
                ("StreamViewType", "NEW_AND_OLD_IMAGES"),
            ]
            return [
                "eventID": "\(PayloadEncoding.md5Hex("\(streamARN)#\(index)"))",
                "eventName": "\(eventName)",
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": "\(v["region"])",
                "dynamodb": .object(dynamodb),
                "eventSourceARN": "\(streamARN)",
            ]
        }
        return ["Records": .array(records)]
    }

    static let kinesisGetRecords = SampleEvent(
        "get-records",
        "Kinesis Data Streams batch of records",
        options: [
            .region, .partition, .accountID, sequenceOption,
            SampleOption("data", default: "Hello, this is a test 123.", help: "Record data", encoding: .base64),
            partitionKeyOption,
            SampleOption("stream", default: "example-stream", help: "Stream name"),
            .count(),
        ]
    ) { v throws(SampleEventError) in
        let count = try v.count()
        let records: [EventJSON] = (0..<count).map { index in
            let sequence = sequenceNumber(v["sequence"], plus: index)
            return [
                "kinesis": [
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": "\(v["partition-key"])",
                    "sequenceNumber": "\(sequence)",
                    "data": "\(v["data"])",
                    "approximateArrivalTimestamp": .double(1_428_537_600.0 + Double(index) / 1000),
                ],
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": "shardId-000000000000:\(sequence)",
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": "arn:\(v["partition"]):iam::\(v["account-id"]):role/lambda-role",
                "awsRegion": "\(v["region"])",
                "eventSourceARN":
                    "arn:\(v["partition"]):kinesis:\(v["region"]):\(v["account-id"]):stream/\(v["stream"])",
            ]
        }
        return ["Records": .array(records)]
    }

    static let kinesisFirehose = SampleEvent(
        "kinesis-firehose",
        "Data Firehose transformation request",
        options: [
            .partition, .region,
            SampleOption("data", default: firehoseData, help: "Record data, already base64-encoded"),
        ]
    ) { v in
        [
            "invocationId": "invocationIdExample",
            "deliveryStreamArn": "arn:\(v["partition"]):firehose:\(v["region"]):123456789012:deliverystream/example",
            "region": "\(v["region"])",
            "records": [
                [
                    "recordId": "49546986683135544286507457936321625675700192471156785154",
                    "approximateArrivalTimestamp": 1_495_072_949_453,
                    "data": "\(v["data"])",
                ]
            ],
        ]
    }

    static let firehoseStreamsAsSource = SampleEvent(
        "streams-as-source",
        "Data Firehose transformation request with a Kinesis stream as source",
        options: [
            .partition, .region, partitionKeyOption,
            SampleOption("data", default: firehoseData, help: "Record data, already base64-encoded"),
            sequenceOption,
        ]
    ) { v in
        [
            "invocationId": "invocationIdExample",
            "sourceKinesisStreamArn": "arn:\(v["partition"]):kinesis:\(v["region"]):123456789012:stream/source-stream",
            "deliveryStreamArn": "arn:\(v["partition"]):firehose:\(v["region"]):123456789012:deliverystream/example",
            "region": "\(v["region"])",
            "records": [
                [
                    "recordId": "49546986683135544286507457936321625675700192471156785154",
                    "approximateArrivalTimestamp": 1_495_072_949_453,
                    "data": "\(v["data"])",
                    "kinesisRecordMetadata": [
                        "sequenceNumber": "\(v["sequence"])",
                        "subsequenceNumber": 0,
                        "partitionKey": "\(v["partition-key"])",
                        "shardId": "shardId-000000000000",
                        "approximateArrivalTimestamp": 1_495_072_949_453,
                    ],
                ]
            ],
        ]
    }

    static let firehoseApacheLog = SampleEvent(
        "apachelog",
        "Data Firehose transformation request carrying an Apache log line",
        options: [
            .region,
            SampleOption(
                "data",
                // SAM's log line; SAM's default ends in "==", one "=" too many for strict base64 decoders.
                default: PayloadEncoding.base64(
                    #"64.242.88.10 - - [07/Mar/2004:16:10:02 -0800] "#
                        + #""GET /mailman/listinfo/hsdivision HTTP/1.1" 200 6291"#
                ),
                help: "Record data, already base64-encoded"
            ),
        ]
    ) { v in
        firehoseRecords(region: v["region"], data: v["data"])
    }

    static let firehoseSyslog = SampleEvent(
        "syslog",
        "Data Firehose transformation request carrying a syslog line",
        options: [.region, SampleOption("data", default: firehoseData, help: "Record data, already base64-encoded")]
    ) { v in
        firehoseRecords(region: v["region"], data: v["data"])
    }

    static let firehoseCloudWatchLogsProcessor = SampleEvent(
        "cloudwatch-logs-processor",
        "Data Firehose request carrying gzipped CloudWatch Logs subscription data",
        options: [.region, .partition, .accountID]
    ) { v in
        let message = cloudWatchLogsMessage(
            owner: v["account-id"],
            logGroup: "/aws/lambda/example",
            logStream: "2015/04/09/[$LATEST]0123456789abcdef",
            message: "Hello from Lambda",
            count: 2
        )
        let data = PayloadEncoding.base64(PayloadEncoding.gzip(Array(message.compact().utf8)))
        return [
            "invocationId": "invocationIdExample",
            "deliveryStreamArn":
                "arn:\(v["partition"]):firehose:\(v["region"]):\(v["account-id"]):deliverystream/example",
            "region": "\(v["region"])",
            "records": [
                [
                    "recordId": "49546986683135544286507457936321625675700192471156785154",
                    "approximateArrivalTimestamp": 1_495_072_949_453, "data": "\(data)",
                ]
            ],
        ]
    }

    static let kinesisAnalytics = SampleEvent(
        "analytics",
        "Kinesis Data Analytics preprocessing request",
        options: analyticsOptions(
            SampleOption(
                "data",
                default: "This is a test from Kinesis Analytics",
                help: "Record data",
                encoding: .base64
            )
        )
    ) { v in
        analyticsEvent(v)
    }

    static let kinesisAnalyticsCompressed = SampleEvent(
        "analytics-compressed",
        "Kinesis Data Analytics preprocessing request with gzipped data",
        options: analyticsOptions(
            SampleOption(
                "data",
                // SAM's default: gzip of {"name":"kamal","address":"blah"} (with newlines).
                default: "H4sIAAAAAAAA/6vmUspLzE1VslLKTsxNzFHS4VJKTEkpSi0uBgol5SRmKHHVAgDd1tysJAAAAA==",
                help: "Record data, already gzipped and base64-encoded"
            )
        )
    ) { v in
        analyticsEvent(v)
    }

    static let kinesisAnalyticsDynamoDB = SampleEvent(
        "analytics-dynamodb",
        "Kinesis Data Analytics preprocessing request with a JSON row",
        options: analyticsOptions(
            SampleOption(
                "data",
                default: #"{"ROWTIME_TIMESTAMP":"2017-12-15 01:09:50.000","VEHICLEID":"5","VEHICLECOUNT":18}"#,
                help: "Record data",
                encoding: .base64
            )
        )
    ) { v in
        analyticsEvent(v)
    }

    static let kinesisAnalyticsKPL = SampleEvent(
        "analytics-kpl",
        "Kinesis Data Analytics preprocessing request with KPL-aggregated records",
        options: analyticsOptions(nil)
    ) { v in
        var event = analyticsEvent(v)
        if case .object(var members) = event {
            members[3] = (
                "records",
                [
                    analyticsRecord(
                        sequence: "49571347871967966406409637155186850213682522142927749122",
                        shard: "shardId-000000000001",
                        partitionKey: "partitionKey-01",
                        data: PayloadEncoding.base64("40,aggregated record one\n41,aggregated record two\n")
                    ),
                    analyticsRecord(
                        sequence: "49571347871967966406409637141563465152445265354688561154",
                        shard: "shardId-000000000002",
                        partitionKey: "partitionKey-02",
                        data: PayloadEncoding.base64("4,aggregated record three\n")
                    ),
                ]
            )
            event = .object(members)
        }
        return event
    }
}

private func firehoseRecords(region: String, data: String) -> EventJSON {
    [
        "invocationId": "invocationIdExample",
        "deliveryStreamArn": "arn:aws:firehose:\(region):123456789012:deliverystream/example",
        "region": "\(region)",
        "records": [
            [
                "recordId": "49546986683135544286507457936321625675700192471156785154",
                "approximateArrivalTimestamp": 1_495_072_949_453,
                "data": "\(data)",
            ]
        ],
    ]
}

private func analyticsOptions(_ data: SampleOption?) -> [SampleOption] {
    [.partition, .region, .accountID, applicationOption, streamOption] + (data.map { [$0] } ?? [])
}

private func analyticsRecord(sequence: String, shard: String, partitionKey: String, data: String) -> EventJSON {
    [
        "recordId": "\(sequence)",
        "kinesisStreamRecordMetadata": [
            "shardId": "\(shard)",
            "partitionKey": "\(partitionKey)",
            "approximateArrivalTimestamp": 1_505_169_657_117,
            "sequenceNumber": "\(sequence)",
        ],
        "data": "\(data)",
    ]
}

private func analyticsEvent(_ v: EventValues) -> EventJSON {
    [
        "invocationId": "invocationIdExample",
        "applicationArn":
            "arn:\(v["partition"]):kinesisanalytics:\(v["region"]):\(v["account-id"]):application/\(v["application"])",
        "streamArn": "arn:\(v["partition"]):kinesis:\(v["region"]):\(v["account-id"]):stream/\(v["stream"])",
        "records": [
            analyticsRecord(
                sequence: "49571347871967966406409637155186850213682522142927749122",
                shard: "shardId-000000000001",
                partitionKey: "partitionKey-01",
                data: v["data"]
            )
        ],
    ]
}

/// A CloudWatch Logs subscription `DATA_MESSAGE` (the JSON inside `awslogs.data`).
func cloudWatchLogsMessage(
    owner: String,
    logGroup: String,
    logStream: String,
    message: String,
    count: Int
)
    -> EventJSON
{
    let events: [EventJSON] = (0..<count).map { index in
        [
            "id": "\(sequenceNumber("31953106606966983378809025079804211143289615424298221568", plus: index))",
            "timestamp": .int(1_432_826_855_000 + index),
            "message": "\(message)",
        ]
    }
    return [
        "messageType": "DATA_MESSAGE",
        "owner": "\(owner)",
        "logGroup": "\(logGroup)",
        "logStream": "\(logStream)",
        "subscriptionFilters": ["example-filter"],
        "logEvents": .array(events),
    ]
}

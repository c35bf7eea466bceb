/// Object storage sources: S3 notifications, S3 Batch Operations, and the Rekognition S3 request.
extension SampleService {
    static let s3 = SampleService("s3", "Amazon S3", events: [.s3BatchInvocation, .s3Delete, .s3Put])

    static let rekognition = SampleService(
        "rekognition",
        "Amazon Rekognition (S3 object to analyse)",
        events: [.rekognitionS3Request]
    )
}

private let bucketOption = SampleOption("bucket", default: "example-bucket", help: "Bucket name")
private let keyOption = SampleOption("key", default: "test/key", help: "Object key", encoding: .url)

/// An S3 event notification with `count` records for one bucket and key.
private func s3Notification(_ v: EventValues, eventName: String, count: Int, isPut: Bool) -> EventJSON {
    let records: [EventJSON] = (0..<count).map { index in
        let sequencer = String(0x0A1B_2C3D_4E5F_6A7B + index, radix: 16, uppercase: true)
        var object: [(String, EventJSON)] = [("key", "\(v["key"])")]
        if isPut {
            object += [
                ("size", 1024), ("eTag", "0123456789abcdef0123456789abcdef"),
                ("versionId", "096fKKXTRTtl3on89fVO.nfljtsv6qko"),
            ]
        }
        object.append(("sequencer", .string(sequencer)))
        return [
            "eventVersion": "2.0",
            "eventSource": "aws:s3",
            "awsRegion": "\(v["region"])",
            "eventTime": "1970-01-01T00:00:00.000Z",
            "eventName": "\(eventName)",
            "userIdentity": ["principalId": "EXAMPLE"],
            "requestParameters": ["sourceIPAddress": "127.0.0.1"],
            "responseElements": [
                "x-amz-request-id": "EXAMPLE\(String(123_456_789 + index))",
                "x-amz-id-2": "EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH",
            ],
            "s3": [
                "s3SchemaVersion": "1.0",
                "configurationId": "testConfigRule",
                "bucket": [
                    "name": "\(v["bucket"])",
                    "ownerIdentity": ["principalId": "EXAMPLE"],
                    "arn": "arn:\(v["partition"]):s3:::\(v["bucket"])",
                ],
                "object": .object(object),
            ],
        ]
    }
    return ["Records": .array(records)]
}

extension SampleEvent {
    static let s3Put = SampleEvent(
        "put",
        "S3 ObjectCreated:Put notification",
        options: [.region, .partition, bucketOption, keyOption, .count()]
    ) { v throws(SampleEventError) in
        s3Notification(v, eventName: "ObjectCreated:Put", count: try v.count(), isPut: true)
    }

    static let s3Delete = SampleEvent(
        "delete",
        "S3 ObjectRemoved:Delete notification",
        options: [.region, .partition, bucketOption, keyOption, .count()]
    ) { v throws(SampleEventError) in
        s3Notification(v, eventName: "ObjectRemoved:Delete", count: try v.count(), isPut: false)
    }

    static let rekognitionS3Request = SampleEvent(
        "s3-request",
        "S3 ObjectCreated:Put notification for an image to analyse with Rekognition",
        options: [.region, .partition, bucketOption, keyOption]
    ) { v in
        s3Notification(v, eventName: "ObjectCreated:Put", count: 1, isPut: true)
    }

    static let s3BatchInvocation = SampleEvent(
        "batch-invocation",
        "S3 Batch Operations Lambda invocation (schema 1.0)",
        options: [
            SampleOption("bucket-arn", default: "arn:aws:s3:::examplebucket", help: "Bucket ARN"),
            SampleOption("key", default: "test/key", help: "Object key", encoding: .url),
        ]
    ) { v in
        [
            "invocationSchemaVersion": "1.0",
            "invocationId": "YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo",
            "job": ["id": "f3cc4f60-61f6-4a2b-8a21-d07600c373ce"],
            "tasks": [
                [
                    "taskId": "dGFza2lkZ29lc2hlcmUK",
                    "s3Key": "\(v["key"])",
                    "s3VersionId": "1",
                    "s3BucketArn": "\(v["bucket-arn"])",
                ]
            ],
        ]
    }
}

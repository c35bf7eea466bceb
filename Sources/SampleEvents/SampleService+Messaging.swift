import Foundation

/// Messaging sources: SNS, SQS, SES email receiving and WorkMail.
extension SampleService {
    static let sns = SampleService("sns", "Amazon SNS", events: [.snsNotification])
    static let sqs = SampleService("sqs", "Amazon SQS", events: [.sqsReceiveMessage])
    static let ses = SampleService("ses", "Amazon SES email receiving", events: [.sesEmailReceiving])
    static let workMail = SampleService("workmail", "Amazon WorkMail", events: [.workMailEmail])
}

/// A deterministic UUID-shaped identifier derived from `seed`.
func exampleUUID(_ seed: String) -> String {
    let hex = Array(PayloadEncoding.md5Hex(seed))
    return [hex[0..<8], hex[8..<12], hex[12..<16], hex[16..<20], hex[20..<32]].map { String($0) }
        .joined(separator: "-")
}

extension SampleEvent {
    static let snsNotification = SampleEvent(
        "notification",
        "SNS topic notification",
        options: [
            .accountID, .partition, .region,
            SampleOption("topic", default: "ExampleTopic", help: "Topic name"),
            SampleOption("subject", default: "example subject", help: "Message subject"),
            SampleOption("message", default: "example message", help: "Message body"),
        ]
    ) { v in
        let topicARN = "arn:\(v["partition"]):sns:\(v["region"]):\(v["account-id"]):\(v["topic"])"
        return [
            "Records": [
                [
                    "EventVersion": "1.0",
                    "EventSubscriptionArn": "\(topicARN):2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",
                    "EventSource": "aws:sns",
                    "Sns": [
                        "Type": "Notification",
                        "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
                        "TopicArn": "\(topicARN)",
                        "Subject": "\(v["subject"])",
                        "Message": "\(v["message"])",
                        "Timestamp": "1970-01-01T00:00:00.000Z",
                        "SignatureVersion": "1",
                        "Signature": "EXAMPLE",
                        "SigningCertUrl": .string(
                            "https://sns.\(v["region"]).amazonaws.com/"
                                + "SimpleNotificationService-0000000000000000000000.pem"
                        ),
                        "UnsubscribeUrl": .string(
                            "https://sns.\(v["region"]).amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
                                + "\(topicARN):2bcfbf39-05c3-41de-beaa-fcfcc21c8f55"
                        ),
                        "MessageAttributes": [
                            "Test": ["Type": "String", "Value": "TestString"],
                            "TestBinary": ["Type": "Binary", "Value": "TestBinary"],
                        ],
                    ],
                ]
            ]
        ]
    }

    static let sqsReceiveMessage = SampleEvent(
        "receive-message",
        "SQS batch of messages (md5OfBody is the MD5 of the body)",
        options: [
            .partition, .region, .accountID,
            SampleOption("queue-name", default: "MyQueue", help: "Queue name"),
            SampleOption("body", default: "Hello from SQS!", help: "Message body"),
            .count(),
        ]
    ) { v throws(SampleEventError) in
        let count = try v.count()
        let records: [EventJSON] = (0..<count).map { index in
            [
                "messageId": "\(exampleUUID("sqs-message-\(index)"))",
                "receiptHandle": "MessageReceiptHandle\(index == 0 ? "" : String(index + 1))",
                "body": "\(v["body"])",
                "attributes": [
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "\(1_523_232_000_000 + index)",
                    "SenderId": "\(v["account-id"])",
                    "ApproximateFirstReceiveTimestamp": "\(1_523_232_000_001 + index)",
                ],
                "messageAttributes": [:],
                "md5OfBody": "\(PayloadEncoding.md5Hex(v.raw("body")))",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:\(v["partition"]):sqs:\(v["region"]):\(v["account-id"]):\(v["queue-name"])",
                "awsRegion": "\(v["region"])",
            ]
        }
        return ["Records": .array(records)]
    }

    static let sesEmailReceiving = SampleEvent(
        "email-receiving",
        "SES email receiving (Lambda action)",
        options: [
            .region, .partition, .accountID,
            SampleOption("dns-suffix", default: "us-east-1.amazonaws.com", help: "Domain suffix of the SMTP endpoint"),
        ]
    ) { v in
        let messageID = "o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1"
        let headers: [(String, String)] = [
            ("Return-Path", "<janedoe@example.com>"),
            (
                "Received",
                "from mailer.example.com (mailer.example.com [203.0.113.1]) by inbound-smtp.\(v["dns-suffix"])"
                    + " with SMTP id \(messageID) for johndoe@example.com; Wed, 07 Oct 2015 12:34:56 +0000 (UTC)"
            ),
            (
                "DKIM-Signature",
                "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=example;"
                    + " h=mime-version:from:date:message-id:subject:to; bh=EXAMPLEbodyhash=; b=EXAMPLEsignature="
            ),
            ("MIME-Version", "1.0"),
            ("From", "Jane Doe <janedoe@example.com>"),
            ("Date", "Wed, 7 Oct 2015 12:34:56 -0700"),
            ("Message-ID", "<0123456789example.com>"),
            ("Subject", "Test Subject"),
            ("To", "johndoe@example.com"),
            ("Content-Type", "text/plain; charset=UTF-8"),
        ]
        let mail: EventJSON = [
            "timestamp": "2015-09-11T20:32:33.936Z",
            "source": "janedoe@example.com",
            "messageId": "\(messageID)",
            "destination": ["johndoe@example.com"],
            "headersTruncated": false,
            "headers": .array(headers.map { ["name": .string($0.0), "value": .string($0.1)] }),
            "commonHeaders": [
                "returnPath": "janedoe@example.com",
                "from": ["Jane Doe <janedoe@example.com>"],
                "date": "Wed, 7 Oct 2015 12:34:56 -0700",
                "to": ["johndoe@example.com"],
                "messageId": "<0123456789example.com>",
                "subject": "Test Subject",
            ],
        ]
        let receipt: EventJSON = [
            "timestamp": "2015-09-11T20:32:33.936Z",
            "processingTimeMillis": 222,
            "recipients": ["johndoe@example.com"],
            "spamVerdict": ["status": "PASS"],
            "virusVerdict": ["status": "PASS"],
            "spfVerdict": ["status": "PASS"],
            "dkimVerdict": ["status": "PASS"],
            "dmarcVerdict": ["status": "PASS"],
            "dmarcPolicy": "reject",
            "action": [
                "type": "Lambda",
                "functionArn":
                    "arn:\(v["partition"]):lambda:\(v["region"]):\(v["account-id"]):function:Example",
                "invocationType": "Event",
            ],
        ]
        return [
            "Records": [
                ["eventSource": "aws:ses", "eventVersion": "1.0", "ses": ["mail": mail, "receipt": receipt]]
            ]
        ]
    }

    static let workMailEmail = SampleEvent(
        "email",
        "WorkMail email flow rule invocation",
        options: [
            SampleOption("flow-direction", default: "INBOUND", help: "INBOUND or OUTBOUND"),
            SampleOption("mail-from", default: "from@example.com", help: "Envelope MAIL FROM address"),
            SampleOption("sender", default: "sender@example.com", help: "Sender address"),
        ]
    ) { v in
        [
            "summaryVersion": "2018-10-10",
            "envelope": [
                "mailFrom": ["address": "\(v["mail-from"])"],
                "recipients": [["address": "recipient1@example.com"], ["address": "recipient2@example.com"]],
            ],
            "sender": ["address": "\(v["sender"])"],
            "subject": "Hello From Amazon WorkMail!",
            "messageId": "00000000-0000-0000-0000-000000000000",
            "invocationId": "00000000000000000000000000000000",
            "flowDirection": "\(v["flow-direction"])",
            "truncated": false,
        ]
    }
}

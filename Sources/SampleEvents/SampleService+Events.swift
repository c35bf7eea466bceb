/// CloudWatch Logs subscriptions, scheduled events and EventBridge custom events.
extension SampleService {
    static let cloudWatch = SampleService(
        "cloudwatch",
        "Amazon CloudWatch (Logs subscriptions, scheduled events)",
        events: [.cloudWatchLogs, .scheduledEvent]
    )

    static let eventBridge = SampleService("eventbridge", "Amazon EventBridge", events: [.eventBridgeCustom])
}

extension SampleEvent {
    static let cloudWatchLogs = SampleEvent(
        "logs",
        "CloudWatch Logs subscription (awslogs.data is base64 of the gzipped DATA_MESSAGE JSON)",
        options: [
            SampleOption("account-id", default: "123456789012", help: "Owner account ID"),
            SampleOption("log-group", default: "/aws/lambda/example", help: "Log group name"),
            SampleOption("log-stream", default: "2015/04/09/[$LATEST]0123456789abcdef", help: "Log stream name"),
            SampleOption("message", default: "[ERROR] First test message", help: "Log event message"),
            .count(2),
        ]
    ) { v throws(SampleEventError) in
        let message = cloudWatchLogsMessage(
            owner: v["account-id"],
            logGroup: v["log-group"],
            logStream: v["log-stream"],
            message: v["message"],
            count: try v.count()
        )
        return [
            "awslogs": ["data": .string(PayloadEncoding.base64(PayloadEncoding.gzip(Array(message.compact().utf8))))]
        ]
    }

    static let scheduledEvent = SampleEvent(
        "scheduled-event",
        "EventBridge (CloudWatch Events) scheduled rule event",
        options: [
            .accountID, .partition, .region,
            SampleOption("rule", default: "ExampleRule", help: "Rule name"),
        ]
    ) { v in
        [
            "version": "0",
            "id": "89d1a02d-5ec7-412e-82f5-13505f849b41",
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": "\(v["account-id"])",
            "time": "2016-12-30T18:44:49Z",
            "region": "\(v["region"])",
            "resources": ["arn:\(v["partition"]):events:\(v["region"]):\(v["account-id"]):rule/\(v["rule"])"],
            "detail": [:],
        ]
    }

    static let eventBridgeCustom = SampleEvent(
        "custom-event",
        "EventBridge custom event (as delivered to a rule target)",
        options: [
            SampleOption("source", default: "com.example.orders", help: "Event source"),
            SampleOption("detail-type", default: "Order Placed", help: "Detail type"),
            SampleOption("detail", default: #"{"orderId":"1234","amount":42}"#, help: "Detail, as JSON"),
            SampleOption("event-bus", default: "default", help: "Event bus name (for the resource ARN)"),
            SampleOption("rule", default: "ExampleRule", help: "Rule name (for the resource ARN)"),
            .accountID, .partition, .region,
        ]
    ) { v throws(SampleEventError) in
        let detail = try v.json("detail")
        let bus = v["event-bus"] == "default" ? "" : "\(v["event-bus"])/"
        return [
            "version": "0",
            "id": "\(exampleUUID("eventbridge-\(v["source"])-\(v["detail-type"])"))",
            "detail-type": "\(v["detail-type"])",
            "source": "\(v["source"])",
            "account": "\(v["account-id"])",
            "time": "2024-01-01T00:00:00Z",
            "region": "\(v["region"])",
            "resources": ["arn:\(v["partition"]):events:\(v["region"]):\(v["account-id"]):rule/\(bus)\(v["rule"])"],
            "detail": detail,
        ]
    }
}

import Foundation

/// Deployment and configuration sources: CloudFormation custom resources, CodeCommit, CodePipeline, AWS Config,
/// AWS Batch and Step Functions.
extension SampleService {
    static let cloudFormation = SampleService(
        "cloudformation",
        "AWS CloudFormation (custom resources)",
        events: [.cloudFormationCreate]
    )
    static let codeCommit = SampleService("codecommit", "AWS CodeCommit", events: [.codeCommitRepository])
    static let codePipeline = SampleService("codepipeline", "AWS CodePipeline", events: [.codePipelineJob])
    static let config = SampleService(
        "config",
        "AWS Config rules",
        events: [.configItemChange, .configOversizedItemChange, .configPeriodicRule]
    )
    static let batch = SampleService("batch", "AWS Batch", events: [.batchGetJob, .batchSubmitJob])
    static let stepFunctions = SampleService("stepfunctions", "AWS Step Functions", events: [.stepFunctionsError])
}

private let configOptions: [SampleOption] = [.region, .partition, .accountID]

/// A Config rule invocation around an `invokingEvent` document.
private func configRuleEvent(_ v: EventValues, invokingEvent: EventJSON, ruleName: String) -> EventJSON {
    let account = v["account-id"]
    return [
        "invokingEvent": .string(invokingEvent.compact()),
        "ruleParameters": #"{"myParameterKey":"myParameterValue"}"#,
        "resultToken": "myResultToken",
        "eventLeftScope": false,
        "executionRoleArn": "arn:\(v["partition"]):iam::\(account):role/config-role",
        "configRuleArn": "arn:\(v["partition"]):config:\(v["region"]):\(account):config-rule/config-rule-0123456",
        "configRuleName": .string(ruleName),
        "configRuleId": "config-rule-0123456",
        "accountId": "\(account)",
        "version": "1.0",
    ]
}

extension SampleEvent {
    static let cloudFormationCreate = SampleEvent(
        "create-request",
        "CloudFormation custom resource Create request",
        options: [
            .accountID, .partition, .region,
            SampleOption("stack", default: "MyStack", help: "Stack name"),
        ]
    ) { v in
        let stackID = v.arn("cloudformation", "stack/\(v["stack"])/1a2b3c4d-1234-5678-9abc-def012345678")
        return [
            "RequestType": "Create",
            "ServiceToken": "arn:\(v["partition"]):lambda:\(v["region"]):\(v["account-id"]):function:lambda-function",
            "ResponseURL": .string(
                "https://cloudformation-custom-resource-response-\(v["region"].replacingOccurrences(of: "-", with: ""))"
                    + ".s3.amazonaws.com/" + PayloadEncoding.url(stackID).replacingOccurrences(of: "/", with: "%2F")
                    + "%7CMyTestResource%7Cd2a5b8f5-1d11-4e37-9f5f-a1b2c3d4e5f6?X-Amz-Signature=EXAMPLE"
            ),
            "StackId": .string(stackID),
            "RequestId": "d2a5b8f5-1d11-4e37-9f5f-a1b2c3d4e5f6",
            "LogicalResourceId": "MyTestResource",
            "ResourceType": "Custom::TestResource",
            "ResourceProperties": [
                "ServiceToken":
                    "arn:\(v["partition"]):lambda:\(v["region"]):\(v["account-id"]):function:lambda-function",
                "StackName": "\(v["stack"])",
                "List": ["1", "2", "3"],
            ],
        ]
    }

    static let codeCommitRepository = SampleEvent(
        "repository",
        "CodeCommit repository trigger",
        options: [
            .accountID, .partition, .region,
            SampleOption("repository", default: "my-repo", help: "Repository name"),
            SampleOption("trigger", default: "my-trigger", help: "Trigger name"),
            SampleOption("custom-data", default: "this is custom data", help: "Trigger custom data"),
        ]
    ) { v in
        [
            "Records": [
                [
                    "awsRegion": "\(v["region"])",
                    "codecommit": [
                        "references": [
                            ["commit": "5e493c6f3067653f3d04eca608b4901eb227078", "ref": "refs/heads/main"]
                        ]
                    ],
                    "customData": "\(v["custom-data"])",
                    "eventId": "31ade2c7-f889-47c5-a937-1cf99e2790e9",
                    "eventName": "ReferenceChanges",
                    "eventPartNumber": 1,
                    "eventSource": "aws:codecommit",
                    "eventSourceARN":
                        "arn:\(v["partition"]):codecommit:\(v["region"]):\(v["account-id"]):\(v["repository"])",
                    "eventTime": "2019-03-12T20:58:25.400+0000",
                    "eventTotalParts": 1,
                    "eventTriggerConfigId": "0d17d6a4-efeb-46f3-b3ab-a63741badeb8",
                    "eventTriggerName": "\(v["trigger"])",
                    "eventVersion": "1.0",
                    "userIdentityARN": "arn:\(v["partition"]):iam::\(v["account-id"]):user/example-user",
                ]
            ]
        ]
    }

    static let codePipelineJob = SampleEvent(
        "job",
        "CodePipeline Lambda invoke action job",
        options: [
            .accountID,
            SampleOption("input-bucket", default: "example-bucket", help: "Input artifact bucket"),
            SampleOption("input-key", default: "test/key", help: "Input artifact key"),
            SampleOption("output-bucket", default: "example-bucket2", help: "Output artifact bucket"),
            SampleOption("output-key", default: "test/key2", help: "Output artifact key"),
        ]
    ) { v in
        func artifact(_ name: String, _ bucket: String, _ key: String) -> EventJSON {
            [
                "name": .string(name),
                "revision": .null,
                "location": [
                    "type": "S3", "s3Location": ["bucketName": .string(bucket), "objectKey": .string(key)],
                ],
            ]
        }
        return [
            "CodePipeline.job": [
                "id": "11111111-abcd-1111-abcd-111111abcdef",
                "accountId": "\(v["account-id"])",
                "data": [
                    "actionConfiguration": [
                        "configuration": [
                            "FunctionName": "MyLambdaFunctionForAWSCodePipeline",
                            "UserParameters": "some-input-such-as-a-URL",
                        ]
                    ],
                    "inputArtifacts": [artifact("ArtifactName", v["input-bucket"], v["input-key"])],
                    "outputArtifacts": [artifact("ArtifactName2", v["output-bucket"], v["output-key"])],
                    "artifactCredentials": [
                        "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
                        "secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        "sessionToken": "FwoGZXIvYXdzEXAMPLESESSIONTOKEN",
                    ],
                    "continuationToken": "A continuation token if continuing job",
                    "encryptionKey": ["id": "arn:aws:kms:us-east-1:\(v["account-id"]):key/example", "type": "KMS"],
                ],
            ]
        ]
    }

    static let configItemChange = SampleEvent(
        "item-change-notification",
        "Config rule triggered by a configuration item change",
        options: configOptions
    ) { v in
        let account = v["account-id"]
        let invoking: EventJSON = [
            "configurationItem": [
                "configurationItemCaptureTime": "2016-02-17T01:36:34.043Z",
                "awsAccountId": "\(account)",
                "configurationItemStatus": "OK",
                "resourceId": "i-00000000",
                "resourceName": "foo",
                "configurationStateMd5Hash": "8f1ee69b297895a0f8bc5753eca68e96",
                "resourceCreationTime": "2016-02-17T01:30:10.489Z",
                "configurationStateId": 0,
                "configurationItemVersion": "1.2",
                "ARN": "arn:\(v["partition"]):ec2:\(v["region"]):\(account):instance/i-00000000",
                "awsRegion": "\(v["region"])",
                "availabilityZone": "\(v["region"])a",
                "resourceType": "AWS::EC2::Instance",
                "tags": ["Foo": "Bar"],
                "relationships": [
                    [
                        "resourceId": "eipalloc-00000000", "resourceType": "AWS::EC2::EIP",
                        "name": "Is attached to ElasticIp",
                    ]
                ],
                "configuration": ["foo": "bar"],
            ],
            "notificationCreationTime": "2016-02-17T01:36:34.043Z",
            "messageType": "ConfigurationItemChangeNotification",
            "recordVersion": "1.2",
        ]
        return configRuleEvent(v, invokingEvent: invoking, ruleName: "change-triggered-config-rule")
    }

    static let configOversizedItemChange = SampleEvent(
        "oversized-item-change-notification",
        "Config rule triggered by an oversized configuration item change",
        options: configOptions
    ) { v in
        let account = v["account-id"]
        let invoking: EventJSON = [
            "configurationItemSummary": [
                "changeType": "UPDATE",
                "configurationItemVersion": "1.2",
                "configurationItemCaptureTime": "2016-10-06T16:46:16.261Z",
                "configurationStateId": 0,
                "awsAccountId": "\(account)",
                "configurationItemStatus": "OK",
                "resourceType": "AWS::EC2::Instance",
                "resourceId": "i-00000000",
                "resourceName": .null,
                "ARN": "arn:\(v["partition"]):ec2:\(v["region"]):\(account):instance/i-00000000",
                "awsRegion": "\(v["region"])",
                "availabilityZone": "\(v["region"])a",
                "configurationStateMd5Hash": "8f1ee69b297895a0f8bc5753eca68e96",
                "resourceCreationTime": "2016-10-06T16:46:10.489Z",
            ],
            "s3DeliverySummary": [
                "s3BucketLocation": "config-bucket/AWSLogs/\(account)/Config/\(v["region"])/2016/10/6/example.json.gz",
                "errorCode": .null,
                "errorMessage": .null,
            ],
            "notificationCreationTime": "2016-10-06T16:46:16.261Z",
            "messageType": "OversizedConfigurationItemChangeNotification",
            "recordVersion": "1.0",
        ]
        return configRuleEvent(v, invokingEvent: invoking, ruleName: "change-triggered-config-rule")
    }

    static let configPeriodicRule = SampleEvent(
        "periodic-rule",
        "Config rule run on a schedule",
        options: configOptions
    ) { v in
        let invoking: EventJSON = [
            "awsAccountId": "\(v["account-id"])",
            "notificationCreationTime": "2016-07-13T21:50:00.373Z",
            "messageType": "ScheduledNotification",
            "recordVersion": "1.0",
        ]
        return configRuleEvent(v, invokingEvent: invoking, ruleName: "periodic-config-rule")
    }

    static let batchGetJob = SampleEvent(
        "get-job",
        "AWS Batch job to look up (jobId) with the job's name, queue and definition"
    ) { _ in
        [
            "jobId": "38fd08ce-5f5e-434c-8997-6bba5e3f5a74",
            "jobName": "hello_world",
            "jobQueue": "default",
            "jobDefinition": "hello_world",
        ]
    }

    static let batchSubmitJob = SampleEvent("submit-job", "AWS Batch submitted job (jobId, jobName)") { _ in
        ["jobId": "38fd08ce-5f5e-434c-8997-6bba5e3f5a74", "jobName": "example-job"]
    }

    static let stepFunctionsError = SampleEvent(
        "error",
        "Step Functions error output (Error, Cause) as a Catch passes it on",
        options: [
            SampleOption("error", default: "ErrorName", help: "Error name"),
            SampleOption("cause", default: "This is the cause of the error.", help: "Error cause"),
        ]
    ) { v in
        ["Error": "\(v["error"])", "Cause": "\(v["cause"])"]
    }
}

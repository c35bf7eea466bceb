/// Application services: AppSync resolvers, Cognito Sync, Amazon Connect and SageMaker Ground Truth.
extension SampleService {
    static let appSync = SampleService("appsync", "AWS AppSync", events: [.appSyncResolver])
    static let cognito = SampleService("cognito", "Amazon Cognito Sync", events: [.cognitoSyncTrigger])
    static let connect = SampleService("connect", "Amazon Connect", events: [.connectContactFlow])
    static let sageMaker = SampleService(
        "sagemaker",
        "Amazon SageMaker Ground Truth",
        events: [.groundTruthAnnotationConsolidation, .groundTruthPreHuman]
    )
}

extension SampleEvent {
    static let appSyncResolver = SampleEvent("resolver", "AppSync direct Lambda resolver request") { _ in
        let claims: EventJSON = [
            "sub": "192879fc-a240-4bf1-ab5a-d6a00f3063f9",
            "email_verified": true,
            "iss": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example",
            "phone_number_verified": false,
            "cognito:username": "jdoe",
            "aud": "7471s60os7h0uu77i1tk27sp9n",
            "event_id": "bc334ed8-a938-4474-b644-9547e304e606",
            "token_use": "id",
            "auth_time": 1_599_154_213,
            "phone_number": "+19999999999",
            "exp": 1_599_157_813,
            "iat": 1_599_154_213,
            "email": "jdoe@example.com",
        ]
        return [
            "arguments": ["id": "my identifier"],
            "identity": [
                "claims": claims,
                "defaultAuthStrategy": "ALLOW",
                "groups": .null,
                "issuer": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example",
                "sourceIp": ["203.0.113.1"],
                "sub": "192879fc-a240-4bf1-ab5a-d6a00f3063f9",
                "username": "jdoe",
            ],
            "source": .null,
            "request": [
                "headers": [
                    "x-forwarded-for": "203.0.113.1, 198.51.100.2",
                    "cloudfront-viewer-country": "US",
                    "cloudfront-is-tablet-viewer": "false",
                    "via": "2.0 abcdef0123456789abcdef0123456789.cloudfront.net (CloudFront)",
                    "cloudfront-forwarded-proto": "https",
                    "origin": "https://us-west-2.console.aws.amazon.com",
                    "content-length": "217",
                    "accept-language": "en-US,en;q=0.9",
                    "host": "example1234567890.appsync-api.us-west-2.amazonaws.com",
                    "x-forwarded-proto": "https",
                    "user-agent": "Custom User Agent String",
                    "accept": "*/*",
                    "cloudfront-is-mobile-viewer": "false",
                    "cloudfront-is-smarttv-viewer": "false",
                    "accept-encoding": "gzip, deflate, br",
                    "referer": "https://us-west-2.console.aws.amazon.com/appsync/home?region=us-west-2",
                    "content-type": "application/json",
                    "sec-fetch-mode": "cors",
                    "x-amz-cf-id": "3aykhqlUwQeANU-HGY7E_guV5EkNeMMtwyOgiA==",
                    "x-amzn-trace-id": "Root=1-5f512f51-fac632066c5e848ae714EXAMPLE",
                    "authorization": "eyJraWQiOiJFWEFNUExFIn0.example.signature",
                    "sec-fetch-dest": "empty",
                    "x-amz-user-agent": "AWS-Console-AppSync/",
                    "cloudfront-is-desktop-viewer": "true",
                    "sec-fetch-site": "cross-site",
                    "x-forwarded-port": "443",
                ],
                "domainName": .null,
            ],
            "prev": .null,
            "info": [
                "selectionSetList": ["id", "field1", "field2"],
                "selectionSetGraphQL": "{\n  id\n  field1\n  field2\n}",
                "parentTypeName": "Mutation",
                "fieldName": "createSomething",
                "variables": [:],
            ],
            "stash": [:],
        ]
    }

    static let cognitoSyncTrigger = SampleEvent(
        "sync-trigger",
        "Cognito Sync trigger",
        options: [.region]
    ) { v in
        [
            "version": 2,
            "eventType": "SyncTrigger",
            "region": "\(v["region"])",
            "identityPoolId": "\(v["region"]):11111111-2222-3333-4444-555555555555",
            "identityId": "\(v["region"]):aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "datasetName": "SampleDataset",
            "datasetRecords": [
                "SampleKey1": ["oldValue": "oldValue1", "newValue": "newValue1", "op": "replace"],
                "SampleKey2": ["oldValue": "oldValue2", "newValue": "newValue2", "op": "replace"],
            ],
        ]
    }

    static let connectContactFlow = SampleEvent(
        "contact-flow-event",
        "Amazon Connect contact flow Lambda invocation",
        options: [
            .region, .partition, .accountID,
            SampleOption("contact-id", default: "5ca32fbd-8f92-46af-92a5-6b0f970f0efe", help: "Contact ID"),
            SampleOption("phone-number", default: "+11234567890", help: "Customer phone number"),
        ]
    ) { v in
        let instance = v.arn("connect", "instance/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")
        return [
            "Details": [
                "ContactData": [
                    "Attributes": [:],
                    "Channel": "VOICE",
                    "ContactId": "\(v["contact-id"])",
                    "CustomerEndpoint": ["Address": "\(v["phone-number"])", "Type": "TELEPHONE_NUMBER"],
                    "InitialContactId": "\(v["contact-id"])",
                    "InitiationMethod": "INBOUND",
                    "InstanceARN": "\(instance)",
                    "LanguageCode": "en-US",
                    "MediaStreams": [
                        "Customer": [
                            "Audio": [
                                "StartFragmentNumber": "91343852333181432392682062622220590765191907586",
                                "StartTimestamp": "1565781909613",
                                "StreamARN": .string(
                                    v.arn(
                                        "kinesisvideo",
                                        "stream/connect-contact-a3d73b84-ce0e-479a-a9dc-5637c9d30ac9/1565272947806"
                                    )
                                ),
                            ]
                        ]
                    ],
                    "PreviousContactId": "\(v["contact-id"])",
                    "Queue": [
                        "ARN": "\(instance)/queue/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222",
                        "Name": "ExampleQueue",
                    ],
                    "SystemEndpoint": ["Address": "+11234567890", "Type": "TELEPHONE_NUMBER"],
                ],
                "Parameters": ["sentAttributeKey": "sentAttributeValue"],
            ],
            "Name": "ContactFlowEvent",
        ]
    }

    static let groundTruthPreHuman = SampleEvent(
        "ground-truth-pre-human",
        "SageMaker Ground Truth pre-annotation (PreHumanTask) request",
        options: [
            .region, .partition, .accountID,
            SampleOption(
                "source-ref",
                default: "s3://sagemakerexample/object_to_annotate.jpg",
                help: "Object to label"
            ),
            SampleOption("labeling-job-name", default: "example-job", help: "Labeling job name"),
        ]
    ) { v in
        [
            "version": "2018-10-16",
            "labelingJobArn": .string(v.arn("sagemaker", "labeling-job/\(v["labeling-job-name"])")),
            "dataObject": ["source-ref": "\(v["source-ref"])"],
        ]
    }

    static let groundTruthAnnotationConsolidation = SampleEvent(
        "ground-truth-annotation-consolidation",
        "SageMaker Ground Truth annotation consolidation request",
        options: [
            .region, .partition, .accountID,
            SampleOption("labeling-job-name", default: "example-job", help: "Labeling job name"),
            SampleOption("label-attribute-name", default: "example-attribute", help: "Label attribute name"),
            SampleOption("s3-output-path", default: "s3://sagemakerexample/output", help: "Job output path"),
            SampleOption("execution-role", default: "sagemaker-role", help: "Execution role name"),
            SampleOption(
                "iteration-object-timestamp",
                default: "iteration-1/0/2019-09-06_18:35:03",
                help: "Iteration folder and timestamp of the worker responses"
            ),
        ]
    ) { v in
        [
            "version": "2018-10-16",
            "labelingJobArn": .string(v.arn("sagemaker", "labeling-job/\(v["labeling-job-name"])")),
            "labelCategories": ["label1", "label2"],
            "labelAttributeName": "\(v["label-attribute-name"])",
            "roleArn": "arn:\(v["partition"]):iam::\(v["account-id"]):role/\(v["execution-role"])",
            "payload": [
                "s3Uri": .string(
                    "\(v["s3-output-path"])/\(v["labeling-job-name"])/annotations/consolidated-annotation/"
                        + "consolidation-request/\(v["iteration-object-timestamp"]).json"
                )
            ],
        ]
    }
}

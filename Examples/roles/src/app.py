import os

import boto3
from botocore.exceptions import ClientError


def handler(event, context):
    """Sends one message to each queue in the event and reports what the role allowed."""
    sqs = boto3.client("sqs")
    result = {"runningAs": boto3.client("sts").get_caller_identity()["Arn"]}
    for name, url in event.items():
        try:
            sqs.send_message(QueueUrl=url, MessageBody=f"hello from {os.environ['AWS_LAMBDA_FUNCTION_NAME']}")
            result[name] = "sent"
        except ClientError as error:
            result[name] = "denied: " + error.response["Error"]["Code"]
    return result

import json
import os


def lambda_handler(event, context):
    if not isinstance(event, dict):
        event = {}
    info = {
        "source": "nested-app/parent-hello",
        "function": os.environ.get("AWS_LAMBDA_FUNCTION_NAME"),
        "env": {k: v for k, v in os.environ.items() if k.startswith("APP_")},
        "resource": event.get("resource"),
        "path": event.get("path") or event.get("rawPath"),
        "routeKey": event.get("routeKey"),
        "stage": (event.get("requestContext") or {}).get("stage"),
        "stageVariables": event.get("stageVariables"),
        "pathParameters": event.get("pathParameters"),
    }
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(info),
    }

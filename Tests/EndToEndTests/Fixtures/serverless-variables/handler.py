import json
import os

KEYS = ["FROM_SELF", "FROM_OPT", "FROM_ENV", "FROM_FILE", "NESTED", "WITH_FALLBACK", "REGION", "FUNCTION_ONLY",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]


def hello(event, context):
    seen = {"env": {key: os.environ.get(key) for key in KEYS}, "event": event,
            "functionName": context.function_name}
    if "requestContext" in event:
        # Through start-api: an API Gateway proxy response.
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(seen)}
    return seen

import os

KEYS = ["FROM_SELF", "FROM_OPT", "FROM_ENV", "FROM_FILE", "NESTED", "WITH_FALLBACK", "REGION", "FUNCTION_ONLY",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]


def hello(event, context):
    return {"env": {key: os.environ.get(key) for key in KEYS}, "event": event,
            "functionName": context.function_name}

import json
import os


def lambda_handler(event, context):
    """Echoes what a test needs to see: the event, a few variables, the tenant and client context."""
    if isinstance(event, dict) and event.get("fail"):
        raise ValueError("the event asked to fail")
    return {
        "statusCode": 200,
        "body": json.dumps({
            "message": "hello world",
            "event": event,
            "table": os.environ.get("TABLE_NAME"),
            "stage": os.environ.get("STAGE"),
            "greeting": os.environ.get("GREETING"),
            "debugOnly": os.environ.get("DEBUG_ONLY"),
            "tenant": getattr(context, "tenant_id", None),
            "path": os.environ.get("PATH", "").split(":")[0],
        }),
    }

import json
import os


def hello(event, context):
    """GET /hello/{name} (REST API, payload 1.0), or a plain {"name": ...} event."""
    name = (event.get("pathParameters") or {}).get("name") or event.get("name") or "world"
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({
            "message": f"{os.environ['GREETING']}, {name}! (Python)",
            "stage": os.environ["STAGE"],
            "function": context.function_name,
            "table": os.environ["TABLE_NAME"],
        }),
    }

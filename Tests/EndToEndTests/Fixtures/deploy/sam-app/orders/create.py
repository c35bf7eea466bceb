import json
import os


def handler(event, context):
    order = json.loads(event.get("body") or "{}")
    return {"statusCode": 201, "body": json.dumps({"created": order, "table": os.environ.get("TABLE")})}

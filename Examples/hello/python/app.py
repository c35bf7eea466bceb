import json
import os


def handler(event, context):
    name = (event.get("pathParameters") or {}).get("name") or event.get("name") or "world"
    message = f"{os.environ['GREETING']}, {name}! ({os.environ['LANGUAGE']})"
    print(f"saying hello to {name}")
    if "httpMethod" in event:
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
                "body": json.dumps({"message": message})}
    return {"message": message, "requestId": context.aws_request_id,
            "remainingMs": context.get_remaining_time_in_millis() > 0}

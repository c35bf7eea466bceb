import os


def handler(event, context):
    return {"worker": "ok", "level": os.environ.get("LOG_LEVEL"), "event": event}

import json
import os
import time


def handler(event, context):
    kind = event["pathParameters"]["kind"]
    if kind == "crash":
        os._exit(3)
    if kind == "hang":
        time.sleep(60)
    if kind == "malformed":
        return {"statusCode": "teapot", "unexpected": True}
    if kind == "huge":
        return {"statusCode": 200, "body": "x" * (7 * 1024 * 1024)}
    if kind == "slow":
        started = time.time()
        time.sleep(1)
        return {"statusCode": 200, "body": json.dumps({"pid": os.getpid(), "start": started, "end": time.time()})}
    return {"statusCode": 200, "body": json.dumps({"pid": os.getpid()})}

def handler(event, context):
    return {"report": "daily", "rows": 0}

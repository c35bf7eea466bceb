def handler(event, context):
    return {"isAuthorized": True}

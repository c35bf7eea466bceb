# HTTP API REQUEST authorizer (payload 2.0, simple responses):
# allows when the Authorization header is exactly "allow".
def handler(event, context):
    headers = event.get("headers") or {}
    token = headers.get("authorization", headers.get("Authorization"))
    return {
        "isAuthorized": token == "allow",
        "context": {"authorizer": "raw-apigw-app/http-authorizer"},
    }

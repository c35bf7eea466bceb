def handler(event, context):
    token = event.get("authorizationToken", "")
    effect = "Allow" if token == "Bearer allow" else "Deny"
    return {
        "principalId": "e2e-user",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}],
        },
        "context": {"team": "standin", "type": event.get("type")},
    }

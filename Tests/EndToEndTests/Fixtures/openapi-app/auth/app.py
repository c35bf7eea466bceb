# REST API TOKEN authorizer: allows when the token is exactly "allow".
def lambda_handler(event, context):
    token = event.get("authorizationToken")
    effect = "Allow" if token == "allow" else "Deny"
    return {
        "principalId": "standin-user",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": "execute-api:Invoke",
                    "Effect": effect,
                    "Resource": event.get("methodArn", "*"),
                }
            ],
        },
        "context": {"authorizer": "openapi-app/auth"},
    }

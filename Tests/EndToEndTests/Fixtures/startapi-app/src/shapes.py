import base64


def handler(event, context):
    kind = event["pathParameters"]["kind"]
    if kind == "headers":
        return {
            "statusCode": 201,
            "headers": {"X-Single": "one", "X-Both": "from-headers"},
            "multiValueHeaders": {"X-Multi": ["a", "b"], "X-Both": ["from-multi"]},
            "body": "shaped",
        }
    if kind == "cookies":
        return {"statusCode": 200, "cookies": ["a=1; Path=/", "b=2; HttpOnly"], "body": "cookies"}
    if kind == "binary":
        return {
            "statusCode": 200,
            "headers": {"Content-Type": "image/png"},
            "body": base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\xff").decode(),
            "isBase64Encoded": True,
        }
    if kind == "inferred":
        return {"hello": "world"}
    return {"statusCode": 404, "body": "unknown shape"}

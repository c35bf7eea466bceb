import os

KEYS = ["GREETING", "COLOR", "STACK", "FROM_ENV_VARS"]


def handler(event, context):
    return {key: os.environ.get(key) for key in KEYS}

def hello(event, context):
    return 1

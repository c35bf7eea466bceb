def hello(event, context): return {}

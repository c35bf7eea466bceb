import os


def echo(event, context):
    """Echoes the event, the variables a test sets, and the client context."""
    if isinstance(event, dict) and event.get("fail"):
        raise RuntimeError("asked to fail")
    client = context.client_context
    return {
        "event": event,
        "var1": os.environ.get("VAR1"),
        "var2": os.environ.get("VAR2"),
        "stage": os.environ.get("STAGE"),
        "color": os.environ.get("PARAM_COLOR"),
        "clientContext": getattr(client, "custom", None) if client is not None else None,
    }

import json
import os
import time


def echo(event, context):
    """Answers what it got (after sleeping event["sleep"] seconds, if given): the event, the client context's
    custom part, its pid and its name."""
    print("echo handler saw %s" % json.dumps(event, sort_keys=True))
    if isinstance(event, dict) and isinstance(event.get("sleep"), (int, float)):
        time.sleep(event["sleep"])
    custom = context.client_context.custom if context.client_context is not None else None
    return {
        "event": event,
        "custom": custom,
        "pid": os.getpid(),
        "function": context.function_name,
        "arn": context.invoked_function_arn,
    }


def fail(event, context):
    print("about to fail")
    raise ValueError("this function always fails")


def crash(event, context):
    """Exits the process mid-invoke when asked to; otherwise answers with its pid."""
    if isinstance(event, dict) and event.get("crash"):
        print("crashing now")
        os._exit(3)
    return {"pid": os.getpid()}


def hang(event, context):
    """Sleeps past the function's 1-second timeout when asked to; otherwise answers with its pid."""
    if isinstance(event, dict) and event.get("hang"):
        print("hanging")
        time.sleep(60)
    return {"pid": os.getpid()}


def big(event, context):
    """Returns more than Lambda's 6 MB response limit, unless the event says {"small": true}."""
    if isinstance(event, dict) and event.get("small"):
        return {"pid": os.getpid()}
    return {"pid": os.getpid(), "blob": "x" * (7 * 1024 * 1024)}


def write(event, context):
    """Writes event["text"] to event["path"] (the Event invocation test waits for the file)."""
    with open(event["path"] + ".tmp", "w") as f:
        f.write(event["text"])
    os.rename(event["path"] + ".tmp", event["path"])
    return {"written": event["path"]}

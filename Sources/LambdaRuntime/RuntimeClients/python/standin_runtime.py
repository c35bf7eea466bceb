"""standin's Lambda runtime client for Python (standard library only).

Speaks the Lambda Runtime API (2018-06-01) at $AWS_LAMBDA_RUNTIME_API and runs the handler named by $_HANDLER the way
AWS's own Python runtime (awslambdaric) does: same context object, same error payloads, same log format.

Start-up cost matters (a cold invoke is compared with a bare `import handler`), so this module imports almost nothing:
the HTTP client is a raw `_socket` HTTP/1.1 keep-alive connection with TCP_NODELAY, JSON goes through the `_json`
accelerator directly (no `json`/`re` import), and `traceback`/`logging` are only imported when needed.
"""

import sys
import os
import time
import _socket

_API = "/2018-06-01/runtime"
_NEXT = _API + "/invocation/next"
_ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
_LAMBDA_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, in rare "
    "cases, a Lambda runtime update can cause unexpected function behavior. For functions using managed runtimes, "
    "runtime updates can be triggered by a function change, or can be applied automatically. To determine if the "
    "runtime has been updated, check the runtime version in the INIT_START log entry. If this error correlates with a "
    "change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the previous "
    "runtime version. For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"
)

_environ = os.environ
_JSON_LOGS = (_environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON"
_request_id = None  # the current invocation's id, for log lines
_tenant_id = None


# --- JSON without importing json (and re) ----------------------------------------------------------------------------

class _Fault(Exception):
    """A runtime-detected failure with a Lambda error type (Runtime.*)."""

    def __init__(self, error_type, message, trace=None):
        Exception.__init__(self, message)
        self.error_type = error_type
        self.message = message
        self.trace = trace


def _json_default(obj):
    if type(obj).__name__ == "Decimal":
        if obj.is_nan():
            return float("nan")
        text = str(obj)
        try:
            return int(text)
        except ValueError:
            return float(text)
    raise TypeError("Object of type %s is not JSON serializable" % obj.__class__.__name__)


def _ensure_ascii():
    # awslambdaric writes non-ASCII characters as they are from python3.12 on, and \u escapes before.
    env = _environ.get("AWS_EXECUTION_ENV", "")
    if env.startswith("AWS_Lambda_python3."):
        try:
            return int(env[len("AWS_Lambda_python3."):]) < 12
        except ValueError:
            return True
    return True


class _JSONContext:
    # The attributes _json.make_scanner reads, with json.loads' defaults.
    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    memo = None

    def __init__(self):
        self.parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}.__getitem__


try:
    import _json

    _scan = _json.make_scanner(_JSONContext())
    _encode_string = _json.encode_basestring_ascii if _ensure_ascii() else _json.encode_basestring

    def _make_encoder():
        return _json.make_encoder({}, _json_default, _encode_string, None, ": ", ", ", False, False, True)

    def _dumps(obj):
        return "".join(_make_encoder()(obj, 0))

    def _loads(text):
        end = len(text)
        index = 0
        while index < end and text[index] in " \t\n\r":
            index += 1
        try:
            value, index = _scan(text, index)
        except StopIteration:
            index = -1
        while 0 <= index < end and text[index] in " \t\n\r":
            index += 1
        if index != end:
            import json  # only to raise json.loads' own error message

            return json.loads(text)
        return value

    _dumps({"check": [1, 2.5, None, True, "x"]})
    _loads('{"check": [1]}')
except Exception:  # an interpreter without the accelerator: the json module does the same
    import json as _stdjson

    def _dumps(obj):
        return _stdjson.dumps(obj, default=_json_default, ensure_ascii=_ensure_ascii())

    def _loads(text):
        return _stdjson.loads(text)


# --- HTTP/1.1 over one keep-alive connection --------------------------------------------------------------------------

class _RuntimeAPI:
    """One persistent connection to the Runtime API; exits the process when the API is gone."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.address = (host.strip("[]") or "127.0.0.1", int(port))
        self.host_header = ("Host: %s\r\nUser-Agent: standin-python-runtime\r\n" % address).encode("latin-1")
        self.sock = None
        self.buffer = b""

    def _connect(self):
        sock = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
        try:
            sock.connect(self.address)
        except OSError:
            sock.close()
            _gone()
        self.sock = sock
        self.buffer = b""

    def request(self, method, path, body=None, headers=""):
        """Sends one request and returns (status, headers, body); reconnects once if an idle connection was closed."""
        head = "%s %s HTTP/1.1\r\n" % (method, path)
        if body is not None:
            head += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
        message = head.encode("latin-1") + self.host_header + headers.encode("latin-1") + b"\r\n"
        if body is not None:
            message += body
        reused = self.sock is not None
        if not reused:
            self._connect()
        try:
            self.sock.sendall(message)
            return self._read_response()
        except _IdleClose:
            if not reused:
                _gone()
        except OSError:
            if not reused:
                _gone()
        self.sock.close()
        self._connect()
        try:
            self.sock.sendall(message)
            return self._read_response()
        except (OSError, _IdleClose):
            _gone()

    def _recv(self):
        data = self.sock.recv(262144)
        if not data:
            raise ConnectionResetError("the Runtime API closed the connection")
        return data

    def _read_response(self):
        buffer = self.buffer
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end >= 0:
                break
            data = self.sock.recv(262144)
            if not data:
                if buffer:
                    _gone()
                raise _IdleClose()
            buffer += data
        lines = buffer[:end].decode("latin-1").split("\r\n")
        buffer = buffer[end + 4:]
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body, buffer = self._read_chunked(buffer)
        else:
            length = int(headers.get("content-length", "0"))
            if len(buffer) < length:
                parts = [buffer]
                have = len(buffer)
                while have < length:
                    data = self._recv()
                    parts.append(data)
                    have += len(data)
                buffer = b"".join(parts)
            body = buffer[:length]
            buffer = buffer[length:]
        self.buffer = buffer
        if headers.get("connection", "").lower() == "close":
            self.sock.close()
            self.sock = None
            self.buffer = b""
        return status, headers, body

    def _read_chunked(self, buffer):
        parts = []
        while True:
            while b"\r\n" not in buffer:
                buffer += self._recv()
            line, _, buffer = buffer.partition(b"\r\n")
            size = int(line.split(b";", 1)[0], 16)
            while len(buffer) < size + 2:
                buffer += self._recv()
            if size == 0:
                # trailers end with an empty line
                while not (buffer.startswith(b"\r\n") or b"\r\n\r\n" in buffer):
                    buffer += self._recv()
                if buffer.startswith(b"\r\n"):
                    return b"".join(parts), buffer[2:]
                return b"".join(parts), buffer[buffer.find(b"\r\n\r\n") + 4:]
            parts.append(buffer[:size])
            buffer = buffer[size + 2:]

    def post(self, path, body, error_type=None):
        headers = "%s: %s\r\n" % (_ERROR_TYPE_HEADER, _header_safe(error_type)) if error_type else ""
        status, _, response = self.request("POST", path, body, headers)
        if status >= 500 or status == 403:
            # 500 (and a bad state) from the Runtime API mean the runtime must exit.
            _write_out("standin runtime: %s returned %d: %s\n" % (path, status, response.decode("utf-8", "replace")))
            _gone()
        return status


class _IdleClose(Exception):
    """The server closed a kept-alive connection before answering."""


def _header_safe(value):
    return "".join(c if " " <= c <= "~" else "?" for c in str(value))[:1024]


def _gone():
    # standin (the Runtime API) went away: end at once so no process is left behind.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    os._exit(1)


# --- output -----------------------------------------------------------------------------------------------------------

class _Unbuffered:
    """Flushes after every write so output reaches standin as it happens (as awslambdaric does)."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        pass

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        count = self.stream.write(msg)
        self.stream.flush()
        return count

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


def _write_out(text):
    sys.stdout.write(text)


def _timestamp():
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % (int(now * 1000) % 1000)


def _log_error(error):
    """Writes an error the way awslambdaric's log sink does: one record, lines joined by \\r (or one JSON line)."""
    if _JSON_LOGS:
        record = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "level": "ERROR"}
        record.update(error)
        _write_out(_dumps(record) + "\n")
        return
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        if error.get("errorType"):
            description += ":"
        description += " " + error["errorMessage"]
    lines = [description]
    trace = error.get("stackTrace")
    if trace is not None:
        lines.append("Traceback (most recent call last):")
        for element in trace:
            if element == "":
                lines.append("")
                continue
            for line in element.splitlines():
                stripped = line.lstrip(" ")
                lines.append("\u00a0" * (len(line) - len(stripped)) + stripped)
    _write_out("\r".join(lines) + "\n")


# --- logging (configured when the function imports logging) -----------------------------------------------------------

_logging_ready = False


def _setup_logging():
    """Gives the root logger Lambda's handler and format: [LEVEL]\\t<time>\\t<request id>\\t<message>, or JSON."""
    global _logging_ready
    if _logging_ready:
        return
    _logging_ready = True
    import logging

    class LambdaLoggerHandler(logging.Handler):
        def emit(self, record):
            try:
                _write_out(self.format(record))
            except Exception:
                self.handleError(record)

    class LambdaLoggerFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = _request_id or ""
            record.tenant_id = _tenant_id
            return True

    logging.Formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    if _JSON_LOGS:
        handler.setFormatter(_json_formatter(logging))
    else:
        handler.setFormatter(
            logging.Formatter(
                "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"
            )
        )
    handler.addFilter(LambdaLoggerFilter())
    root = logging.getLogger()
    level = (_environ.get("AWS_LAMBDA_LOG_LEVEL") or "").upper()
    if level == "TRACE":
        level = "DEBUG"
    if level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        root.setLevel(level)
    elif level == "WARN":
        root.setLevel("WARNING")
    elif level == "FATAL":
        root.setLevel("CRITICAL")
    root.addHandler(handler)


_RESERVED_LOG_FIELDS = frozenset(
    "name msg args levelname levelno pathname filename module exc_info exc_text stack_info lineno funcName created "
    "msecs relativeCreated thread threadName processName process taskName aws_request_id tenant_id _frame_type".split()
)


def _json_formatter(logging):
    """awslambdaric's JsonFormatter (AWS_LAMBDA_LOG_FORMAT=JSON)."""
    import json
    import traceback

    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode

    class JsonFormatter(logging.Formatter):
        def format(self, record):
            record.levelno = min(50, max(0, record.levelno)) // 10 * 10
            record.levelname = logging.getLevelName(record.levelno)
            exc_info = record.exc_info
            result = {
                "timestamp": self.formatTime(record, "%Y-%m-%dT%H:%M:%SZ"),
                "level": record.levelname,
                "message": record.msg if isinstance(record.msg, dict) and not record.args else record.getMessage(),
                "logger": record.name,
                "stackTrace": traceback.format_tb(exc_info[2]) if exc_info else None,
                "errorType": exc_info[0].__name__ if exc_info else None,
                "errorMessage": str(exc_info[1]) if exc_info else None,
                "requestId": getattr(record, "aws_request_id", None),
                "location": "%s:%s:%s" % (record.pathname, record.funcName, record.lineno) if exc_info else None,
            }
            if getattr(record, "tenant_id", None) is not None:
                result["tenantId"] = record.tenant_id
            result.update(
                (key, value)
                for key, value in record.__dict__.items()
                if key not in _RESERVED_LOG_FIELDS and key not in result
            )
            return encode({k: v for k, v in result.items() if v is not None}) + "\n"

    return JsonFormatter()


class _LoggingImportHook:
    """Configures logging right after the function first imports it, so importing it costs nothing otherwise."""

    def find_spec(self, name, path=None, target=None):
        if name != "logging":
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find else None
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _LoggingLoader(spec.loader)
        return spec


class _LoggingLoader:
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec) if hasattr(self.loader, "create_module") else None

    def exec_module(self, module):
        self.loader.exec_module(module)
        sys.modules[module.__name__] = module
        _setup_logging()

    def __getattr__(self, attr):
        return getattr(self.loader, attr)


# --- the context object -----------------------------------------------------------------------------------------------

class CognitoIdentity(object):
    """context.identity, as awslambdaric builds it."""

    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return "CognitoIdentity([cognito_identity_id=%s,cognito_identity_pool_id=%s])" % (
            self.cognito_identity_id,
            self.cognito_identity_pool_id,
        )


class Client(object):
    """context.client_context.client."""

    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]

    def __repr__(self):
        return "Client([%s])" % ",".join("%s=%s" % (f, getattr(self, f)) for f in self.__slots__)


class ClientContext(object):
    """context.client_context."""

    __slots__ = ["custom", "env", "client"]

    def __repr__(self):
        return "ClientContext([custom=%s,env=%s,client=%s])" % (self.custom, self.env, self.client)


def _object_from_dict(cls, values):
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field, None) if isinstance(values, dict) else None)
    return obj


class LambdaContext(object):
    """The handler's second argument, with awslambdaric's attributes and methods."""

    def __init__(self, invoke_id, client_context, cognito_identity, deadline_ms, invoked_function_arn, tenant_id=None):
        self.aws_request_id = invoke_id
        self.log_group_name = _environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = _environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = _environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = _environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = _environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        w3c = {}
        if isinstance(client_context, dict) and "w3c" in client_context:
            raw = client_context.pop("w3c")
            if isinstance(raw, dict):
                w3c = {k: raw[k] for k in ("traceparent", "tracestate", "baggage") if isinstance(raw.get(k), str)}
        self._w3c_fields = w3c
        self.client_context = _object_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _object_from_dict(Client, self.client_context.client)
        self.identity = _object_from_dict(CognitoIdentity, {})
        if isinstance(cognito_identity, dict):
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._epoch_deadline_time_in_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        """Milliseconds left before the function times out (never negative)."""
        delta = self._epoch_deadline_time_in_ms - int(time.time() * 1000)
        return delta if delta > 0 else 0

    def w3c(self):
        """The W3C trace context from the client context."""
        return dict(self._w3c_fields)

    def log(self, msg):
        """Writes msg to the function's log."""
        _write_out(str(msg))

    def __repr__(self):
        return (
            "LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,"
            "memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s,client_context=%s,identity=%s,"
            "tenant_id=%s])"
            % (
                self.aws_request_id,
                self.log_group_name,
                self.log_stream_name,
                self.function_name,
                self.memory_limit_in_mb,
                self.function_version,
                self.invoked_function_arn,
                self.client_context,
                self.identity,
                self.tenant_id,
            )
        )


# --- errors -----------------------------------------------------------------------------------------------------------

def _make_error(message, error_type, stack_trace, request_id=None):
    return {
        "errorMessage": message if message else "",
        "errorType": error_type if error_type else "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def _fault_result(exc, request_id=None):
    """errorType/errorMessage/stackTrace for an exception, without this file's own frames."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    here = __file__
    for index, frame in enumerate(frames):
        if frame.filename != here:
            frames = frames[index:]
            break
    trace = traceback.format_list([(f.filename, f.lineno, f.name, f.line) for f in frames])
    return _make_error(str(exc), type(exc).__name__, trace, request_id)


def _handler_from(handler):
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise _Fault("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (handler, e))
    try:
        if module_name.split(".")[0] in sys.builtin_module_names:
            raise _Fault(
                "Runtime.BuiltInModuleConflict", "Cannot use built-in module %s as a handler module" % module_name
            )
        dotted = module_name.replace("/", ".")
        __import__(dotted)
        module = sys.modules[dotted]
    except ImportError as e:
        raise _Fault("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise _Fault("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, e), trace)
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise _Fault("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))


# --- the loop ---------------------------------------------------------------------------------------------------------

def _init_failed(api, error):
    if _JSON_LOGS:
        warning = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "level": "WARNING",
            "message": _LAMBDA_WARNING,
            "logger": "root",
            "requestId": "",
        }
        _write_out(_dumps(warning) + "\n")
    else:
        _write_out("[WARNING]\t%s\t\t%s\n" % (_timestamp(), _LAMBDA_WARNING))
    _log_error(error)
    api.post(_API + "/init/error", _dumps(error).encode("utf-8"), error["errorType"])
    sys.exit(1)


def _invoke(api, handler, headers, body):
    global _request_id, _tenant_id
    request_id = headers.get("lambda-runtime-aws-request-id", "")
    _request_id = request_id
    _tenant_id = headers.get("lambda-runtime-aws-tenant-id")
    trace_id = headers.get("lambda-runtime-trace-id")
    if trace_id is not None:
        _environ["_X_AMZN_TRACE_ID"] = trace_id
    elif "_X_AMZN_TRACE_ID" in _environ:
        del _environ["_X_AMZN_TRACE_ID"]
    error = None
    try:
        client_context = _parse_header(headers.get("lambda-runtime-client-context"), "Client Context")
        cognito_identity = _parse_header(headers.get("lambda-runtime-cognito-identity"), "Cognito Identity")
        try:
            deadline = int(headers.get("lambda-runtime-deadline-ms", "0"))
        except ValueError:
            deadline = 0
        context = LambdaContext(
            request_id,
            client_context,
            cognito_identity,
            deadline,
            headers.get("lambda-runtime-invoked-function-arn"),
            _tenant_id,
        )
        content_type = headers.get("content-type", "application/json")
        if content_type == "application/json":
            try:
                event = _loads(body.decode("utf-8"))
            except Exception as e:
                raise _Fault("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % e)
        else:
            event = body
        response = handler(event, context)
        if isinstance(response, bytes):
            result = response
        else:
            try:
                result = _dumps(response).encode("utf-8")
            except Exception as e:
                raise _Fault("Runtime.MarshalError", "Unable to marshal response: %s" % e)
    except _Fault as fault:
        error = _make_error(fault.message, fault.error_type, fault.trace, request_id)
    except Exception as e:
        error = _fault_result(e, request_id)
    if not _logging_ready and "logging" in sys.modules:
        _setup_logging()
    path = _API + "/invocation/" + request_id
    if error is None:
        api.post(path + "/response", result)
    else:
        _log_error(error)
        api.post(path + "/error", _dumps(error).encode("utf-8"), error["errorType"])


def _parse_header(value, name):
    if not value:
        return None
    try:
        return _loads(value)
    except Exception as e:
        raise _Fault("Runtime.LambdaContextUnmarshalError", "Unable to parse %s JSON: %s" % (name, e))


def main():
    """Loads the handler, then serves invocations until the Runtime API goes away."""
    sys.stdout = _Unbuffered(sys.stdout)
    sys.stderr = _Unbuffered(sys.stderr)
    task_root = _environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    # sys.path[0] is this file's folder (run as a script, or as standin starts it: `-c "import sys; sys.path[0] =
    # '<folder>'; import standin_runtime; standin_runtime.main()"`, so that its bytecode is cached): the function's
    # code takes its place, as in Lambda.
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and sys.path[0] and os.path.normpath(os.path.abspath(sys.path[0])) == here:
        sys.path[0] = task_root
    else:
        sys.path.insert(0, task_root)
    api = _RuntimeAPI(_environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"))
    if "logging" in sys.modules:
        _setup_logging()
    else:
        sys.meta_path.insert(0, _LoggingImportHook())
    try:
        handler = _handler_from(_environ.get("_HANDLER", ""))
    except _Fault as fault:
        _init_failed(api, _make_error(fault.message, fault.error_type, fault.trace))
    except Exception as e:
        _init_failed(api, _fault_result(e))
    while True:
        status, headers, body = api.request("GET", _NEXT)
        if status != 200:
            if status != 500:  # 500: the instance is being stopped; nothing to say
                _write_out("standin runtime: /next returned %d\n" % status)
            _gone()
        _invoke(api, handler, headers, body)


if __name__ == "__main__":
    main()

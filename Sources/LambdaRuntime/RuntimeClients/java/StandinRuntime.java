// standin's Lambda runtime client for Java (JDK standard library only; compiles with javac 8 and later).
//
// Speaks the Lambda Runtime API (2018-06-01) at $AWS_LAMBDA_RUNTIME_API and runs the handler named by $_HANDLER the
// way AWS's Java runtime (aws-lambda-java-runtime-interface-client with aws-lambda-java-serialization) does:
//
// - Class loading: a URLClassLoader over $LAMBDA_TASK_ROOT (a classes folder, or an extracted fat jar),
//   $LAMBDA_TASK_ROOT/lib/*.jar and /opt/java/lib/*.jar (jars in lexical order), whose parent is the JDK's platform
//   loader (the system loader's parent). This client's own classes are therefore invisible to the function, and
//   com.amazonaws.services.lambda.runtime.* (Context, RequestHandler, ...) is the function's own copy of
//   aws-lambda-java-core; the client looks those interfaces up through the same loader.
// - Handlers: `pkg.Class` (RequestHandler / RequestStreamHandler) and `pkg.Class::method`, with AWS's overload
//   choice (non-bridge first, most parameters first, a trailing Context counting one extra), its init-time
//   instance creation and its error reporting (UserFault semantics: class-not-found and no-such-method are reported
//   on each invoke, a throwing constructor or static initializer is an init error).
// - JSON: a small parser/writer that binds like the runtime's Jackson configuration (public setters or fields,
//   getters on output, nulls omitted, lenient coercions), plus case-insensitive property names and the property
//   renames of the aws-lambda-java-events mixins (Records, eventSourceARN, Sns, DynamoDB's NewImage/S/N..., ...).
//
// The HTTP client is one persistent HTTP/1.1 keep-alive connection over a raw java.net.Socket with TCP_NODELAY.
// For a fast JVM start the code uses no lambdas and no `+` string concatenation (javac 9+ compiles both to
// invokedynamic, whose bootstrap costs tens of milliseconds), no regular expressions and no extra threads.

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UnsupportedEncodingException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

public final class StandinRuntime {
    static final Charset UTF8 = Charset.forName("UTF-8");
    static final Charset LATIN1 = Charset.forName("ISO-8859-1");
    static final String API = "/2018-06-01/runtime";
    static final String CORE = "com.amazonaws.services.lambda.runtime.";
    static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";
    static final byte[] JSON_NULL = {'n', 'u', 'l', 'l'};

    static PrintStream stdout;
    static PrintStream stderr;
    static Api api;
    static ClassLoader userLoader;
    // aws-lambda-java-core's interfaces as the function's class loader sees them (null when absent).
    static Class<?> contextType, loggerType, clientContextType, clientType, cognitoType;
    static Object logger;

    private StandinRuntime() {}

    public static void main(String[] args) {
        try {
            stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
            stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new Error(e);
        }
        System.setOut(stdout);
        System.setErr(stderr);
        api = new Api(env("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"));
        String handlerName = args.length > 0 ? args[0] : env("_HANDLER", "");
        String taskRoot = env("LAMBDA_TASK_ROOT", System.getProperty("user.dir"));
        Handler handler;
        try {
            userLoader = classLoader(taskRoot);
            Thread.currentThread().setContextClassLoader(userLoader);
            handler = Handler.load(handlerName);
        } catch (Fault fault) {
            stderr.print(fault.reportable());
            api.post(cat(API, "/init/error"), fault.body(), "Runtime.BadFunctionCode");
            System.exit(1);
            return;
        } catch (Throwable t) {
            Fault fault = Fault.of(t, true);
            stderr.print(fault.reportable());
            api.post(cat(API, "/init/error"), fault.body(), "Runtime.BadFunctionCode");
            System.exit(1);
            return;
        }
        if (handler.needsContext) installLogger();
        for (;;) {
            api.next();
            String id = api.header("lambda-runtime-aws-request-id", "");
            Ctx.currentRequestId = id;
            Ctx context = new Ctx(Ctx.CONTEXT);
            context.requestId = id;
            context.arn = api.header("lambda-runtime-invoked-function-arn", null);
            context.traceId = api.header("lambda-runtime-trace-id", null);
            context.tenantId = api.header("lambda-runtime-aws-tenant-id", null);
            try {
                context.deadline = Long.parseLong(api.header("lambda-runtime-deadline-ms", "0").trim());
            } catch (NumberFormatException e) {
                context.deadline = 0;
            }
            if (context.traceId != null) {
                System.setProperty(TRACE_PROPERTY, context.traceId);
            } else {
                System.clearProperty(TRACE_PROPERTY);
            }
            byte[] payload = api.body;
            String path = cat(API, "/invocation/", encode(id));
            try {
                Object contextObject = null;
                if (handler.needsContext && contextType != null) {
                    context.identity = Ctx.identity(api.header("lambda-runtime-cognito-identity", null));
                    context.clientContext = Ctx.clientContext(api.header("lambda-runtime-client-context", null));
                    contextObject = context.proxy(contextType);
                }
                byte[] result = handler.call(payload, contextObject);
                flush();
                api.post(cat(path, "/response"), result, null);
                Thread.interrupted(); // clear an interrupt the function left behind
            } catch (Fault fault) {
                stderr.print(fault.reportable());
                flush();
                api.post(cat(path, "/error"), fault.body(), "Runtime.BadFunctionCode");
                if (fault.fatal) System.exit(1);
            } catch (Throwable t) {
                filter(t);
                stderr.print(Fault.of(t, false).reportable());
                flush();
                StringBuilder body = new StringBuilder(512);
                errorJson(body, t, 0);
                api.post(cat(path, "/error"), body.toString().getBytes(UTF8), "Runtime.UserException");
                if (t instanceof VirtualMachineError || t instanceof IOError) System.exit(1);
            }
        }
    }

    // ---- small helpers ---------------------------------------------------------------------------------------------

    static String cat(Object... parts) {
        StringBuilder b = new StringBuilder(64);
        for (Object part : parts) b.append(part);
        return b.toString();
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    static void flush() {
        System.out.flush();
        System.err.flush();
        stdout.flush();
        stderr.flush();
    }

    /** Percent-encodes all but RFC 3986's unreserved characters (a request id in a path). */
    static String encode(String text) {
        StringBuilder b = new StringBuilder(text.length());
        byte[] bytes = text.getBytes(UTF8);
        for (byte value : bytes) {
            int c = value & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Json.HEX[c >> 4]).append(Json.HEX[c & 15]);
            }
        }
        return b.toString();
    }

    /** The function's class loader: the code folder, its lib/*.jar and the layers' /opt/java/lib/*.jar. */
    static ClassLoader classLoader(String taskRoot) throws IOException {
        ArrayList<URL> urls = new ArrayList<URL>();
        File root = new File(taskRoot);
        if (root.isFile()) {
            urls.add(root.getAbsoluteFile().toURI().toURL());
        } else {
            urls.add(new File(cat(root.getAbsolutePath(), "/")).toURI().toURL());
            jars(new File(root, "lib"), urls);
        }
        jars(new File("/opt/java/lib"), urls);
        // The platform loader (Java 9+) or extension loader (Java 8): the JDK without this client's classes.
        ClassLoader parent = ClassLoader.getSystemClassLoader().getParent();
        return new URLClassLoader(urls.toArray(new URL[0]), parent);
    }

    static void jars(File folder, List<URL> urls) throws IOException {
        String[] names = folder.list();
        if (names == null) return;
        Arrays.sort(names);
        for (String name : names) {
            if (name.endsWith(".jar")) urls.add(new File(folder.getAbsoluteFile(), name).toURI().toURL());
        }
    }

    static Class<?> userClass(String name) {
        try {
            return Class.forName(name, false, userLoader);
        } catch (Throwable t) {
            return null;
        }
    }

    /** Points the function's LambdaRuntime.getLogger() at the context logger, as AWS's runtime does. */
    static void installLogger() {
        if (loggerType == null) return;
        try {
            Class<?> runtime = Class.forName(cat(CORE, "LambdaRuntime"), true, userLoader);
            Field field = runtime.getDeclaredField("logger");
            field.setAccessible(true);
            field.set(null, logger());
        } catch (Throwable ignored) {
            // an aws-lambda-java-core without the field: its own logger stays
        }
    }

    static Object logger() {
        if (logger == null && loggerType != null) logger = new Ctx(Ctx.LOGGER).proxy(loggerType);
        return logger;
    }

    // ---- errors ----------------------------------------------------------------------------------------------------

    /** Cuts this client's frames (and everything below them) from a throwable's stack traces, recursively. */
    static Throwable filter(Throwable t) {
        filter(t, Collections.newSetFromMap(new java.util.IdentityHashMap<Throwable, Boolean>()));
        return t;
    }

    private static void filter(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) return;
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; i < trace.length; i++) {
            String name = trace[i].getClassName();
            if (name.equals("StandinRuntime") || name.startsWith("StandinRuntime$")) {
                t.setStackTrace(Arrays.copyOf(trace, i));
                break;
            }
        }
        filter(t.getCause(), seen);
        for (Throwable suppressed : t.getSuppressed()) filter(suppressed, seen);
    }

    static String trace(Throwable t) {
        filter(t);
        StringWriter writer = new StringWriter();
        t.printStackTrace(new PrintWriter(writer));
        return writer.toString();
    }

    static String message(Throwable t) {
        String message = t.getLocalizedMessage();
        return message == null ? t.getClass().getName() : message;
    }

    /** `{"errorMessage", "errorType", "stackTrace": ["pkg.Class.method(File.java:12)", ...], "cause": {...}}`. */
    static void errorJson(StringBuilder b, Throwable t, int depth) {
        b.append("{\"errorMessage\":");
        Json.quote(b, message(t));
        b.append(",\"errorType\":");
        Json.quote(b, t.getClass().getName());
        b.append(",\"stackTrace\":[");
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; i < trace.length; i++) {
            if (i > 0) b.append(',');
            Json.quote(b, trace[i].toString());
        }
        b.append(']');
        Throwable cause = t.getCause();
        if (cause != null && cause != t && depth < 16) {
            b.append(",\"cause\":");
            errorJson(b, cause, depth + 1);
        }
        b.append('}');
    }

    /** A problem with the function's code, reported as AWS's UserFault: a message, an exception type, a trace. */
    static final class Fault extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String msg;
        final String type;
        final String trace;
        final boolean fatal;

        Fault(String msg, String type, String trace, boolean fatal) {
            super(msg, null, false, false);
            this.msg = msg;
            this.type = type;
            this.trace = trace;
            this.fatal = fatal;
        }

        static Fault of(Throwable t, boolean fatal) {
            return new Fault(message(t), t.getClass().getName(), trace(t), fatal);
        }

        static Fault of(String message) {
            return new Fault(message, null, null, false);
        }

        /** The error body: `{"errorMessage": ..., "errorType": ...}`; no stack trace (as AWS), no type if none. */
        byte[] body() {
            StringBuilder b = new StringBuilder(256);
            b.append("{\"errorMessage\":");
            Json.quote(b, msg);
            if (type != null) {
                b.append(",\"errorType\":");
                Json.quote(b, type);
            }
            b.append('}');
            return b.toString().getBytes(UTF8);
        }

        /** What AWS's runtime logs for a fault: `message: type` and the stack trace, or the message alone. */
        String reportable() {
            if (type != null || trace != null) {
                return cat(msg, ": ", type == null ? "" : type, "\n", trace == null ? "" : trace, "\n");
            }
            return cat(msg, "\n");
        }
    }

    // ---- the Runtime API over one keep-alive connection ----------------------------------------------------------

    static final class Api {
        final String host;
        final int port;
        final byte[] fixedHeaders;
        Socket socket;
        InputStream in;
        OutputStream out;
        boolean received;
        int status;
        final HashMap<String, String> headers = new HashMap<String, String>();
        byte[] body;
        private final StringBuilder line = new StringBuilder(128);

        Api(String address) {
            int colon = address.lastIndexOf(':');
            String h = colon < 0 ? address : address.substring(0, colon);
            if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
            host = h.isEmpty() ? "127.0.0.1" : h;
            int p = 9001;
            try {
                if (colon >= 0) p = Integer.parseInt(address.substring(colon + 1).trim());
            } catch (NumberFormatException ignored) {
                // keep the default
            }
            port = p;
            fixedHeaders = cat("Host: ", address, "\r\nUser-Agent: standin-java-runtime\r\n").getBytes(LATIN1);
        }

        String header(String name, String fallback) {
            String value = headers.get(name);
            return value == null ? fallback : value;
        }

        /** GET /invocation/next, waiting as long as it takes; ends the process when standin stops the instance. */
        void next() {
            request("GET", cat(API, "/invocation/next"), null, null);
            if (status != 200) {
                // 500: the instance is being stopped; nothing to say.
                if (status != 500) stdout.println(cat("standin runtime: /next returned ", status));
                System.exit(1);
            }
        }

        void post(String path, byte[] payload, String errorType) {
            request("POST", path, payload, errorType);
            if (status >= 500 || status == 403) {
                stdout.println(cat("standin runtime: ", path, " returned ", status, ": ", new String(body, UTF8)));
                System.exit(1);
            }
        }

        private void request(String method, String path, byte[] payload, String errorType) {
            ByteArrayOutputStream message = new ByteArrayOutputStream(256 + (payload == null ? 0 : payload.length));
            StringBuilder head = new StringBuilder(128);
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            byte[] start = head.toString().getBytes(LATIN1);
            message.write(start, 0, start.length);
            message.write(fixedHeaders, 0, fixedHeaders.length);
            head.setLength(0);
            if (errorType != null) {
                head.append("Lambda-Runtime-Function-Error-Type: ");
                for (int i = 0; i < errorType.length(); i++) {
                    char c = errorType.charAt(i);
                    head.append(c >= 0x20 && c < 0x7f ? c : '?');
                }
                head.append("\r\n");
            }
            if (payload != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
            }
            head.append("\r\n");
            byte[] rest = head.toString().getBytes(LATIN1);
            message.write(rest, 0, rest.length);
            if (payload != null) message.write(payload, 0, payload.length);
            byte[] bytes = message.toByteArray();
            for (int attempt = 0;; attempt++) {
                boolean reused = socket != null;
                try {
                    if (!reused) connect();
                    received = false;
                    out.write(bytes);
                    out.flush();
                    readResponse();
                    return;
                } catch (IOException e) {
                    close();
                    // A kept-alive connection the server closed while idle: send once more on a new one.
                    if (reused && !received && attempt == 0) continue;
                    // standin (the Runtime API) went away: end at once so no process is left behind.
                    System.exit(1);
                }
            }
        }

        private void connect() throws IOException {
            // NO_PROXY: a plain socket, without the SOCKS implementation and the proxy selector it consults.
            Socket s = new Socket(java.net.Proxy.NO_PROXY);
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port));
            s.setSoTimeout(0);
            socket = s;
            in = new BufferedInputStream(s.getInputStream(), 65536);
            out = s.getOutputStream();
        }

        private void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            socket = null;
            in = null;
            out = null;
        }

        private String readLine() throws IOException {
            StringBuilder b = line;
            b.setLength(0);
            for (;;) {
                int c = in.read();
                if (c < 0) throw new EOFException();
                received = true;
                if (c == '\n') break;
                if (c != '\r') b.append((char) c);
            }
            return b.toString();
        }

        private void readResponse() throws IOException {
            String statusLine;
            do {
                statusLine = readLine();
            } while (statusLine.isEmpty());
            int space = statusLine.indexOf(' ');
            int end = statusLine.indexOf(' ', space + 1);
            status = Integer.parseInt(statusLine.substring(space + 1, end < 0 ? statusLine.length() : end).trim());
            headers.clear();
            for (;;) {
                String header = readLine();
                if (header.isEmpty()) break;
                int colon = header.indexOf(':');
                if (colon > 0) {
                    headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            header.substring(colon + 1).trim());
                }
            }
            if (status == 100) {
                readResponse();
                return;
            }
            String encoding = headers.get("transfer-encoding");
            String length = headers.get("content-length");
            boolean closes = "close".equalsIgnoreCase(headers.get("connection")) || statusLine.startsWith("HTTP/1.0");
            if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                ByteArrayOutputStream collected = new ByteArrayOutputStream(1024);
                for (;;) {
                    String sizeLine = readLine();
                    int semicolon = sizeLine.indexOf(';');
                    int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                    if (size == 0) {
                        while (!readLine().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    byte[] chunk = new byte[size];
                    readFully(chunk);
                    collected.write(chunk, 0, size);
                    readLine();
                }
                body = collected.toByteArray();
            } else if (length != null) {
                body = new byte[Integer.parseInt(length.trim())];
                readFully(body);
            } else if (closes && status != 204 && status != 304) {
                ByteArrayOutputStream collected = new ByteArrayOutputStream(1024);
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) > 0;) collected.write(buffer, 0, n);
                body = collected.toByteArray();
            } else {
                body = new byte[0];
            }
            if (closes) close();
        }

        private void readFully(byte[] target) throws IOException {
            int offset = 0;
            while (offset < target.length) {
                int n = in.read(target, offset, target.length - offset);
                if (n < 0) throw new EOFException();
                offset += n;
            }
        }
    }

    // ---- loading the handler (EventHandlerLoader) -----------------------------------------------------------------

    static final class Handler {
        Fault fault;
        Method method;
        Object instance;
        boolean stream;
        boolean needsInput;
        boolean needsOutput;
        boolean needsContext;
        Type inputType;
        Type outputType; // null: the handler returns nothing and the response is `null`

        static Handler faulty(Fault fault) {
            Handler h = new Handler();
            h.fault = fault;
            return h;
        }

        static Handler load(String name) {
            int colon = name.lastIndexOf("::");
            String className = colon < 0 ? name : name.substring(0, colon);
            String methodName = colon < 0 ? null : name.substring(colon + 2);
            if (className.isEmpty() || (methodName != null && methodName.isEmpty())) {
                return faulty(Fault.of(cat("Invalid handler: `", name, "'")));
            }
            contextType = userClass(cat(CORE, "Context"));
            loggerType = userClass(cat(CORE, "LambdaLogger"));
            Class<?> type;
            try {
                type = Class.forName(className, true, userLoader);
            } catch (ClassNotFoundException e) {
                return faulty(new Fault(cat("Class not found: ", className), e.getClass().getName(), trace(e), false));
            } catch (NoClassDefFoundError e) {
                return faulty(loadFault(e, className, false));
            } catch (Throwable t) {
                throw loadFault(t, className, true);
            }
            Handler handler;
            try {
                handler = methodName == null ? forClass(type) : forMethod(type, methodName);
            } catch (Fault f) {
                handler = faulty(f);
            }
            if (handler.fault != null && handler.fault.fatal) throw handler.fault;
            return handler;
        }

        static Fault loadFault(Throwable t, String className, boolean fatal) {
            String detail = t.getMessage() == null ? "" : cat(": ", t.getMessage());
            return new Fault(cat("Error loading class ", className, detail), t.getClass().getName(), trace(t), fatal);
        }

        /** `pkg.Class`: a RequestStreamHandler or a RequestHandler<I, O>. */
        static Handler forClass(Class<?> type) {
            Class<?> streamHandler = userClass(cat(CORE, "RequestStreamHandler"));
            Class<?> requestHandler = userClass(cat(CORE, "RequestHandler"));
            Handler h = new Handler();
            if (streamHandler != null && streamHandler.isAssignableFrom(type)) {
                h.instance = construct(type);
                h.method = interfaceMethod(streamHandler, 3);
                h.stream = true;
                h.needsInput = true;
                h.needsOutput = true;
                h.needsContext = true;
                return h;
            }
            if (requestHandler != null && requestHandler.isAssignableFrom(type)) {
                Type[] types = typeArguments(type, requestHandler);
                if (types == null) {
                    return faulty(Fault.of(cat("Class ", type.getName(),
                            " does not implement RequestHandler with concrete type parameters")));
                }
                if (types.length != 2) {
                    return faulty(Fault.of(cat(
                            "Invalid class signature for RequestHandler. Expected two generic types, got ",
                            types.length)));
                }
                for (int i = 0; i < 2; i++) {
                    if (types[i] instanceof TypeVariable) {
                        Type bound = null;
                        for (Type candidate : ((TypeVariable<?>) types[i]).getBounds()) {
                            if (!Object.class.equals(candidate)) {
                                bound = candidate;
                                break;
                            }
                        }
                        if (bound == null) {
                            return faulty(Fault.of(cat("Class ", type.getName(),
                                    " does not implement RequestHandler with concrete type parameters: parameter ",
                                    types[i], " has no upper bound.")));
                        }
                        types[i] = bound;
                    }
                }
                h.instance = construct(type);
                h.method = interfaceMethod(requestHandler, 2);
                h.inputType = types[0];
                h.outputType = isVoid(types[1]) ? null : types[1];
                h.needsInput = true;
                h.needsContext = true;
                return h;
            }
            return faulty(Fault.of(cat("Class does not implement an appropriate handler interface: ",
                    type.getName())));
        }

        static Method interfaceMethod(Class<?> iface, int parameters) {
            for (Method m : iface.getMethods()) {
                if (m.getName().equals("handleRequest") && m.getParameterTypes().length == parameters) return m;
            }
            throw Fault.of(cat(iface.getName(), " has no handleRequest method"));
        }

        /** `pkg.Class::method`: the best public overload of that name, as AWS chooses it. */
        static Handler forMethod(Class<?> type, String name) {
            Method[] methods;
            try {
                methods = type.getMethods();
            } catch (NoClassDefFoundError e) {
                return faulty(new Fault(cat("Error loading method ", name, " on class ", type.getName()),
                        e.getClass().getName(), trace(e), false));
            }
            ArrayList<Method> candidates = new ArrayList<Method>();
            for (Method m : methods) {
                if (m.getName().equals(name)) candidates.add(m);
            }
            Collections.sort(candidates, new Comparator<Method>() {
                public int compare(Method a, Method b) {
                    if (!a.isBridge() && b.isBridge()) return -1;
                    if (!b.isBridge() && a.isBridge()) return 1;
                    return weight(b) - weight(a);
                }
            });
            for (Method m : candidates) {
                Handler h = overload(type, m);
                if (h != null) return h;
            }
            return faulty(Fault.of(cat("No public method named ", name,
                    " with appropriate method signature found on class ", type.getName())));
        }

        /** Parameters counted for the overload choice; a trailing Context counts twice. */
        static int weight(Method m) {
            Class<?>[] p = m.getParameterTypes();
            return p.length + (p.length > 0 && isContext(p[p.length - 1]) ? 1 : 0);
        }

        static boolean isContext(Type t) {
            return contextType != null && contextType.equals(t);
        }

        static Handler overload(Class<?> type, Method m) {
            Type r = m.getGenericReturnType();
            Type[] p = m.getGenericParameterTypes();
            switch (p.length) {
                case 0:
                    return pojo(type, m, null, r, false);
                case 1:
                    if (InputStream.class.equals(p[0])) return streamMethod(type, m, true, false, false);
                    if (OutputStream.class.equals(p[0])) return streamMethod(type, m, false, true, false);
                    if (isContext(p[0])) return pojo(type, m, null, r, true);
                    return pojo(type, m, p[0], r, false);
                case 2:
                    if (OutputStream.class.equals(p[0])) {
                        if (isContext(p[1])) return streamMethod(type, m, false, true, true);
                        stderr.println("Ignoring two-argument overload because first argument type is OutputStream "
                                + "and second argument type is not Context");
                        return null;
                    }
                    if (isContext(p[0])) {
                        stderr.println("Ignoring two-argument overload because first argument type is Context");
                        return null;
                    }
                    if (InputStream.class.equals(p[0])) {
                        if (OutputStream.class.equals(p[1])) return streamMethod(type, m, true, true, false);
                        if (isContext(p[1])) return streamMethod(type, m, true, false, true);
                        stderr.println(cat("Ignoring two-argument overload because second parameter type, ",
                                rawClass(p[1]).getName(), ", is not OutputStream."));
                        return null;
                    }
                    if (isContext(p[1])) return pojo(type, m, p[0], r, true);
                    stderr.println("Ignoring two-argument overload because second parameter type is not Context");
                    return null;
                case 3:
                    if (InputStream.class.equals(p[0]) && OutputStream.class.equals(p[1]) && isContext(p[2])) {
                        return streamMethod(type, m, true, true, true);
                    }
                    stderr.println("Ignoring three-argument overload because argument signature is not "
                            + "(InputStream, OutputStream, Context");
                    return null;
                default:
                    stderr.println(cat("Ignoring an overload of method ", m.getName(),
                            " because it has too many parameters: Expected at most 3, got ", p.length));
                    return null;
            }
        }

        static Handler pojo(Class<?> type, Method m, Type input, Type output, boolean context) {
            Handler h = new Handler();
            h.method = m;
            h.instance = Modifier.isStatic(m.getModifiers()) ? null : construct(type);
            h.needsInput = input != null;
            h.inputType = input;
            h.outputType = isVoid(output) ? null : output;
            h.needsContext = context;
            return h;
        }

        static Handler streamMethod(Class<?> type, Method m, boolean input, boolean output, boolean context) {
            if (!isVoid(m.getReturnType())) {
                stderr.println(cat("Will ignore return type ", m.getReturnType(), " on byte stream handler"));
            }
            Handler h = new Handler();
            h.method = m;
            h.instance = Modifier.isStatic(m.getModifiers()) ? null : construct(type);
            h.stream = true;
            h.needsInput = input;
            h.needsOutput = output;
            h.needsContext = context;
            return h;
        }

        static boolean isVoid(Type t) {
            return Void.TYPE.equals(t) || (t instanceof Class && Void.class.isAssignableFrom((Class<?>) t));
        }

        /** The handler object, made once at init with the public no-argument constructor. */
        static Object construct(Class<?> type) {
            Constructor<?> constructor;
            try {
                constructor = type.getConstructor();
            } catch (NoSuchMethodException e) {
                Exception problem;
                if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
                    problem = new Exception(cat("Class ", type.getName(),
                            " cannot be instantiated because it is a non-static inner class"));
                } else {
                    problem = new Exception(cat("Class ", type.getName(), " has no public zero-argument constructor"),
                            e);
                }
                throw Fault.of(problem, false);
            } catch (Throwable t) {
                throw Fault.of(t, false);
            }
            try {
                constructor.setAccessible(true);
            } catch (Throwable ignored) {
                // public anyway
            }
            try {
                return constructor.newInstance();
            } catch (InvocationTargetException e) {
                throw Fault.of(e.getCause() == null ? e : e.getCause(), true);
            } catch (InstantiationException e) {
                throw Fault.of(e.getCause() == null ? e : e.getCause(), false);
            } catch (Throwable t) {
                throw Fault.of(t, false);
            }
        }

        /** Runs one invoke: the event's bytes in, the response's bytes out. */
        byte[] call(byte[] payload, Object context) throws Throwable {
            if (fault != null) throw fault;
            if (stream) {
                ByteArrayOutputStream output = new ByteArrayOutputStream(1024);
                Object[] args = new Object[(needsInput ? 1 : 0) + (needsOutput ? 1 : 0) + (needsContext ? 1 : 0)];
                int i = 0;
                if (needsInput) args[i++] = new ByteArrayInputStream(payload);
                if (needsOutput) args[i++] = output;
                if (needsContext) args[i] = context;
                invoke(args);
                return needsOutput ? output.toByteArray() : JSON_NULL;
            }
            Object input = null;
            if (needsInput) {
                try {
                    input = Bind.read(Json.parse(payload), inputType, null, false);
                } catch (Throwable t) {
                    throw new RuntimeException("An error occurred during JSON parsing", filter(t));
                }
            }
            Object[] args = new Object[(needsInput ? 1 : 0) + (needsContext ? 1 : 0)];
            int i = 0;
            if (needsInput) args[i++] = input;
            if (needsContext) args[i] = context;
            Object result = invoke(args);
            if (outputType == null) return JSON_NULL;
            try {
                StringBuilder b = new StringBuilder(256);
                Bind.write(b, result, false, 0);
                return b.toString().getBytes(UTF8);
            } catch (Throwable t) {
                throw new RuntimeException("An error occurred during JSON serialization of response", t);
            }
        }

        private Object invoke(Object[] args) throws Throwable {
            try {
                return method.invoke(instance, args);
            } catch (InvocationTargetException e) {
                throw e.getCause() == null ? e : e.getCause();
            } catch (IllegalAccessException e) {
                method.setAccessible(true);
                try {
                    return method.invoke(instance, args);
                } catch (InvocationTargetException again) {
                    throw again.getCause() == null ? again : again.getCause();
                }
            }
        }
    }

    /** The actual type arguments `start` gives `target` (a generic superinterface/superclass), or null. */
    static Type[] typeArguments(Type start, Class<?> target) {
        ArrayDeque<Type> types = new ArrayDeque<Type>();
        ArrayDeque<Map<TypeVariable<?>, Type>> bindings = new ArrayDeque<Map<TypeVariable<?>, Type>>();
        types.add(start);
        bindings.add(Collections.<TypeVariable<?>, Type>emptyMap());
        while (!types.isEmpty()) {
            Type type = types.poll();
            Map<TypeVariable<?>, Type> outer = bindings.poll();
            Class<?> raw;
            Map<TypeVariable<?>, Type> local = new HashMap<TypeVariable<?>, Type>();
            if (type instanceof ParameterizedType) {
                ParameterizedType p = (ParameterizedType) type;
                if (!(p.getRawType() instanceof Class)) continue;
                raw = (Class<?>) p.getRawType();
                Type[] actual = p.getActualTypeArguments();
                TypeVariable<?>[] variables = raw.getTypeParameters();
                Type[] resolved = new Type[actual.length];
                for (int i = 0; i < actual.length; i++) {
                    resolved[i] = substitute(actual[i], outer);
                    if (i < variables.length) local.put(variables[i], resolved[i]);
                }
                if (raw == target) return resolved;
            } else if (type instanceof Class) {
                raw = (Class<?>) type;
            } else {
                continue;
            }
            for (Type i : raw.getGenericInterfaces()) {
                types.add(i);
                bindings.add(local);
            }
            Type superclass = raw.getGenericSuperclass();
            if (superclass != null) {
                types.add(superclass);
                bindings.add(local);
            }
        }
        return null;
    }

    static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (type instanceof TypeVariable && bindings != null) {
            Type bound = bindings.get(type);
            if (bound != null) return bound;
        }
        return type;
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class) return (Class<?>) type;
        if (type instanceof ParameterizedType) return rawClass(((ParameterizedType) type).getRawType());
        if (type instanceof GenericArrayType) {
            return Array.newInstance(rawClass(((GenericArrayType) type).getGenericComponentType()), 0).getClass();
        }
        if (type instanceof WildcardType) return rawClass(((WildcardType) type).getUpperBounds()[0]);
        if (type instanceof TypeVariable) {
            Type[] bounds = ((TypeVariable<?>) type).getBounds();
            return bounds.length == 0 ? Object.class : rawClass(bounds[0]);
        }
        return Object.class;
    }

    // ---- the context object (LambdaContext, LambdaClientContext, LambdaCognitoIdentity, LambdaContextLogger) ----

    static final class Ctx implements InvocationHandler {
        static final int CONTEXT = 0, LOGGER = 1, CLIENT_CONTEXT = 2, CLIENT = 3, COGNITO = 4;
        static final String[] LEVELS = {"UNDEFINED", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
        static int minimumLevel = -1;
        static final boolean JSON_LOGS = "JSON".equalsIgnoreCase(env("AWS_LAMBDA_LOG_FORMAT", ""));
        static String currentRequestId;

        final int kind;
        String requestId, arn, traceId, tenantId;
        long deadline;
        Object identity, clientContext;
        Map<?, ?> data;

        Ctx(int kind) {
            this.kind = kind;
        }

        Object proxy(Class<?> iface) {
            return Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, this);
        }

        static Object identity(String header) {
            if (header == null || header.isEmpty()) return null;
            if (cognitoType == null) cognitoType = userClass(cat(CORE, "CognitoIdentity"));
            Map<?, ?> map = jsonObject(header);
            if (map == null || cognitoType == null) return null;
            Ctx c = new Ctx(COGNITO);
            c.data = map;
            return c.proxy(cognitoType);
        }

        static Object clientContext(String header) {
            if (header == null || header.isEmpty()) return null;
            if (clientContextType == null) clientContextType = userClass(cat(CORE, "ClientContext"));
            Map<?, ?> map = jsonObject(header);
            if (map == null || clientContextType == null) return null;
            Ctx c = new Ctx(CLIENT_CONTEXT);
            c.data = map;
            return c.proxy(clientContextType);
        }

        static Map<?, ?> jsonObject(String text) {
            try {
                Object value = Bind.untyped(Json.parse(text.getBytes(UTF8)));
                return value instanceof Map ? (Map<?, ?>) value : null;
            } catch (Throwable t) {
                return null;
            }
        }

        String string(String... keys) {
            for (String key : keys) {
                Object value = data.get(key);
                if (value != null) return String.valueOf(value);
            }
            return null;
        }

        Map<String, String> strings(String key) {
            Object value = data.get(key);
            if (!(value instanceof Map)) return null;
            Map<String, String> out = new LinkedHashMap<String, String>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                out.put(String.valueOf(e.getKey()), e.getValue() == null ? null : String.valueOf(e.getValue()));
            }
            return out;
        }

        public Object invoke(Object proxy, Method m, Object[] args) {
            String name = m.getName();
            if (m.getDeclaringClass() == Object.class) {
                if (name.equals("equals")) return proxy == args[0];
                if (name.equals("hashCode")) return System.identityHashCode(proxy);
                return cat("LambdaContext(", kind == CONTEXT ? requestId : String.valueOf(kind), ")");
            }
            Object result = null;
            switch (kind) {
                case CONTEXT:
                    result = contextValue(name);
                    break;
                case LOGGER:
                    if (name.equals("log") && args != null && args.length > 0) log(args);
                    break;
                case CLIENT_CONTEXT:
                    if (name.equals("getClient")) {
                        if (clientType == null) clientType = userClass(cat(CORE, "Client"));
                        Object client = data.get("client");
                        if (client instanceof Map && clientType != null) {
                            Ctx c = new Ctx(CLIENT);
                            c.data = (Map<?, ?>) client;
                            result = c.proxy(clientType);
                        }
                    } else if (name.equals("getCustom")) {
                        result = strings("custom");
                    } else if (name.equals("getEnvironment")) {
                        result = strings("env");
                    }
                    break;
                case CLIENT:
                    if (name.equals("getInstallationId")) result = string("installation_id", "installationId");
                    else if (name.equals("getAppTitle")) result = string("app_title", "appTitle");
                    else if (name.equals("getAppVersionName")) result = string("app_version_name", "appVersionName");
                    else if (name.equals("getAppVersionCode")) result = string("app_version_code", "appVersionCode");
                    else if (name.equals("getAppPackageName")) result = string("app_package_name", "appPackageName");
                    break;
                case COGNITO:
                    if (name.equals("getIdentityId")) result = string("cognitoIdentityId", "identityId");
                    else if (name.equals("getIdentityPoolId")) result = string("cognitoIdentityPoolId", "identityPoolId");
                    break;
                default:
                    break;
            }
            if (result == null) return zero(m.getReturnType());
            return result;
        }

        private Object contextValue(String name) {
            if (name.equals("getAwsRequestId")) return requestId;
            if (name.equals("getLogGroupName")) return System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
            if (name.equals("getLogStreamName")) return System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
            if (name.equals("getFunctionName")) return System.getenv("AWS_LAMBDA_FUNCTION_NAME");
            if (name.equals("getFunctionVersion")) return System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
            if (name.equals("getInvokedFunctionArn")) return arn;
            if (name.equals("getIdentity")) return identity;
            if (name.equals("getClientContext")) return clientContext;
            if (name.equals("getRemainingTimeInMillis")) {
                long delta = deadline - System.currentTimeMillis();
                return (int) Math.max(0, Math.min(Integer.MAX_VALUE, delta));
            }
            if (name.equals("getMemoryLimitInMB")) {
                try {
                    return Integer.parseInt(env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128").trim());
                } catch (NumberFormatException e) {
                    return 128;
                }
            }
            if (name.equals("getLogger")) return logger();
            if (name.equals("getXrayTraceId")) return traceId;
            if (name.equals("getTenantId")) return tenantId;
            return null;
        }

        static Object zero(Class<?> type) {
            if (!type.isPrimitive() || type == void.class) return null;
            if (type == boolean.class) return Boolean.FALSE;
            if (type == char.class) return (char) 0;
            if (type == byte.class) return (byte) 0;
            if (type == short.class) return (short) 0;
            if (type == int.class) return 0;
            if (type == long.class) return 0L;
            if (type == float.class) return 0f;
            return 0d;
        }

        /** `log(String)`, `log(byte[])` and their `(…, LogLevel)` forms, as Lambda's text or JSON log format. */
        static void log(Object[] args) {
            int level = 0;
            if (args.length > 1 && args[1] instanceof Enum) {
                String levelName = ((Enum<?>) args[1]).name();
                for (int i = 0; i < LEVELS.length; i++) {
                    if (LEVELS[i].equals(levelName)) level = i;
                }
            }
            if (minimumLevel < 0) {
                minimumLevel = 0;
                String configured = env("AWS_LAMBDA_LOG_LEVEL", "");
                for (int i = 0; i < LEVELS.length; i++) {
                    if (LEVELS[i].equalsIgnoreCase(configured)) minimumLevel = i;
                }
            }
            if (level != 0 && level < minimumLevel) return;
            byte[] bytes;
            if (args[0] instanceof byte[]) {
                bytes = (byte[]) args[0];
            } else {
                String message = args[0] == null ? "null" : String.valueOf(args[0]);
                if (JSON_LOGS) {
                    StringBuilder b = new StringBuilder(message.length() + 128);
                    b.append("{\"timestamp\":");
                    Json.quote(b, isoMillis(System.currentTimeMillis()));
                    b.append(",\"level\":");
                    Json.quote(b, LEVELS[level]);
                    b.append(",\"message\":");
                    Json.quote(b, message);
                    if (currentRequestId != null) {
                        b.append(",\"AWSRequestId\":");
                        Json.quote(b, currentRequestId);
                    }
                    b.append("}\n");
                    message = b.toString();
                } else if (level != 0) {
                    message = cat("[", LEVELS[level], "] ", message);
                }
                bytes = message.getBytes(UTF8);
            }
            // Each call is one CloudWatch event in Lambda; on a pipe it is one line.
            synchronized (stdout) {
                stdout.write(bytes, 0, bytes.length);
                if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') stdout.write('\n');
                stdout.flush();
            }
        }
    }

    /** `2024-05-06T07:08:09.123Z` for epoch milliseconds. */
    static String isoMillis(long millis) {
        long days = Math.floorDiv(millis, 86400000L);
        long ms = Math.floorMod(millis, 86400000L);
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder b = new StringBuilder(24);
        pad(b, year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2).append('T');
        pad(b, ms / 3600000, 2).append(':');
        pad(b, ms / 60000 % 60, 2).append(':');
        pad(b, ms / 1000 % 60, 2).append('.');
        pad(b, ms % 1000, 3).append('Z');
        return b.toString();
    }

    static StringBuilder pad(StringBuilder b, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) b.append('0');
        return b.append(digits);
    }

    // ---- JSON text ---------------------------------------------------------------------------------------------------

    /** A JSON number as written, converted when its target type is known. */
    static final class JNum {
        final String text;

        JNum(String text) {
            this.text = text;
        }

        boolean integral() {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '.' || c == 'e' || c == 'E' || c == 'N' || c == 'I') return false;
            }
            return true;
        }

        double doubleValue() {
            if (text.equals("NaN")) return Double.NaN;
            if (text.endsWith("Infinity")) return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return Double.parseDouble(text);
        }

        public String toString() {
            return text;
        }
    }

    /**
     * A lenient JSON parser (as the runtime's Jackson factory allows: single quotes, unquoted names, NaN, leading
     * zeros, control characters and any backslash escape). Objects become LinkedHashMaps, arrays ArrayLists,
     * numbers JNums. Text after the first value is ignored, as Jackson's readValue ignores it.
     */
    static final class Json {
        static final char[] HEX = "0123456789abcdef".toCharArray();
        final String s;
        int i;

        Json(String s) {
            this.s = s;
        }

        static Object parse(byte[] bytes) {
            int start = 0;
            if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
                start = 3;
            }
            Json json = new Json(new String(bytes, start, bytes.length - start, UTF8));
            json.space();
            if (json.i >= json.s.length()) {
                throw new IllegalArgumentException("No content to map due to end-of-input");
            }
            return json.value(0);
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(cat(what, " at character ", i));
        }

        private void space() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    i++;
                } else {
                    break;
                }
            }
        }

        private Object value(int depth) {
            if (depth > 2000) throw error("Document nesting depth exceeds the maximum allowed");
            if (i >= s.length()) throw error("Unexpected end-of-input: expected a value");
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                case '\'':
                    return string(c);
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                case 'N':
                    return literal("NaN", new JNum("NaN"));
                case 'I':
                    return literal("Infinity", new JNum("Infinity"));
                default:
                    if (c == '-' || c == '+' || (c >= '0' && c <= '9')) return number();
                    throw error(cat("Unexpected character ('", c, "' (code ", (int) c, ")): expected a valid value"));
            }
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, i)) throw error(cat("Unrecognized token starting with '", s.charAt(i), "'"));
            i += word.length();
            return value;
        }

        private Object number() {
            int start = i;
            if (s.charAt(i) == '-' || s.charAt(i) == '+') i++;
            if (s.startsWith("Infinity", i)) {
                i += 8;
                return new JNum(s.charAt(start) == '-' ? "-Infinity" : "Infinity");
            }
            while (i < s.length()) {
                char c = s.charAt(i);
                if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E'
                        || ((c == '-' || c == '+') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E'))) {
                    i++;
                } else {
                    break;
                }
            }
            String text = s.substring(s.charAt(start) == '+' ? start + 1 : start, i);
            if (text.isEmpty() || text.equals("-")) throw error("Invalid numeric value");
            // leading zeros are allowed (ALLOW_LEADING_ZEROS_FOR_NUMBERS) and dropped
            int digits = text.startsWith("-") ? 1 : 0;
            while (digits < text.length() - 1 && text.charAt(digits) == '0' && Character.isDigit(text.charAt(digits + 1))) {
                text = cat(text.substring(0, digits), text.substring(digits + 1));
            }
            return new JNum(text);
        }

        private String string(char quote) {
            i++;
            StringBuilder b = null;
            int start = i;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == quote) {
                    String text = b == null ? s.substring(start, i) : b.append(s, start, i).toString();
                    i++;
                    return text;
                }
                if (c == '\\') {
                    if (b == null) b = new StringBuilder(i - start + 16);
                    b.append(s, start, i);
                    i++;
                    if (i >= s.length()) break;
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'b': b.append('\b'); break;
                        case 'f': b.append('\f'); break;
                        case 'n': b.append('\n'); break;
                        case 'r': b.append('\r'); break;
                        case 't': b.append('\t'); break;
                        case 'u':
                            if (i + 4 > s.length()) throw error("Unexpected end-of-input in character escape sequence");
                            try {
                                b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            } catch (NumberFormatException x) {
                                throw error("Unexpected character in unicode escape");
                            }
                            i += 4;
                            break;
                        default: b.append(e); break;
                    }
                    start = i;
                } else {
                    i++;
                }
            }
            throw error("Unexpected end-of-input: was expecting closing quote for a string value");
        }

        private String name() {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') return string(c);
            int start = i;
            while (i < s.length()) {
                c = s.charAt(i);
                if (Character.isJavaIdentifierPart(c)) {
                    i++;
                } else {
                    break;
                }
            }
            if (start == i) throw error(cat("Unexpected character ('", c, "'): was expecting double-quote to start field name"));
            return s.substring(start, i);
        }

        private Object object(int depth) {
            i++;
            LinkedHashMap<String, Object> map = new LinkedHashMap<String, Object>();
            space();
            if (i < s.length() && s.charAt(i) == '}') {
                i++;
                return map;
            }
            for (;;) {
                space();
                if (i >= s.length()) throw error("Unexpected end-of-input: expected close marker for Object");
                String key = name();
                space();
                if (i >= s.length() || s.charAt(i) != ':') throw error("Unexpected character: was expecting a colon to separate field name and value");
                i++;
                space();
                map.put(key, value(depth + 1));
                space();
                if (i >= s.length()) throw error("Unexpected end-of-input: expected close marker for Object");
                char c = s.charAt(i++);
                if (c == '}') return map;
                if (c != ',') throw error(cat("Unexpected character ('", c, "'): was expecting comma to separate Object entries"));
            }
        }

        private Object array(int depth) {
            i++;
            ArrayList<Object> list = new ArrayList<Object>();
            space();
            if (i < s.length() && s.charAt(i) == ']') {
                i++;
                return list;
            }
            for (;;) {
                space();
                list.add(value(depth + 1));
                space();
                if (i >= s.length()) throw error("Unexpected end-of-input: expected close marker for Array");
                char c = s.charAt(i++);
                if (c == ']') return list;
                if (c != ',') throw error(cat("Unexpected character ('", c, "'): was expecting comma to separate Array entries"));
            }
        }

        /** A JSON string literal as Jackson writes it (short escapes, \\u00XX for other control characters). */
        static void quote(StringBuilder b, String text) {
            b.append('"');
            int n = text.length();
            for (int k = 0; k < n; k++) {
                char c = text.charAt(k);
                switch (c) {
                    case '"': b.append("\\\""); break;
                    case '\\': b.append("\\\\"); break;
                    case '\n': b.append("\\n"); break;
                    case '\r': b.append("\\r"); break;
                    case '\t': b.append("\\t"); break;
                    case '\b': b.append("\\b"); break;
                    case '\f': b.append("\\f"); break;
                    default:
                        if (c < 0x20) {
                            b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 15]);
                        } else {
                            b.append(c);
                        }
                }
            }
            b.append('"');
        }
    }

    // ---- binding JSON to the handler's types and back (the runtime's Jackson configuration) ----------------------

    /** Reflection facts about one class, gathered on first use. */
    static final class Meta {
        final Class<?> type;
        final boolean event;
        final boolean pascal;
        Constructor<?> constructor;
        Member stringCreator;
        Member longCreator;
        boolean generic;
        boolean s3;
        // setters (Method, or Field for public fields) by property name, exact and lower-cased
        final HashMap<String, List<Member>> setters = new HashMap<String, List<Member>>();
        final HashMap<String, List<Member>> settersLower = new HashMap<String, List<Member>>();
        // output properties in Jackson's order: names and getters (Method or Field)
        ArrayList<String> names;
        ArrayList<Member> getters;

        Meta(Class<?> type) {
            this.type = type;
            String name = type.getName();
            event = name.startsWith("com.amazonaws.services.lambda.runtime.events.")
                    || name.startsWith("com.amazonaws.services.dynamodbv2.model.")
                    || name.startsWith("com.amazonaws.services.s3.event.");
            pascal = name.startsWith("com.amazonaws.services.lambda.runtime.events.SNSEvent");
            s3 = Bind.S3_TYPES.contains(name);
            for (Class<?> k = type; k != null && k != Object.class; k = k.getSuperclass()) {
                if (k.getTypeParameters().length > 0 || k.getGenericSuperclass() instanceof ParameterizedType) {
                    generic = true;
                }
            }
        }
    }

    static final class Bind {
        static final HashMap<Class<?>, Meta> METAS = new HashMap<Class<?>, Meta>();
        static HashMap<String, String[]> aliases;
        static final String EVENTS = "com.amazonaws.services.lambda.runtime.events.";
        static final HashSet<String> S3_TYPES = new HashSet<String>(Arrays.asList(
                "com.amazonaws.services.lambda.runtime.events.S3Event",
                "com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification",
                "com.amazonaws.services.s3.event.S3EventNotification"));
        // Property renames of aws-lambda-java-serialization's event mixins: class, then property=JSON name pairs.
        static final String[] ALIAS_TABLE = {
            "SQSEvent", "records=Records",
            "SQSEvent$SQSMessage", "eventSourceArn=eventSourceARN",
            "SNSEvent", "records=Records",
            "SNSEvent$SNSRecord", "SNS=Sns,sns=Sns",
            "DynamodbEvent", "records=Records",
            "DynamodbEvent$DynamodbStreamRecord", "eventSourceArn=eventSourceARN",
            "models.dynamodb.StreamRecord", "keys=Keys,sizeBytes=SizeBytes,sequenceNumber=SequenceNumber,"
                + "streamViewType=StreamViewType,newImage=NewImage,oldImage=OldImage,"
                + "approximateCreationDateTime=ApproximateCreationDateTime",
            "models.dynamodb.AttributeValue", "s=S,n=N,b=B,m=M,l=L,NULL=NULL,BOOL=BOOL,SS=SS,NS=NS,BS=BS",
            "KinesisEvent", "records=Records",
            "KinesisTimeWindowEvent", "records=Records,eventSourceArn=eventSourceARN",
            "CloudFrontEvent", "records=Records",
            "CodeCommitEvent", "records=Records",
            "CodeCommitEvent$Record", "codeCommit=codecommit,eventSourceArn=eventSourceARN,"
                + "userIdentityArn=userIdentityARN",
            "ScheduledEvent", "detailType=detail-type",
            "CloudWatchLogsEvent", "awsLogs=awslogs",
            "SecretsManagerRotationEvent", "step=Step,secretId=SecretId,clientRequestToken=ClientRequestToken,"
                + "rotationToken=RotationToken",
            "CloudFormationCustomResourceEvent", "requestType=RequestType,serviceToken=ServiceToken,"
                + "physicalResourceId=PhysicalResourceId,responseUrl=ResponseURL,stackId=StackId,"
                + "requestId=RequestId,logicalResourceId=LogicalResourceId,resourceType=ResourceType,"
                + "resourceProperties=ResourceProperties,oldResourceProperties=OldResourceProperties",
            "ConnectEvent", "details=Details,name=Name",
            "ConnectEvent$Details", "contactData=ContactData,parameters=Parameters",
            "ConnectEvent$ContactData", "attributes=Attributes,channel=Channel,contactId=ContactId,"
                + "customerEndpoint=CustomerEndpoint,initialContactId=InitialContactId,"
                + "initiationMethod=InitiationMethod,instanceArn=InstanceARN,previousContactId=PreviousContactId,"
                + "queue=Queue,systemEndpoint=SystemEndpoint",
            "ConnectEvent$CustomerEndpoint", "address=Address,type=Type",
            "ConnectEvent$SystemEndpoint", "address=Address,type=Type",
        };

        static Meta meta(Class<?> type) {
            Meta m = METAS.get(type);
            if (m == null) {
                m = new Meta(type);
                METAS.put(type, m);
                if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers())) findCreators(m);
                findSetters(m);
            }
            return m;
        }

        /** The property renames for a class (and its superclasses), property -> JSON name; null if none. */
        static String[] aliasesOf(Class<?> type) {
            if (aliases == null) {
                aliases = new HashMap<String, String[]>();
                for (int i = 0; i < ALIAS_TABLE.length; i += 2) {
                    String[] pairs = ALIAS_TABLE[i + 1].split(",");
                    String[] flat = new String[pairs.length * 2];
                    for (int k = 0; k < pairs.length; k++) {
                        int eq = pairs[k].indexOf('=');
                        flat[2 * k] = pairs[k].substring(0, eq);
                        flat[2 * k + 1] = pairs[k].substring(eq + 1);
                    }
                    String name = ALIAS_TABLE[i];
                    aliases.put(cat(EVENTS, name), flat);
                    if (name.startsWith("models.dynamodb.")) {
                        aliases.put(cat("com.amazonaws.services.dynamodbv2.model.", name.substring(16)), flat);
                    }
                }
            }
            for (Class<?> k = type; k != null && k != Object.class; k = k.getSuperclass()) {
                String[] found = aliases.get(k.getName());
                if (found != null) return found;
            }
            return null;
        }

        /** `getFooBar` -> `fooBar`, `getURL` -> `URL` (java.beans naming, USE_STD_BEAN_NAMING). */
        static String decapitalize(String name) {
            if (name.isEmpty()) return name;
            if (name.length() > 1 && Character.isUpperCase(name.charAt(0)) && Character.isUpperCase(name.charAt(1))) {
                return name;
            }
            char[] chars = name.toCharArray();
            chars[0] = Character.toLowerCase(chars[0]);
            return new String(chars);
        }

        static void accessible(java.lang.reflect.AccessibleObject member) {
            try {
                member.setAccessible(true);
            } catch (Throwable ignored) {
                // public members work anyway
            }
        }

        static void findCreators(Meta m) {
            Class<?> type = m.type;
            if (type.isPrimitive() || type.isArray() || type.isEnum()) return;
            try {
                for (Constructor<?> c : type.getDeclaredConstructors()) {
                    Class<?>[] p = c.getParameterTypes();
                    if (p.length == 0) {
                        accessible(c);
                        m.constructor = c;
                    } else if (p.length == 1 && (p[0] == String.class || p[0] == CharSequence.class)
                            && Modifier.isPublic(c.getModifiers())) {
                        m.stringCreator = c;
                    } else if (p.length == 1 && (p[0] == long.class || p[0] == Long.class)
                            && Modifier.isPublic(c.getModifiers())) {
                        m.longCreator = c;
                    }
                }
                if (m.stringCreator == null) {
                    for (String name : new String[] {"valueOf", "fromString"}) {
                        for (Method f : type.getMethods()) {
                            Class<?>[] p = f.getParameterTypes();
                            if (f.getName().equals(name) && Modifier.isStatic(f.getModifiers()) && p.length == 1
                                    && (p[0] == String.class || p[0] == CharSequence.class)
                                    && type.isAssignableFrom(f.getReturnType())) {
                                m.stringCreator = f;
                                break;
                            }
                        }
                        if (m.stringCreator != null) break;
                    }
                }
            } catch (Throwable ignored) {
                // a class whose members cannot be listed binds as far as it can
            }
        }

        static void addSetter(Meta m, String property, Member member) {
            List<Member> list = m.setters.get(property);
            if (list == null) {
                list = new ArrayList<Member>(1);
                m.setters.put(property, list);
                String lower = property.toLowerCase(Locale.ROOT);
                if (!m.settersLower.containsKey(lower)) m.settersLower.put(lower, list);
            }
            if (member instanceof Method) {
                Class<?> parameter = ((Method) member).getParameterTypes()[0];
                for (Member existing : list) {
                    if (existing instanceof Method && ((Method) existing).getParameterTypes()[0] == parameter) return;
                }
            }
            list.add(member);
        }

        /** Setters of any visibility (`setX(value)`), then public fields, then the mixin renames. */
        static void findSetters(Meta m) {
            try {
                for (Class<?> k = m.type; k != null && k != Object.class; k = k.getSuperclass()) {
                    for (Method method : k.getDeclaredMethods()) {
                        String name = method.getName();
                        if (name.length() > 3 && name.startsWith("set") && method.getParameterTypes().length == 1
                                && !Modifier.isStatic(method.getModifiers()) && !method.isBridge()
                                && !method.isSynthetic()) {
                            accessible(method);
                            addSetter(m, decapitalize(name.substring(3)), method);
                        }
                    }
                }
                for (Field field : m.type.getFields()) {
                    int mod = field.getModifiers();
                    if (Modifier.isStatic(mod) || Modifier.isFinal(mod) || Modifier.isTransient(mod)) continue;
                    if (!m.setters.containsKey(field.getName())) addSetter(m, field.getName(), field);
                }
            } catch (Throwable ignored) {
                // as far as it goes
            }
            String[] renames = aliasesOf(m.type);
            if (renames != null) {
                for (int i = 0; i < renames.length; i += 2) {
                    List<Member> list = m.setters.get(renames[i]);
                    if (list == null) list = m.settersLower.get(renames[i].toLowerCase(Locale.ROOT));
                    if (list != null && !m.setters.containsKey(renames[i + 1])) m.setters.put(renames[i + 1], list);
                }
            }
        }

        /** Output properties as Jackson orders them: declared fields' order first, then the other getters. */
        static void findGetters(Meta m) {
            final HashMap<String, Integer> order = new HashMap<String, Integer>();
            ArrayList<Class<?>> chain = new ArrayList<Class<?>>();
            for (Class<?> k = m.type; k != null && k != Object.class; k = k.getSuperclass()) chain.add(0, k);
            int index = 0;
            for (Class<?> k : chain) {
                try {
                    for (Field f : k.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers())) continue;
                        String lower = f.getName().toLowerCase(Locale.ROOT);
                        if (!order.containsKey(lower)) order.put(lower, index++);
                    }
                } catch (Throwable ignored) {
                    // no order then
                }
            }
            final LinkedHashMap<String, Member> found = new LinkedHashMap<String, Member>();
            Method[] methods;
            try {
                methods = m.type.getMethods();
            } catch (Throwable t) {
                methods = new Method[0];
            }
            for (Method method : methods) {
                if (Modifier.isStatic(method.getModifiers()) || method.getParameterTypes().length != 0
                        || method.isBridge() || method.getReturnType() == void.class) continue;
                String name = method.getName();
                String property;
                if (name.length() > 3 && name.startsWith("get") && !name.equals("getClass")) {
                    property = decapitalize(name.substring(3));
                } else if (name.length() > 2 && name.startsWith("is") && method.getReturnType() == boolean.class) {
                    property = decapitalize(name.substring(2));
                    if (found.containsKey(property)) continue; // getX wins over isX
                } else {
                    continue;
                }
                accessible(method);
                found.put(property, method);
            }
            try {
                for (Field field : m.type.getFields()) {
                    int mod = field.getModifiers();
                    if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || found.containsKey(field.getName())) continue;
                    found.put(field.getName(), field);
                }
            } catch (Throwable ignored) {
                // no fields then
            }
            ArrayList<String> properties = new ArrayList<String>(found.keySet());
            final HashMap<String, Integer> position = new HashMap<String, Integer>();
            for (int i = 0; i < properties.size(); i++) position.put(properties.get(i), i);
            Collections.sort(properties, new Comparator<String>() {
                public int compare(String a, String b) {
                    Integer fa = order.get(a.toLowerCase(Locale.ROOT));
                    Integer fb = order.get(b.toLowerCase(Locale.ROOT));
                    if (fa != null && fb != null) return fa - fb;
                    if (fa != null) return -1;
                    if (fb != null) return 1;
                    return position.get(a) - position.get(b);
                }
            });
            String[] renames = aliasesOf(m.type);
            ArrayList<String> names = new ArrayList<String>(properties.size());
            ArrayList<Member> getters = new ArrayList<Member>(properties.size());
            for (String property : properties) {
                String name = property;
                boolean renamed = false;
                if (renames != null) {
                    for (int i = 0; i < renames.length; i += 2) {
                        if (renames[i].equals(property)) {
                            name = renames[i + 1];
                            renamed = true;
                            break;
                        }
                    }
                }
                if (!renamed && m.pascal && !name.isEmpty()) {
                    name = cat(Character.toUpperCase(name.charAt(0)), name.substring(1));
                }
                names.add(name);
                getters.add(found.get(property));
            }
            m.names = names;
            m.getters = getters;
        }

        // ---- reading ----

        static IllegalArgumentException mismatch(Type type, Object node) {
            String what = node instanceof Map ? "Object value" : node instanceof List ? "Array value"
                    : node instanceof String ? cat("String value (\"", node, "\")")
                    : node instanceof Boolean ? "Boolean value" : cat("Number value (", node, ")");
            return new IllegalArgumentException(cat("Cannot deserialize value of type `", typeName(type),
                    "` from ", what));
        }

        static String typeName(Type type) {
            return type instanceof Class ? ((Class<?>) type).getName() : String.valueOf(type);
        }

        /** Generic JSON: LinkedHashMap, ArrayList, String, Integer/Long/BigInteger/Double, Boolean, null. */
        static Object untyped(Object node) {
            if (node instanceof Map) {
                LinkedHashMap<String, Object> out = new LinkedHashMap<String, Object>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) out.put((String) e.getKey(), untyped(e.getValue()));
                return out;
            }
            if (node instanceof List) {
                List<?> list = (List<?>) node;
                ArrayList<Object> out = new ArrayList<Object>(list.size());
                for (Object o : list) out.add(untyped(o));
                return out;
            }
            if (node instanceof JNum) {
                JNum n = (JNum) node;
                if (n.integral()) {
                    BigInteger big = new BigInteger(n.text);
                    if (big.bitLength() < 32) return big.intValue();
                    if (big.bitLength() < 64) return big.longValue();
                    return big;
                }
                return n.doubleValue();
            }
            return node;
        }

        static Object read(Object node, Type type, Map<TypeVariable<?>, Type> env, boolean event) throws Exception {
            if (type instanceof Class) return readClass(node, (Class<?>) type, null, env, event);
            if (type instanceof ParameterizedType) {
                ParameterizedType p = (ParameterizedType) type;
                return readClass(node, rawClass(p.getRawType()), p.getActualTypeArguments(), env, event);
            }
            if (type instanceof GenericArrayType) {
                Type component = ((GenericArrayType) type).getGenericComponentType();
                return readArray(node, rawClass(substitute(component, env)), component, env, event);
            }
            if (type instanceof WildcardType) return read(node, ((WildcardType) type).getUpperBounds()[0], env, event);
            if (type instanceof TypeVariable) {
                Type bound = env == null ? null : env.get(type);
                if (bound != null && bound != type) return read(node, bound, null, event);
                Type[] bounds = ((TypeVariable<?>) type).getBounds();
                return read(node, bounds.length == 0 ? Object.class : bounds[0], env, event);
            }
            return untyped(node);
        }

        static Type argument(Type[] args, int index, Map<TypeVariable<?>, Type> env) {
            if (args == null || index >= args.length) return Object.class;
            return substitute(args[index], env);
        }

        static Object readClass(Object node, Class<?> c, Type[] args, Map<TypeVariable<?>, Type> env, boolean event)
                throws Exception {
            if (c == Object.class) return untyped(node);
            if (node == null) {
                if (c.isPrimitive()) return Ctx.zero(c);
                if (c == Optional.class) return Optional.empty();
                return null;
            }
            if (c == String.class || c == CharSequence.class) return text(node, c);
            if (c.isPrimitive() || c == Boolean.class || c == Character.class || Number.class.isAssignableFrom(c)
                    && (c.getName().startsWith("java.lang.") || c == BigDecimal.class || c == BigInteger.class)) {
                return scalar(node, c);
            }
            if (c.isEnum()) return readEnum(node, c);
            if (c.isArray()) {
                Class<?> component = c.getComponentType();
                return readArray(node, component, component, env, event);
            }
            if (Collection.class.isAssignableFrom(c) || c == Iterable.class) {
                Type element = args != null ? argument(args, 0, env) : elementType(c, Collection.class, 0);
                return readCollection(node, c, element, env, event);
            }
            if (Map.class.isAssignableFrom(c)) {
                Type key = args != null ? argument(args, 0, env) : elementType(c, Map.class, 0);
                Type value = args != null ? argument(args, 1, env) : elementType(c, Map.class, 1);
                return readMap(node, c, key, value, env, event);
            }
            if (c == Optional.class) return Optional.ofNullable(read(node, argument(args, 0, env), env, event));
            Object special = special(node, c, event);
            if (special != NONE) return special;
            if (node instanceof List) {
                List<?> list = (List<?>) node;
                if (list.isEmpty()) return null; // ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT
                if (list.size() == 1) return readClass(list.get(0), c, args, env, event); // UNWRAP_SINGLE_VALUE_ARRAYS
                throw mismatch(c, node);
            }
            return readBean(node, c, args, env);
        }

        static final Object NONE = new Object();

        static Type elementType(Class<?> c, Class<?> base, int index) {
            Type[] found = typeArguments(c, base);
            if (found == null || index >= found.length || found[index] instanceof TypeVariable) return Object.class;
            return found[index];
        }

        static String text(Object node, Type type) {
            if (node instanceof String) return (String) node;
            if (node instanceof JNum || node instanceof Boolean) return node.toString();
            if (node instanceof List && ((List<?>) node).size() == 1) return text(((List<?>) node).get(0), type);
            if (node == null) return null;
            throw mismatch(type, node);
        }

        static Object scalar(Object node, Class<?> c) {
            if (node instanceof List) {
                List<?> list = (List<?>) node;
                if (list.size() == 1) return scalar(list.get(0), c);
                throw mismatch(c, node);
            }
            if (node instanceof Map) throw mismatch(c, node);
            Class<?> boxed = box(c);
            if (boxed == Boolean.class) {
                if (node instanceof Boolean) return node;
                if (node instanceof JNum) return ((JNum) node).doubleValue() != 0;
                String s = ((String) node).trim();
                if (s.equalsIgnoreCase("true")) return Boolean.TRUE;
                if (s.equalsIgnoreCase("false")) return Boolean.FALSE;
                if (s.isEmpty()) return c.isPrimitive() ? Boolean.FALSE : null;
                throw new IllegalArgumentException(cat("Cannot deserialize value of type `", c.getName(),
                        "` from String \"", s, "\": only \"true\" or \"false\" recognized"));
            }
            if (boxed == Character.class) {
                if (node instanceof String && ((String) node).length() == 1) return ((String) node).charAt(0);
                if (node instanceof JNum && ((JNum) node).integral()) return (char) Integer.parseInt(((JNum) node).text);
                if ("".equals(node)) return c.isPrimitive() ? Character.valueOf((char) 0) : null;
                throw mismatch(c, node);
            }
            String digits;
            if (node instanceof JNum) {
                digits = ((JNum) node).text;
            } else if (node instanceof String) {
                digits = ((String) node).trim();
                if (digits.isEmpty()) return c.isPrimitive() ? Ctx.zero(c) : null;
            } else {
                throw mismatch(c, node);
            }
            try {
                return number(digits, boxed);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(cat("Cannot deserialize value of type `", c.getName(),
                        "` from String \"", digits, "\": not a valid representation"));
            }
        }

        static Object number(String digits, Class<?> boxed) {
            JNum n = new JNum(digits);
            boolean integral = n.integral();
            if (boxed == Integer.class) {
                if (integral) return Integer.parseInt(digits);
                return (int) n.doubleValue();
            }
            if (boxed == Long.class) {
                if (integral) return Long.parseLong(digits);
                return (long) n.doubleValue();
            }
            if (boxed == Short.class) return integral ? Short.parseShort(digits) : (short) n.doubleValue();
            if (boxed == Byte.class) {
                int value = integral ? Integer.parseInt(digits) : (int) n.doubleValue();
                if (value < -128 || value > 255) throw new IllegalArgumentException(cat("Numeric value (", digits,
                        ") out of range of Java byte"));
                return (byte) value;
            }
            if (boxed == Double.class) return n.doubleValue();
            if (boxed == Float.class) return (float) n.doubleValue();
            if (boxed == BigDecimal.class) return new BigDecimal(digits);
            if (boxed == BigInteger.class) return integral ? new BigInteger(digits) : new BigDecimal(digits).toBigInteger();
            return untyped(n); // Number
        }

        static Class<?> box(Class<?> c) {
            if (!c.isPrimitive()) return c;
            if (c == int.class) return Integer.class;
            if (c == long.class) return Long.class;
            if (c == boolean.class) return Boolean.class;
            if (c == double.class) return Double.class;
            if (c == float.class) return Float.class;
            if (c == short.class) return Short.class;
            if (c == byte.class) return Byte.class;
            if (c == char.class) return Character.class;
            return c;
        }

        @SuppressWarnings({"rawtypes", "unchecked"})
        static Object readEnum(Object node, Class<?> c) {
            if (node instanceof List && ((List<?>) node).size() == 1) return readEnum(((List<?>) node).get(0), c);
            Object[] constants = c.getEnumConstants();
            if (node instanceof JNum && ((JNum) node).integral()) {
                int index = Integer.parseInt(((JNum) node).text);
                return index >= 0 && index < constants.length ? constants[index] : null;
            }
            if (!(node instanceof String)) throw mismatch(c, node);
            String s = (String) node;
            for (Object constant : constants) {
                if (((Enum) constant).name().equals(s)) return constant;
            }
            for (Object constant : constants) {
                if (((Enum) constant).name().equalsIgnoreCase(s) || constant.toString().equals(s)) return constant;
            }
            return null; // READ_UNKNOWN_ENUM_VALUES_AS_NULL
        }

        static Object readArray(Object node, Class<?> component, Type componentType, Map<TypeVariable<?>, Type> env,
                boolean event) throws Exception {
            if (component == byte.class && node instanceof String) return java.util.Base64.getMimeDecoder().decode((String) node);
            if (component == char.class && node instanceof String) return ((String) node).toCharArray();
            List<?> list = node instanceof List ? (List<?>) node : Collections.singletonList(node);
            Object array = Array.newInstance(component, list.size());
            for (int i = 0; i < list.size(); i++) {
                Object value = read(list.get(i), componentType, env, event);
                if (value == null && component.isPrimitive()) value = Ctx.zero(component);
                Array.set(array, i, value);
            }
            return array;
        }

        @SuppressWarnings({"rawtypes", "unchecked"})
        static Object readCollection(Object node, Class<?> c, Type element, Map<TypeVariable<?>, Type> env,
                boolean event) throws Exception {
            if ("".equals(node)) return null;
            List<?> list = node instanceof List ? (List<?>) node : Collections.singletonList(node);
            Collection out;
            if (c.isAssignableFrom(ArrayList.class)) {
                out = new ArrayList(list.size());
            } else if (EnumSet.class.isAssignableFrom(c)) {
                out = EnumSet.noneOf((Class) rawClass(element));
            } else if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
                if (c.isAssignableFrom(HashSet.class)) {
                    out = new HashSet();
                } else if (c.isAssignableFrom(TreeSet.class)) {
                    out = new TreeSet();
                } else if (c.isAssignableFrom(ArrayDeque.class)) {
                    out = new ArrayDeque();
                } else if (c.isAssignableFrom(LinkedList.class)) {
                    out = new LinkedList();
                } else {
                    throw new IllegalArgumentException(cat("Cannot construct instance of `", c.getName(),
                            "` (no Creators, like default constructor, exist): abstract types either need to be mapped to concrete types"));
                }
            } else {
                out = (Collection) instantiate(c);
            }
            for (Object item : list) out.add(read(item, element, env, event));
            return out;
        }

        @SuppressWarnings({"rawtypes", "unchecked"})
        static Object readMap(Object node, Class<?> c, Type keyType, Type valueType, Map<TypeVariable<?>, Type> env,
                boolean event) throws Exception {
            if ("".equals(node)) return null;
            if (node instanceof List && ((List<?>) node).size() == 1) node = ((List<?>) node).get(0);
            if (!(node instanceof Map)) throw mismatch(c, node);
            Map out;
            if (c.isAssignableFrom(LinkedHashMap.class)) {
                out = new LinkedHashMap();
            } else if (EnumMap.class.isAssignableFrom(c)) {
                out = new EnumMap((Class) rawClass(keyType));
            } else if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
                if (c.isAssignableFrom(TreeMap.class)) {
                    out = new TreeMap();
                } else if (c.isAssignableFrom(java.util.concurrent.ConcurrentHashMap.class)) {
                    out = new java.util.concurrent.ConcurrentHashMap();
                } else {
                    throw new IllegalArgumentException(cat("Cannot construct instance of `", c.getName(), "`"));
                }
            } else {
                out = (Map) instantiate(c);
            }
            Class<?> keyClass = rawClass(substitute(keyType, env));
            for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) {
                Object key = e.getKey();
                if (keyClass != String.class && keyClass != Object.class && keyClass != CharSequence.class) {
                    key = read(key, keyType, env, event);
                }
                Object value = read(e.getValue(), valueType, env, event);
                if (value == null && out instanceof java.util.concurrent.ConcurrentMap) continue;
                out.put(key, value);
            }
            return out;
        }

        static Object instantiate(Class<?> c) throws Exception {
            Meta m = meta(c);
            if (m.constructor == null) {
                if (c.getEnclosingClass() != null && !Modifier.isStatic(c.getModifiers())) {
                    throw new IllegalArgumentException(cat("Cannot construct instance of `", c.getName(),
                            "`: non-static inner classes like this can only by instantiated using default, no-argument constructor"));
                }
                throw new IllegalArgumentException(cat("Cannot construct instance of `", c.getName(),
                        "` (no Creators, like default constructor, exist): cannot deserialize from Object value (no delegate- or property-based Creator)"));
            }
            try {
                return m.constructor.newInstance();
            } catch (InvocationTargetException e) {
                throw unwrap(e);
            }
        }

        static Exception unwrap(InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) return (Exception) cause;
            if (cause instanceof Error) throw (Error) cause;
            return e;
        }

        static Object create(Member creator, Object argument) throws Exception {
            try {
                if (creator instanceof Constructor) return ((Constructor<?>) creator).newInstance(argument);
                return ((Method) creator).invoke(null, argument);
            } catch (InvocationTargetException e) {
                throw unwrap(e);
            }
        }

        /** Bean binding: the no-arg constructor, then each JSON member through its setter (or public field). */
        static Object readBean(Object node, Class<?> c, Type[] args, Map<TypeVariable<?>, Type> outer) throws Exception {
            Meta m = meta(c);
            if (node instanceof String) {
                if (m.stringCreator != null) return create(m.stringCreator, node);
                if (((String) node).isEmpty()) return null; // ACCEPT_EMPTY_STRING_AS_NULL_OBJECT
                throw mismatch(c, node);
            }
            if (node instanceof JNum && m.longCreator != null && ((JNum) node).integral()) {
                return create(m.longCreator, Long.parseLong(((JNum) node).text));
            }
            if (!(node instanceof Map)) throw mismatch(c, node);
            if (m.s3) return S3.read((Map<?, ?>) node, c);
            if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
                throw new IllegalArgumentException(cat("Cannot construct instance of `", c.getName(),
                        "` (no Creators, like default constructor, exist): abstract types either need to be mapped to concrete types, have custom deserializer, or contain additional type information"));
            }
            Object bean = instantiate(c);
            Map<TypeVariable<?>, Type> env = m.generic ? beanEnv(c, args, outer) : null;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) {
                String key = (String) e.getKey();
                List<Member> candidates = m.setters.get(key);
                if (candidates == null) candidates = m.settersLower.get(key.toLowerCase(Locale.ROOT));
                if (candidates == null && key.length() > 2 && key.startsWith("is")) {
                    candidates = m.settersLower.get(key.substring(2).toLowerCase(Locale.ROOT));
                }
                if (candidates == null) continue; // FAIL_ON_UNKNOWN_PROPERTIES is off
                Member target = choose(candidates, e.getValue());
                Object child = e.getValue();
                try {
                    if (target instanceof Method) {
                        Method setter = (Method) target;
                        Object value = read(child, setter.getGenericParameterTypes()[0], env, m.event);
                        if (value == null && setter.getParameterTypes()[0].isPrimitive()) {
                            value = Ctx.zero(setter.getParameterTypes()[0]);
                        }
                        setter.invoke(bean, value);
                    } else {
                        Field field = (Field) target;
                        Object value = read(child, field.getGenericType(), env, m.event);
                        if (value == null && field.getType().isPrimitive()) value = Ctx.zero(field.getType());
                        field.set(bean, value);
                    }
                } catch (InvocationTargetException x) {
                    throw unwrap(x);
                } catch (IllegalArgumentException x) {
                    throw new IllegalArgumentException(cat(x.getMessage(), " (through reference chain: ",
                            c.getName(), "[\"", key, "\"])"), x);
                }
            }
            return bean;
        }

        /** Among overloaded setters, the one whose parameter suits the JSON value best. */
        static Member choose(List<Member> candidates, Object node) {
            if (candidates.size() == 1) return candidates.get(0);
            Member best = candidates.get(0);
            int bestScore = -1;
            for (Member member : candidates) {
                Class<?> p = member instanceof Method ? ((Method) member).getParameterTypes()[0] : ((Field) member).getType();
                int score = 0;
                if (node instanceof String) {
                    score = p == String.class ? 3 : p.isEnum() ? 2 : 1;
                } else if (node instanceof JNum) {
                    score = p.isPrimitive() || Number.class.isAssignableFrom(p) ? 3 : p == String.class ? 2 : 1;
                } else if (node instanceof Boolean) {
                    score = box(p) == Boolean.class ? 3 : 1;
                } else if (node instanceof Map) {
                    score = Map.class.isAssignableFrom(p) || !(p.isPrimitive() || p == String.class
                            || Collection.class.isAssignableFrom(p) || p.isArray()) ? 3 : 1;
                } else if (node instanceof List) {
                    score = Collection.class.isAssignableFrom(p) || p.isArray() ? 3 : 1;
                }
                if (score > bestScore) {
                    best = member;
                    bestScore = score;
                }
            }
            return best;
        }

        /** Type-variable bindings for a generic bean: its own parameters and those it gives its superclasses. */
        static Map<TypeVariable<?>, Type> beanEnv(Class<?> c, Type[] args, Map<TypeVariable<?>, Type> outer) {
            HashMap<TypeVariable<?>, Type> env = new HashMap<TypeVariable<?>, Type>();
            TypeVariable<?>[] variables = c.getTypeParameters();
            if (args != null) {
                for (int i = 0; i < variables.length && i < args.length; i++) env.put(variables[i], substitute(args[i], outer));
            }
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                Type s = k.getGenericSuperclass();
                if (s instanceof ParameterizedType) {
                    ParameterizedType p = (ParameterizedType) s;
                    TypeVariable<?>[] vs = rawClass(p.getRawType()).getTypeParameters();
                    Type[] actual = p.getActualTypeArguments();
                    for (int i = 0; i < vs.length && i < actual.length; i++) env.put(vs[i], substitute(actual[i], env));
                }
            }
            return env;
        }

        /** Values that are not beans: dates, times, buffers, UUIDs and other string-like JDK and Joda types. */
        static Object special(Object node, Class<?> c, boolean event) throws Exception {
            String name = c.getName();
            if (node instanceof List && ((List<?>) node).size() == 1 && c != ByteBuffer.class
                    && !name.startsWith("java.time.")) {
                return special(((List<?>) node).get(0), c, event);
            }
            if (c == Date.class || c == java.sql.Timestamp.class || c == java.sql.Date.class || c == Calendar.class) {
                Long millis;
                if (node instanceof JNum) {
                    double value = ((JNum) node).doubleValue();
                    if (event) {
                        if (value == 0.0) return null; // the events' DateModule: fractional epoch seconds
                        value = value * 1000.0;
                    }
                    millis = (long) value;
                } else if (node instanceof String) {
                    String s = ((String) node).trim();
                    if (s.isEmpty()) return null;
                    millis = parseDate(s);
                } else {
                    throw mismatch(c, node);
                }
                if (c == Calendar.class) {
                    Calendar calendar = Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC"));
                    calendar.setTimeInMillis(millis);
                    return calendar;
                }
                if (c == java.sql.Timestamp.class) return new java.sql.Timestamp(millis);
                if (c == java.sql.Date.class) return new java.sql.Date(millis);
                return new Date(millis);
            }
            if (c == ByteBuffer.class) {
                if (node instanceof String) return ByteBuffer.wrap(java.util.Base64.getMimeDecoder().decode((String) node));
                if (node instanceof List) return ByteBuffer.wrap((byte[]) readArray(node, byte.class, byte.class, null, event));
                throw mismatch(c, node);
            }
            if (name.startsWith("java.time.")) return time(node, c);
            if (name.startsWith("org.joda.time.")) {
                if (node instanceof JNum && meta(c).longCreator != null) {
                    return create(meta(c).longCreator, (long) ((JNum) node).doubleValue());
                }
                if (node instanceof String) {
                    if (((String) node).isEmpty()) return null;
                    Method parse = c.getMethod("parse", String.class);
                    return parse.invoke(null, node);
                }
                throw mismatch(c, node);
            }
            if (c == java.util.UUID.class) return java.util.UUID.fromString(text(node, c));
            if (c == java.net.URI.class) return java.net.URI.create(text(node, c));
            if (c == URL.class) return java.net.URI.create(text(node, c)).toURL();
            if (c == File.class) return new File(text(node, c));
            if (c == Locale.class) return Locale.forLanguageTag(text(node, c).replace('_', '-'));
            if (c == java.util.TimeZone.class) return java.util.TimeZone.getTimeZone(text(node, c));
            if (c == java.util.Currency.class) return java.util.Currency.getInstance(text(node, c));
            if (c == Charset.class) return Charset.forName(text(node, c));
            if (c == java.util.regex.Pattern.class) return java.util.regex.Pattern.compile(text(node, c));
            if (c == Class.class) return Class.forName(text(node, c), false, userLoader);
            if (c == java.util.OptionalInt.class) {
                return node == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of((Integer) scalar(node, int.class));
            }
            if (c == java.util.OptionalLong.class) {
                return node == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of((Long) scalar(node, long.class));
            }
            if (c == java.util.OptionalDouble.class) {
                return node == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of((Double) scalar(node, double.class));
            }
            if (c == java.util.concurrent.atomic.AtomicInteger.class) return new java.util.concurrent.atomic.AtomicInteger((Integer) scalar(node, int.class));
            if (c == java.util.concurrent.atomic.AtomicLong.class) return new java.util.concurrent.atomic.AtomicLong((Long) scalar(node, long.class));
            if (c == java.util.concurrent.atomic.AtomicBoolean.class) return new java.util.concurrent.atomic.AtomicBoolean((Boolean) scalar(node, boolean.class));
            return NONE;
        }

        /** Jackson's StdDateFormat: epoch milliseconds as text, ISO-8601 date-times (zone optional) or dates. */
        static long parseDate(String s) {
            boolean numeric = true;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(Character.isDigit(c) || (i == 0 && c == '-'))) numeric = false;
            }
            if (numeric) return Long.parseLong(s);
            String text = s;
            int n = text.length();
            // "+0000" -> "+00:00"
            if (n > 5 && (text.charAt(n - 5) == '+' || text.charAt(n - 5) == '-') && Character.isDigit(text.charAt(n - 1))
                    && text.indexOf('T') > 0 && text.lastIndexOf(':') < n - 5) {
                text = cat(text.substring(0, n - 2), ":", text.substring(n - 2));
            }
            try {
                return java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (RuntimeException e) {
                // no zone
            }
            try {
                return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
            } catch (RuntimeException e) {
                // a date alone
            }
            try {
                return java.time.LocalDate.parse(text).atStartOfDay().toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(cat("Cannot deserialize value of type `java.util.Date` from String \"",
                        s, "\": not a valid representation"));
            }
        }

        /** java.time values (JavaTimeModule): ISO strings, epoch seconds for instants, [y, m, d, ...] arrays. */
        static Object time(Object node, Class<?> c) throws Exception {
            if (node instanceof String && ((String) node).isEmpty()) return null;
            if (node instanceof JNum) {
                BigDecimal value = new BigDecimal(((JNum) node).text);
                long seconds = value.longValue();
                int nanos = value.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).intValue();
                java.time.Instant instant = java.time.Instant.ofEpochSecond(seconds, nanos);
                if (c == java.time.Instant.class) return instant;
                if (c == java.time.ZonedDateTime.class) return instant.atZone(java.time.ZoneOffset.UTC);
                if (c == java.time.OffsetDateTime.class) return instant.atOffset(java.time.ZoneOffset.UTC);
                if (c == java.time.Duration.class) return java.time.Duration.ofSeconds(seconds, nanos);
                if (c == java.time.LocalDate.class) return java.time.LocalDate.ofEpochDay(seconds);
                if (c == java.time.Year.class) return java.time.Year.of((int) seconds);
                throw mismatch(c, node);
            }
            if (node instanceof List) {
                List<?> list = (List<?>) node;
                int[] v = new int[7];
                for (int i = 0; i < list.size() && i < 7; i++) v[i] = (Integer) scalar(list.get(i), int.class);
                if (c == java.time.LocalDate.class) return java.time.LocalDate.of(v[0], v[1], v[2]);
                if (c == java.time.LocalDateTime.class) return java.time.LocalDateTime.of(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
                if (c == java.time.LocalTime.class) return java.time.LocalTime.of(v[0], v[1], v[2], v[3]);
                if (c == java.time.YearMonth.class) return java.time.YearMonth.of(v[0], v[1]);
                throw mismatch(c, node);
            }
            if (!(node instanceof String)) throw mismatch(c, node);
            String s = ((String) node).trim();
            if (c == java.time.LocalDateTime.class && s.endsWith("Z")) s = s.substring(0, s.length() - 1);
            if (c == java.time.ZoneId.class) return java.time.ZoneId.of(s);
            for (Method f : c.getMethods()) {
                Class<?>[] p = f.getParameterTypes();
                if (f.getName().equals("parse") && p.length == 1 && p[0] == CharSequence.class && Modifier.isStatic(f.getModifiers())) {
                    try {
                        return f.invoke(null, s);
                    } catch (InvocationTargetException e) {
                        throw unwrap(e);
                    }
                }
            }
            throw mismatch(c, node);
        }

        // ---- writing ----

        /** Writes `value` as JSON the way the runtime's Jackson configuration does (null properties omitted). */
        @SuppressWarnings("rawtypes")
        static void write(StringBuilder b, Object value, boolean event, int depth) throws Exception {
            if (depth > 1000) throw new IllegalStateException("Infinite recursion (StackOverflowError) or a cycle in the response object");
            if (value == null) {
                b.append("null");
                return;
            }
            if (value instanceof String) {
                Json.quote(b, (String) value);
                return;
            }
            if (value instanceof Boolean) {
                b.append(((Boolean) value).booleanValue());
                return;
            }
            if (value instanceof Number) {
                if (value instanceof Double || value instanceof Float) {
                    double d = ((Number) value).doubleValue();
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        Json.quote(b, value.toString()); // WRITE_NAN_AS_STRINGS
                    } else {
                        b.append(value.toString());
                    }
                    return;
                }
                if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                        || value instanceof BigInteger || value instanceof BigDecimal
                        || value instanceof java.util.concurrent.atomic.AtomicInteger
                        || value instanceof java.util.concurrent.atomic.AtomicLong) {
                    b.append(value.toString());
                    return;
                }
            }
            if (value instanceof Character || value instanceof CharSequence) {
                Json.quote(b, value.toString());
                return;
            }
            if (value instanceof Enum) {
                Json.quote(b, ((Enum) value).name());
                return;
            }
            if (value instanceof Map) {
                b.append('{');
                boolean first = true;
                for (Object o : ((Map) value).entrySet()) {
                    Map.Entry e = (Map.Entry) o;
                    if (!first) b.append(',');
                    first = false;
                    Object key = e.getKey();
                    Json.quote(b, key instanceof Enum ? ((Enum) key).name() : String.valueOf(key));
                    b.append(':');
                    write(b, e.getValue(), event, depth + 1);
                }
                b.append('}');
                return;
            }
            if (value instanceof java.nio.file.Path) {
                Json.quote(b, ((java.nio.file.Path) value).toUri().toString());
                return;
            }
            if (value instanceof Iterable) {
                b.append('[');
                boolean first = true;
                for (Object item : (Iterable) value) {
                    if (!first) b.append(',');
                    first = false;
                    write(b, item, event, depth + 1);
                }
                b.append(']');
                return;
            }
            Class<?> c = value.getClass();
            if (c.isArray()) {
                if (value instanceof byte[]) {
                    Json.quote(b, java.util.Base64.getEncoder().encodeToString((byte[]) value));
                    return;
                }
                if (value instanceof char[]) {
                    Json.quote(b, new String((char[]) value));
                    return;
                }
                b.append('[');
                int n = Array.getLength(value);
                for (int i = 0; i < n; i++) {
                    if (i > 0) b.append(',');
                    write(b, Array.get(value, i), event, depth + 1);
                }
                b.append(']');
                return;
            }
            if (writeSpecial(b, value, c, event, depth)) return;
            Meta m = meta(c);
            if (m.s3) {
                S3.write(b, value);
                return;
            }
            if (m.names == null) findGetters(m);
            b.append('{');
            boolean first = true;
            for (int i = 0; i < m.names.size(); i++) {
                Member getter = m.getters.get(i);
                Object property;
                try {
                    property = getter instanceof Method ? ((Method) getter).invoke(value) : ((Field) getter).get(value);
                } catch (InvocationTargetException e) {
                    throw unwrap(e);
                }
                if (property == null) continue; // Include.NON_NULL
                if (!first) b.append(',');
                first = false;
                Json.quote(b, m.names.get(i));
                b.append(':');
                write(b, property, m.event, depth + 1);
            }
            b.append('}');
        }

        static boolean writeSpecial(StringBuilder b, Object value, Class<?> c, boolean event, int depth) throws Exception {
            if (value instanceof Date) {
                long millis = ((Date) value).getTime();
                if (event) {
                    b.append(Double.toString(millis / 1000.0)); // the events' DateModule: fractional epoch seconds
                } else {
                    b.append(millis); // WRITE_DATES_AS_TIMESTAMPS
                }
                return true;
            }
            if (value instanceof Calendar) {
                b.append(((Calendar) value).getTimeInMillis());
                return true;
            }
            if (value instanceof Optional) {
                Optional<?> o = (Optional<?>) value;
                write(b, o.isPresent() ? o.get() : null, event, depth + 1);
                return true;
            }
            if (value instanceof java.util.OptionalInt) {
                java.util.OptionalInt o = (java.util.OptionalInt) value;
                b.append(o.isPresent() ? String.valueOf(o.getAsInt()) : "null");
                return true;
            }
            if (value instanceof java.util.OptionalLong) {
                java.util.OptionalLong o = (java.util.OptionalLong) value;
                b.append(o.isPresent() ? String.valueOf(o.getAsLong()) : "null");
                return true;
            }
            if (value instanceof java.util.OptionalDouble) {
                java.util.OptionalDouble o = (java.util.OptionalDouble) value;
                if (o.isPresent()) {
                    write(b, o.getAsDouble(), event, depth + 1);
                } else {
                    b.append("null");
                }
                return true;
            }
            if (value instanceof ByteBuffer) {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                Json.quote(b, java.util.Base64.getEncoder().encodeToString(bytes));
                return true;
            }
            if (value instanceof java.util.concurrent.atomic.AtomicBoolean) {
                b.append(((java.util.concurrent.atomic.AtomicBoolean) value).get());
                return true;
            }
            if (value instanceof java.util.concurrent.atomic.AtomicReference) {
                write(b, ((java.util.concurrent.atomic.AtomicReference<?>) value).get(), event, depth + 1);
                return true;
            }
            if (value instanceof Iterator) {
                b.append('[');
                Iterator<?> it = (Iterator<?>) value;
                boolean first = true;
                while (it.hasNext()) {
                    if (!first) b.append(',');
                    first = false;
                    write(b, it.next(), event, depth + 1);
                }
                b.append(']');
                return true;
            }
            String name = c.getName();
            if (name.startsWith("java.time.")) {
                writeTime(b, value);
                return true;
            }
            if (name.startsWith("org.joda.time.")) {
                Json.quote(b, value.toString()); // ISODateTimeFormat.dateTime(), as DateTime.toString()
                return true;
            }
            if (value instanceof Class) {
                Json.quote(b, ((Class<?>) value).getName());
                return true;
            }
            if (value instanceof java.util.UUID || value instanceof java.net.URI || value instanceof URL
                    || value instanceof File || value instanceof java.util.TimeZone || value instanceof Charset
                    || value instanceof java.util.Currency || value instanceof java.util.regex.Pattern
                    || value instanceof java.net.InetAddress) {
                String text = value instanceof java.util.TimeZone ? ((java.util.TimeZone) value).getID()
                        : value instanceof File ? ((File) value).getPath()
                        : value instanceof java.net.InetAddress ? ((java.net.InetAddress) value).getHostAddress()
                        : value.toString();
                Json.quote(b, text);
                return true;
            }
            if (value instanceof Locale) {
                Json.quote(b, value.toString());
                return true;
            }
            return false;
        }

        /** JavaTimeModule with WRITE_DATES_AS_TIMESTAMPS: decimal epoch seconds or [y, m, d, ...] arrays. */
        static void writeTime(StringBuilder b, Object value) {
            java.time.Instant instant = null;
            if (value instanceof java.time.Instant) instant = (java.time.Instant) value;
            if (value instanceof java.time.ZonedDateTime) instant = ((java.time.ZonedDateTime) value).toInstant();
            if (value instanceof java.time.OffsetDateTime) instant = ((java.time.OffsetDateTime) value).toInstant();
            if (instant != null) {
                decimalSeconds(b, instant.getEpochSecond(), instant.getNano());
                return;
            }
            if (value instanceof java.time.Duration) {
                java.time.Duration d = (java.time.Duration) value;
                decimalSeconds(b, d.getSeconds(), d.getNano());
                return;
            }
            if (value instanceof java.time.LocalDate) {
                java.time.LocalDate d = (java.time.LocalDate) value;
                b.append('[').append(d.getYear()).append(',').append(d.getMonthValue()).append(',')
                        .append(d.getDayOfMonth()).append(']');
                return;
            }
            if (value instanceof java.time.LocalDateTime) {
                java.time.LocalDateTime t = (java.time.LocalDateTime) value;
                b.append('[').append(t.getYear()).append(',').append(t.getMonthValue()).append(',')
                        .append(t.getDayOfMonth()).append(',');
                clock(b, t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
                b.append(']');
                return;
            }
            if (value instanceof java.time.LocalTime) {
                java.time.LocalTime t = (java.time.LocalTime) value;
                b.append('[');
                clock(b, t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
                b.append(']');
                return;
            }
            if (value instanceof java.time.YearMonth) {
                java.time.YearMonth t = (java.time.YearMonth) value;
                b.append('[').append(t.getYear()).append(',').append(t.getMonthValue()).append(']');
                return;
            }
            if (value instanceof java.time.Year) {
                b.append(((java.time.Year) value).getValue());
                return;
            }
            Json.quote(b, value.toString());
        }

        static void clock(StringBuilder b, int hour, int minute, int second, int nano) {
            b.append(hour).append(',').append(minute);
            if (second > 0 || nano > 0) {
                b.append(',').append(second);
                if (nano > 0) b.append(',').append(nano);
            }
        }

        static void decimalSeconds(StringBuilder b, long seconds, int nanos) {
            b.append(seconds).append('.');
            pad(b, nanos, 9);
        }
    }

    // ---- S3 events (aws-lambda-java-serialization's S3EventSerializer: constructor-built, org.json shaped) -------

    static final class S3 {
        static final String V3 = "com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification";
        static final String V2 = "com.amazonaws.services.s3.event.S3EventNotification";

        static String opt(Map<?, ?> map, String key) {
            Object value = map == null ? null : map.get(key);
            if (value == null) return "";
            if (value instanceof String || value instanceof JNum || value instanceof Boolean) return value.toString();
            try {
                StringBuilder b = new StringBuilder();
                Bind.write(b, Bind.untyped(value), false, 0);
                return b.toString();
            } catch (Exception e) {
                return "";
            }
        }

        static Map<?, ?> object(Map<?, ?> map, String key) {
            Object value = map == null ? null : map.get(key);
            return value instanceof Map ? (Map<?, ?>) value : null;
        }

        static Object make(Class<?> type, Class<?>[] parameters, Object... args) throws Exception {
            Constructor<?> c = type.getConstructor(parameters);
            try {
                return c.newInstance(args);
            } catch (InvocationTargetException e) {
                throw Bind.unwrap(e);
            }
        }

        static Object read(Map<?, ?> node, Class<?> eventClass) throws Exception {
            ClassLoader loader = eventClass.getClassLoader();
            String base = V3;
            Class<?> record;
            try {
                record = Class.forName(cat(V3, "$S3EventNotificationRecord"), false, loader);
            } catch (ClassNotFoundException e) {
                base = V2;
                record = Class.forName(cat(V2, "$S3EventNotificationRecord"), false, loader);
            }
            Class<?> entity = Class.forName(cat(base, "$S3Entity"), false, loader);
            Class<?> bucket = Class.forName(cat(base, "$S3BucketEntity"), false, loader);
            Class<?> object = Class.forName(cat(base, "$S3ObjectEntity"), false, loader);
            Class<?> request = Class.forName(cat(base, "$RequestParametersEntity"), false, loader);
            Class<?> response = Class.forName(cat(base, "$ResponseElementsEntity"), false, loader);
            Class<?> user = Class.forName(cat(base, "$UserIdentityEntity"), false, loader);
            Class<?>[] one = {String.class};
            ArrayList<Object> records = new ArrayList<Object>();
            Object list = node.get("Records");
            if (list instanceof List) {
                for (Object item : (List<?>) list) {
                    Map<?, ?> r = item instanceof Map ? (Map<?, ?>) item : Collections.emptyMap();
                    Object requestParameters = make(request, one, opt(object(r, "requestParameters"), "sourceIPAddress"));
                    Map<?, ?> elements = object(r, "responseElements");
                    Object responseElements = make(response, new Class<?>[] {String.class, String.class},
                            opt(elements, "x-amz-id-2"), opt(elements, "x-amz-request-id"));
                    Map<?, ?> s3 = object(r, "s3");
                    Map<?, ?> b = object(s3, "bucket");
                    Object owner = make(user, one, opt(object(b, "ownerIdentity"), "principalId"));
                    Object bucketEntity = make(bucket, new Class<?>[] {String.class, user, String.class},
                            opt(b, "name"), owner, opt(b, "arn"));
                    Map<?, ?> o = object(s3, "object");
                    Long size = 0L;
                    Object sizeNode = o == null ? null : o.get("size");
                    if (sizeNode != null) {
                        try {
                            size = (Long) Bind.scalar(sizeNode, long.class);
                        } catch (RuntimeException e) {
                            size = 0L;
                        }
                    }
                    Object objectEntity;
                    try {
                        objectEntity = make(object, new Class<?>[] {String.class, Long.class, String.class, String.class,
                            String.class}, opt(o, "key"), size, opt(o, "eTag"), opt(o, "versionId"), opt(o, "sequencer"));
                    } catch (NoSuchMethodException e) {
                        objectEntity = make(object, new Class<?>[] {String.class, Long.class, String.class, String.class},
                                opt(o, "key"), size, opt(o, "eTag"), opt(o, "versionId"));
                    }
                    Object s3Entity = make(entity, new Class<?>[] {String.class, bucket, object, String.class},
                            opt(s3, "configurationId"), bucketEntity, objectEntity, opt(s3, "s3SchemaVersion"));
                    Object identity = make(user, one, opt(object(r, "userIdentity"), "principalId"));
                    String eventTime = r.get("eventTime") == null ? null : opt(r, "eventTime");
                    records.add(make(record, new Class<?>[] {String.class, String.class, String.class, String.class,
                        String.class, request, response, entity, user}, opt(r, "awsRegion"), opt(r, "eventName"),
                            opt(r, "eventSource"), eventTime, opt(r, "eventVersion"), requestParameters,
                            responseElements, s3Entity, identity));
                }
            }
            return make(eventClass, new Class<?>[] {List.class}, records);
        }

        static Object get(Object target, String getter) {
            if (target == null) return null;
            try {
                Method m = target.getClass().getMethod(getter);
                Bind.accessible(m);
                return m.invoke(target);
            } catch (Throwable t) {
                return null;
            }
        }

        static void field(StringBuilder b, boolean[] first, String name, Object value, boolean raw) throws Exception {
            if (value == null) return;
            if (!first[0]) b.append(',');
            first[0] = false;
            Json.quote(b, name);
            b.append(':');
            if (raw) {
                b.append((String) value);
            } else {
                Bind.write(b, value, false, 1);
            }
        }

        /** An event time (Joda DateTime or java.time) as ISODateTimeFormat.dateTime() prints it, in UTC. */
        static String isoTime(Object time) {
            if (time == null) return null;
            if (time instanceof java.time.temporal.TemporalAccessor) {
                try {
                    return isoMillis(java.time.Instant.from((java.time.temporal.TemporalAccessor) time).toEpochMilli());
                } catch (RuntimeException e) {
                    return time.toString();
                }
            }
            Object millis = get(time, "getMillis");
            return millis instanceof Long ? isoMillis((Long) millis) : time.toString();
        }

        static String principal(Object identity) throws Exception {
            if (identity == null) return null;
            StringBuilder b = new StringBuilder("{");
            field(b, new boolean[] {true}, "principalId", get(identity, "getPrincipalId"), false);
            return b.append('}').toString();
        }

        static void write(StringBuilder b, Object event) throws Exception {
            b.append("{\"Records\":[");
            Object records = get(event, "getRecords");
            boolean firstRecord = true;
            if (records instanceof List) {
                for (Object r : (List<?>) records) {
                    if (!firstRecord) b.append(',');
                    firstRecord = false;
                    boolean[] first = {true};
                    b.append('{');
                    field(b, first, "awsRegion", get(r, "getAwsRegion"), false);
                    field(b, first, "eventName", get(r, "getEventName"), false);
                    field(b, first, "eventSource", get(r, "getEventSource"), false);
                    field(b, first, "eventTime", isoTime(get(r, "getEventTime")), false);
                    field(b, first, "eventVersion", get(r, "getEventVersion"), false);
                    Object request = get(r, "getRequestParameters");
                    if (request != null) {
                        StringBuilder p = new StringBuilder("{");
                        field(p, new boolean[] {true}, "sourceIPAddress", get(request, "getSourceIPAddress"), false);
                        field(b, first, "requestParameters", p.append('}').toString(), true);
                    }
                    Object response = get(r, "getResponseElements");
                    if (response != null) {
                        StringBuilder p = new StringBuilder("{");
                        boolean[] f = {true};
                        field(p, f, "x-amz-id-2", get(response, "getxAmzId2"), false);
                        field(p, f, "x-amz-request-id", get(response, "getxAmzRequestId"), false);
                        field(b, first, "responseElements", p.append('}').toString(), true);
                    }
                    Object s3 = get(r, "getS3");
                    if (s3 != null) {
                        StringBuilder p = new StringBuilder("{");
                        boolean[] f = {true};
                        field(p, f, "configurationId", get(s3, "getConfigurationId"), false);
                        Object bucket = get(s3, "getBucket");
                        if (bucket != null) {
                            StringBuilder q = new StringBuilder("{");
                            boolean[] g = {true};
                            field(q, g, "name", get(bucket, "getName"), false);
                            field(q, g, "ownerIdentity", principal(get(bucket, "getOwnerIdentity")), true);
                            field(q, g, "arn", get(bucket, "getArn"), false);
                            field(p, f, "bucket", q.append('}').toString(), true);
                        }
                        Object object = get(s3, "getObject");
                        if (object != null) {
                            StringBuilder q = new StringBuilder("{");
                            boolean[] g = {true};
                            field(q, g, "key", get(object, "getKey"), false);
                            field(q, g, "size", get(object, "getSizeAsLong"), false);
                            field(q, g, "eTag", get(object, "geteTag"), false);
                            field(q, g, "versionId", get(object, "getVersionId"), false);
                            field(q, g, "urlDecodedKey", get(object, "getUrlDecodedKey"), false);
                            field(q, g, "sequencer", get(object, "getSequencer"), false);
                            field(p, f, "object", q.append('}').toString(), true);
                        }
                        field(p, f, "s3SchemaVersion", get(s3, "getS3SchemaVersion"), false);
                        field(b, first, "s3", p.append('}').toString(), true);
                    }
                    field(b, first, "userIdentity", principal(get(r, "getUserIdentity")), true);
                    b.append('}');
                }
            }
            b.append("]}");
        }
    }
}

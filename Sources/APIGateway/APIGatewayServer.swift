import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Logging
import Synchronization

/// Where and how ``APIGatewayServer`` listens.
public struct APIGatewayServerConfiguration: Sendable {
    /// The address to bind (loopback by default: the server is for the developer's machine only).
    public var host: String
    /// The port; 0 picks a free one (published through `onServerRunning`).
    public var port: Int
    /// Largest request body accepted (API Gateway's limit is 10 MB); larger ones get 413.
    public var maxRequestBodySize: Int
    /// HTTPS: the PEM certificate (chain) and private key files (`--ssl-cert-file`, `--ssl-key-file`); nil: HTTP.
    public var tls: (certificateFile: String, keyFile: String)?

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 3000, maxRequestBodySize: Int = 10 * 1024 * 1024,
        tls: (certificateFile: String, keyFile: String)? = nil
    ) {
        self.host = host
        self.port = port
        self.maxRequestBodySize = maxRequestBodySize
        self.tls = tls
    }

    /// The HTTP/1 server (with ``HTTP1ConnectionRules``), over TLS when certificate and key are given.
    /// - Throws: ``APIGatewayError`` when a PEM file cannot be read.
    func serverBuilder() throws(APIGatewayError) -> HTTPServerBuilder {
        guard let tls else { return .standinHTTP1() }
        do {
            let certificates = try NIOSSLCertificate.fromPEMFile(tls.certificateFile)
            let key = try NIOSSLPrivateKey(file: tls.keyFile, format: .pem)
            return try .tls(
                .standinHTTP1(),
                tlsConfiguration: .makeServerConfiguration(
                    certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key)))
        } catch {
            throw .serverStart("cannot use \(tls.certificateFile) and \(tls.keyFile) for HTTPS: \(error)")
        }
    }
}

/// One line of the access log.
public struct AccessLogEntry: Sendable, CustomStringConvertible {
    /// The request method.
    public var method: String
    /// The request path (no query).
    public var path: String
    /// The response status.
    public var status: Int
    /// The function that answered, if any.
    public var functionLogicalID: String?
    /// Time from request head to response, in milliseconds.
    public var milliseconds: Double
    /// Why the gateway answered with an error of its own (malformed function answer, function error), if it did.
    public var diagnostic: String?

    /// `GET /hello 200 HelloFunction 1.23 ms` (a `-` when no function ran), then the diagnostic when present.
    public var description: String {
        let rounded = (milliseconds * 100).rounded() / 100
        var line = "\(method) \(path) \(status) \(functionLogicalID ?? "-") \(rounded) ms"
        if let diagnostic { line += " (\(diagnostic))" }
        return line
    }
}

/// The local API Gateway: a Hummingbird 2 HTTP/1.1 server running a ``GatewayPipeline`` for every request.
///
/// REST and HTTP API routes share its one port (as with `sam local start-api`); serve each function URL on a
/// server of its own. Accepted sockets have `TCP_NODELAY` set (NIO's `ServerBootstrap` sets it on the listening
/// socket, and Linux accepted sockets inherit it), and each response's head and body go out in one flush.
/// `run()` returns when its task is cancelled or, inside a ServiceLifecycle `ServiceGroup`, on graceful shutdown.
public struct APIGatewayServer: Sendable {
    /// Listening settings.
    public let configuration: APIGatewayServerConfiguration
    private let current: PipelineBox

    /// The request pipeline in use now.
    public var pipeline: GatewayPipeline { current.value }
    private let accessLog: @Sendable (AccessLogEntry) -> Void
    private let onServerRunning: @Sendable (Int) async -> Void
    private let logger: Logger

    /// Creates a server.
    /// - Parameters:
    ///   - accessLog: called once per request, after the response is built.
    ///   - onServerRunning: called with the bound port once the server accepts connections.
    public init(
        configuration: APIGatewayServerConfiguration = .init(),
        pipeline: GatewayPipeline,
        logger: Logger = Logger(label: "standin.apigateway"),
        accessLog: @escaping @Sendable (AccessLogEntry) -> Void = { _ in },
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.current = PipelineBox(pipeline)
        self.logger = logger
        self.accessLog = accessLog
        self.onServerRunning = onServerRunning
    }

    /// Swaps in new routes, static files or invoker (hot reload); requests already running finish with the old ones.
    public func replacePipeline(_ pipeline: GatewayPipeline) {
        current.set(pipeline)
    }

    /// Serves until cancelled or gracefully shut down.
    /// - Throws: ``APIGatewayError`` when the address cannot be bound (in use, unknown host).
    public func run() async throws {
        let pipeline = self.current
        let accessLog = self.accessLog
        let maxBody = configuration.maxRequestBodySize
        let port = PortBox()
        let responder = CallbackResponder<GatewayRequestContext> { request, context in
            await Self.respond(
                to: request,
                context: context,
                pipeline: pipeline,
                maxBody: maxBody,
                port: port.value,
                accessLog: accessLog
            )
        }
        let onRunning = self.onServerRunning
        let app = Application(
            responder: responder,
            server: try configuration.serverBuilder(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil
            ),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                port.set(bound)
                await onRunning(bound)
            },
            logger: logger
        )
        do {
            try await app.run()
        } catch is CancellationError {
            return
        } catch {
            if Task.isCancelled { return }
            throw APIGatewayError.serverStart(
                "cannot serve on \(configuration.host):\(configuration.port): \(error)"
            )
        }
    }

    private static func respond(
        to request: Request,
        context: GatewayRequestContext,
        pipeline: PipelineBox,
        maxBody: Int,
        port: Int?,
        accessLog: @Sendable (AccessLogEntry) -> Void
    ) async -> Response {
        let start = ContinuousClock.now
        let target = request.head.path ?? "/"
        var headers: [HeaderField] = []
        headers.reserveCapacity(request.headers.count + 1)
        // HTTP/1.1's Host header arrives as the `:authority` pseudo-header; API Gateway passes it on as `Host`.
        if let authority = request.head.authority { headers.append(HeaderField("Host", authority)) }
        for field in request.headers { headers.append(HeaderField(field.name.rawName, field.value)) }
        var apiRequest = APIRequest(
            method: request.method.rawValue,
            target: target,
            headers: headers,
            sourceIP: context.remoteAddress
        )
        let outcome: GatewayPipeline.Outcome
        // The request's body was not read to its end: the connection cannot carry another request.
        var endsConnection = false
        if target.utf8.count > Self.maximumURILength {
            // API Gateway refuses URLs longer than its request-line limit before any route or function.
            outcome = .init(response: .message(414, "Request-URI Too Long"))
        } else if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBody {
            outcome = .init(response: .payloadTooLarge)
            endsConnection = true
        } else if request.headers[.contentLength] == nil && request.headers[.transferEncoding] == nil {
            outcome = await pipeline.value.handle(apiRequest, serverPort: port)  // no body: skip the body stream
        } else {
            switch await collect(request.body, limit: maxBody) {
            case .complete(let body) where body.count >= request.headers[.contentLength].flatMap(Int.init) ?? 0:
                apiRequest.body = body
                outcome = await pipeline.value.handle(apiRequest, serverPort: port)
            case .complete, .incomplete:
                // The client stopped before the body it announced ended: nothing runs on part of a request.
                outcome = .init(response: .message(400, "Bad Request"), diagnostic: "the request body was cut short")
                endsConnection = true
            case .tooLarge:
                outcome = .init(response: .payloadTooLarge)
                endsConnection = true
            }
        }
        let elapsed = ContinuousClock.now - start
        let components = elapsed.components
        accessLog(
            AccessLogEntry(
                method: apiRequest.method,
                path: apiRequest.path,
                status: outcome.response.status,
                functionLogicalID: outcome.functionLogicalID,
                milliseconds: Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15,
                diagnostic: outcome.diagnostic
            )
        )
        return makeResponse(outcome.response, isHead: apiRequest.method == "HEAD", endsConnection: endsConnection)
    }

    /// The longest request target (path and query) served: API Gateway's URL limit, 8192 bytes.
    static let maximumURILength = 8192

    /// A request body as read: whole, larger than the limit, or cut short (the connection ended inside it).
    enum CollectedBody {
        case complete([UInt8])
        case tooLarge
        case incomplete
    }

    /// Reads the body up to `limit` bytes.
    private static func collect(_ body: RequestBody, limit: Int) async -> CollectedBody {
        var bytes: [UInt8] = []
        do {
            for try await buffer in body {
                guard bytes.count + buffer.readableBytes <= limit else { return .tooLarge }
                bytes.append(contentsOf: buffer.readableBytesView)
            }
        } catch {
            return .incomplete
        }
        return .complete(bytes)
    }

    private static func makeResponse(_ response: GatewayResponse, isHead: Bool, endsConnection: Bool) -> Response {
        var fields = HTTPFields()
        fields.reserveCapacity(response.headers.count + 2)
        if endsConnection { fields[.connection] = "close" }  // HTTP1ConnectionRules closes it once written
        for header in response.headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            if name == .transferEncoding || (!isHead && name == .contentLength) { continue }
            if name == .connection { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        let status = HTTPResponse.Status(code: response.status)
        if isHead {
            return Response(status: status, headers: fields, body: ResponseBody())
        }
        var buffer = ByteBufferAllocator().buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: buffer))
    }
}

/// The request context: Hummingbird's core storage plus the client's address.
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: String

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? "127.0.0.1"
    }

    var maxUploadSize: Int { 10 * 1024 * 1024 }
}

/// The pipeline in use, replaceable while the server runs.
final class PipelineBox: Sendable {
    private let storage: Mutex<GatewayPipeline>
    init(_ pipeline: GatewayPipeline) { storage = Mutex(pipeline) }
    var value: GatewayPipeline { storage.withLock { $0 } }
    func set(_ pipeline: GatewayPipeline) { storage.withLock { $0 = pipeline } }
}

/// The bound port, set once when the server is running, read by request handlers.
private final class PortBox: Sendable {
    private let storage = Mutex<Int?>(nil)
    var value: Int? { storage.withLock { $0 } }
    func set(_ port: Int) { storage.withLock { $0 = port } }
}

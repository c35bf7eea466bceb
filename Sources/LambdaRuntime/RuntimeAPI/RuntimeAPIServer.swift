import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One instance's Runtime API endpoint: HTTP/1.1 with keep-alive on `127.0.0.1`, an ephemeral port.
///
/// Accepted connections get `TCP_NODELAY`, and each response goes out as head, body and end in one flush, so a
/// runtime client never waits on Nagle's algorithm meeting a delayed ACK (see DESIGN.md, performance notes).
final class RuntimeAPIServer: Sendable {
    let channel: any Channel
    /// The bound port.
    let port: Int

    /// `AWS_LAMBDA_RUNTIME_API`: `127.0.0.1:PORT`, no scheme.
    var address: String { "127.0.0.1:\(port)" }

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// Binds `127.0.0.1:0` on `endpoint`'s event loop and serves the endpoint.
    static func start(endpoint: RuntimeAPIEndpoint) async throws(RuntimeError) -> RuntimeAPIServer {
        let bootstrap = ServerBootstrap(group: endpoint.eventLoop)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(RuntimeAPIHandler(endpoint: endpoint))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
            guard let port = channel.localAddress?.port else {
                try? await channel.close()
                throw RuntimeError.serverFailed("no local port")
            }
            return RuntimeAPIServer(channel: channel, port: port)
        } catch let error as RuntimeError {
            throw error
        } catch {
            throw .serverFailed(String(describing: error))
        }
    }

    /// Stops accepting connections.
    func close() async {
        try? await channel.close()
    }
}

/// The per-connection HTTP handler: collects a request, routes it, writes the answer.
final class RuntimeAPIHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let endpoint: RuntimeAPIEndpoint
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodySize = 0

    init(endpoint: RuntimeAPIEndpoint) {
        self.endpoint = endpoint
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = nil
            bodySize = 0
            if head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                // curl sends this for bodies over 1 MB and would otherwise wait a second before sending.
                let interim = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.head(interim)), promise: nil)
            }
        case .body(var chunk):
            bodySize += chunk.readableBytes
            guard bodySize <= RuntimeAPIResponse.maxPayloadSize else {
                body = nil
                return
            }
            if body == nil {
                body = chunk
            } else {
                body?.writeBuffer(&chunk)
            }
        case .end(let trailers):
            guard let head else { return }
            self.head = nil
            dispatch(head, trailers: trailers, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        endpoint.connectionClosed(ObjectIdentifier(context.channel))
        context.fireChannelInactive()
    }

    private func dispatch(_ head: HTTPRequestHead, trailers: HTTPHeaders?, context: ChannelHandlerContext) {
        let keepAlive = head.isKeepAlive
        let posted: InvocationStateMachine.PostedBody =
            bodySize > RuntimeAPIResponse.maxPayloadSize
            ? .tooLarge(size: bodySize) : .bytes(body.map { Array($0.readableBytesView) } ?? [])
        body = nil
        switch RuntimeAPIRoute(method: head.method.rawValue, uri: head.uri) {
        case .next:
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            endpoint.next(connection: ObjectIdentifier(context.channel)) { response in
                eventLoop.execute {
                    Self.write(response, keepAlive: keepAlive, context: bound.value)
                }
            }
        case .response(let requestID):
            if let type = trailers?.first(name: "Lambda-Runtime-Function-Error-Type") {
                // A streamed response that failed midway: the error travels in trailers (body base64-encoded).
                let encoded = trailers?.first(name: "Lambda-Runtime-Function-Error-Body") ?? ""
                let body = Data(base64Encoded: encoded).map { [UInt8]($0) } ?? Array(encoded.utf8)
                Self.write(
                    endpoint.error(requestID: requestID, errorType: type, body: .bytes(body)), keepAlive: keepAlive,
                    context: context)
                return
            }
            Self.write(endpoint.response(requestID: requestID, body: posted), keepAlive: keepAlive, context: context)
        case .error(let requestID):
            let type = head.headers.first(name: "Lambda-Runtime-Function-Error-Type")
            Self.write(
                endpoint.error(requestID: requestID, errorType: type, body: posted), keepAlive: keepAlive,
                context: context)
        case .initError:
            let type = head.headers.first(name: "Lambda-Runtime-Function-Error-Type")
            let bytes: [UInt8] =
                switch posted {
                case .bytes(let bytes): bytes
                case .tooLarge: []
                }
            Self.write(endpoint.initError(errorType: type, body: bytes), keepAlive: keepAlive, context: context)
        case .methodNotAllowed:
            Self.write(.methodNotAllowed, keepAlive: keepAlive, context: context)
        case .notFound:
            Self.write(.notFound, keepAlive: keepAlive, context: context)
        }
    }

    /// Writes head, body and end with a single flush.
    private static func write(_ response: RuntimeAPIResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let head = HTTPResponseHead(
            version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        if !response.body.isEmpty {
            let buffer = context.channel.allocator.buffer(bytes: response.body)
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
        if !keepAlive {
            done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        }
    }
}

import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1 server with ``HTTP1ConnectionRules`` in its pipeline: the server start-api and
    /// start-lambda present to clients.
    public static func standinHTTP1() -> HTTPServerBuilder {
        .init { responder in StandinHTTP1Channel(responder: responder) }
    }
}

/// Hummingbird's `HTTP1Channel` with one more handler, between NIO's HTTP/1 codec and the conversion to
/// swift-http-types (which has no HTTP version): ``HTTP1ConnectionRules``. Written here because Hummingbird's
/// `additionalChannelHandlers` sit after that conversion, where the request's version is already gone.
struct StandinHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // NIOAsyncChannel answers requests in order
                withErrorHandling: false,  // Hummingbird answers parse errors
                withOutboundHeaderValidation: false  // swift-http-types validates fields
            )
            try pipeline.addHandler(HTTP1ConnectionRules())
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel,
                configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}

/// The HTTP/1.x connection rules a client of API Gateway or Lambda relies on, which Hummingbird's HTTP/1 channel
/// does not keep:
/// - an HTTP/1.0 request is answered as HTTP/1.0 and, unless it asked for `Connection: keep-alive`, the connection
///   is closed after the response (clients that read to EOF would otherwise hang);
/// - an HTTP/1.1 request without `Host` is answered 400 and the connection closed (RFC 9112 §3.2);
/// - a response that ends the connection (`Connection: close`, sent by the server for a 413 or a cut-short body, or
///   asked for by the client) half-closes it once written, and closes it fully after ``lingerTime`` even when the
///   client never closes its side: the socket and the unread body it holds are not kept until standin exits.
final class HTTP1ConnectionRules: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long a client gets to read a final response before the connection is closed under it.
    static let lingerTime = TimeAmount.seconds(2)

    /// A request whose response has not ended yet (oldest first: HTTP/1 answers in order).
    private struct Exchange {
        var version: HTTPVersion
        var keepAlive: Bool
    }
    private var exchanges: [Exchange] = []
    /// Set once a request without Host was refused: later input is dropped, the connection is ending.
    private var refusing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refusing else { return }
        if case .head(let head) = unwrapInboundIn(data) {
            if !head.version.isBefore11, !head.headers.contains(name: "host") {
                refusing = true
                if exchanges.isEmpty { refuse(context: context) }
                return
            }
            exchanges.append(Exchange(version: head.version, keepAlive: head.isKeepAlive))
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where !exchanges.isEmpty:
            let exchange = exchanges[0]
            let closes = !exchange.keepAlive || head.headers[canonicalForm: "connection"].contains("close")
            exchanges[0].keepAlive = !closes
            if exchange.version.isBefore11 { head.version = exchange.version }
            head.headers.remove(name: "connection")
            if closes {
                head.headers.add(name: "Connection", value: "close")
            } else if exchange.version.isBefore11 {
                head.headers.add(name: "Connection", value: "keep-alive")
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where !exchanges.isEmpty:
            let exchange = exchanges.removeFirst()
            if !exchange.keepAlive {
                refusing = true  // nothing after this response is answered
                end(context: context, last: data, promise: promise)
            } else if refusing && exchanges.isEmpty {
                context.write(data, promise: promise)
                refuse(context: context)
            } else {
                context.write(data, promise: promise)
            }
        default:
            context.write(data, promise: promise)
        }
    }

    /// Answers a request without Host: 400, then the connection ends.
    private func refuse(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "0")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))),
            promise: nil)
        end(context: context, last: wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Writes the connection's last part, half-closes once it is out, and closes fully after the linger time.
    private func end(context: ChannelHandlerContext, last: NIOAny, promise: EventLoopPromise<Void>?) {
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(last, promise: written)
        if let promise { written.futureResult.cascade(to: promise) }
        let channel = context.channel
        let eventLoop = context.eventLoop
        written.futureResult.whenComplete { _ in
            channel.close(mode: .output, promise: nil)
            eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
        }
    }
}

extension HTTPVersion {
    /// HTTP/1.0 or older: no persistent connections unless asked for, no Host required.
    fileprivate var isBefore11: Bool { major < 1 || (major == 1 && minor == 0) }
}

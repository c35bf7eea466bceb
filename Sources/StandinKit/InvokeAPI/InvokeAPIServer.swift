import APIGateway
import Foundation
import HTTPTypes
import Hummingbird
import LambdaRuntime
import Logging
import NIOCore
import ProjectModel

/// `standin start-lambda`: Lambda's Invoke API on loopback, for `aws lambda invoke --endpoint-url` and the SDKs.
///
/// `RequestResponse` answers 200 with the function's output (`X-Amz-Function-Error: Unhandled` when it failed),
/// `Event` answers 202 and runs the function in the background, `DryRun` answers 204. Errors are Lambda's:
/// status, `x-amzn-ErrorType` and `{"Type","Message"}`.
public struct InvokeAPIServer: Sendable {
    /// The project's functions, run through the warm pool.
    public var functions: LocalFunctions
    /// The region in ARNs of error messages.
    public var region: String
    /// Receives one access-log line per request (`POST invoke NAME STATUS MS ms`).
    public var accessLog: @Sendable (String) -> Void
    /// The ids of the functions served (`sam local start-lambda Fn1 Fn2`); nil: every function.
    public var servedFunctions: Set<String>?

    /// Creates the server's request handling; ``application(host:port:background:onRunning:)`` serves it.
    public init(
        functions: LocalFunctions, region: String, servedFunctions: Set<String>? = nil,
        accessLog: @escaping @Sendable (String) -> Void
    ) {
        self.functions = functions
        self.region = region
        self.servedFunctions = servedFunctions
        self.accessLog = accessLog
    }

    /// The Hummingbird application serving the API on `host:port` (port 0: any free port; `onRunning` gets it).
    public func application(
        host: String, port: Int, background: BackgroundInvocations,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        let server = self
        router.post("/2015-03-31/functions/:name/invocations") { request, context -> Response in
            let raw = context.parameters.get("name") ?? ""
            let name = raw.removingPercentEncoding ?? raw
            return await server.handle(request, functionName: name, background: background)
        }
        var logger = Logger(label: "standin.start-lambda")
        logger.logLevel = .warning
        return Application(
            router: router,
            server: .standinHTTP1(),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    func handle(_ request: Request, functionName: String, background: BackgroundInvocations) async -> Response {
        let started = ContinuousClock.now
        let response: Response
        var label = functionName
        do {
            let invoke = try InvokeAPIRequest(
                pathName: functionName, qualifier: request.uri.queryParameters.get("Qualifier"),
                header: { name in HTTPField.Name(name).flatMap { request.headers[$0] } })
            label = invoke.name
            guard let function = await functions.function(named: invoke.name), invoke.qualifier == nil,
                servedFunctions?.contains(function.id) ?? true
            else {
                let suffix = invoke.qualifier.map { ":\($0)" } ?? ""
                throw InvokeAPIError.notFound(
                    "arn:aws:lambda:\(region):\(IdentityBroker.placeholderAccountID):function:\(invoke.name)\(suffix)")
            }
            if let reason = function.unavailableReason {
                accessLog(function.unavailableMessage ?? "")
                throw InvokeAPIError.unavailable(reason.description, runtime: reason.kind == .unsupported
                    && function.runtime.map { !LambdaRuntimes.isSupported($0) } == true)
            }
            if let length = request.headers[.contentLength].flatMap(Int.init), length > invoke.payloadLimit {
                throw InvokeAPIError.requestTooLarge(limit: invoke.payloadLimit, invocationType: invoke.invocationType)
            }
            let payload = try await Self.collect(request.body, limit: invoke.payloadLimit, type: invoke.invocationType)
            try invoke.checkPayload(payload)
            var request = InvocationRequest(payload: payload.isEmpty ? Array("{}".utf8) : payload)
            // Lambda passes the client context to synchronous invocations only.
            if invoke.invocationType == .requestResponse { request.clientContext = invoke.clientContext }
            request.tenantID = invoke.tenantID
            let invocation = request
            switch invoke.invocationType {
            case .dryRun:
                response = Response(status: .noContent, headers: Self.baseHeaders)
            case .event:
                let functions = self.functions
                let log = accessLog
                await background.start {
                    do {
                        let result = try await functions.invoke(function, invocation)
                        if let errorType = result.errorType {
                            log("Event invocation of \(function.id) failed: \(errorType)")
                        }
                    } catch {
                        log("Event invocation of \(function.id) failed: \(error)")
                    }
                }
                response = Response(status: .accepted, headers: Self.baseHeaders)
            case .requestResponse:
                let result: InvocationResult
                do {
                    result = try await functions.invoke(function, invocation)
                } catch {
                    throw InvokeAPIError.service(error.description)
                }
                var headers = Self.baseHeaders
                headers[.contentType] = "application/json"
                if result.isError { headers[Self.functionError] = "Unhandled" }
                if invoke.tailLog { headers[Self.logResult] = InvokeAPIRequest.logTail(result.log) }
                response = Response(
                    status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: result.payload)))
            }
        } catch let error as InvokeAPIError {
            response = Self.errorResponse(error)
        } catch {
            response = Self.errorResponse(.service("\(error)"))
        }
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        accessLog("POST invoke \(label) \(response.status.code) \(String(format: "%.1f", ms)) ms")
        return response
    }

    /// A service error as Lambda sends it: status, `x-amzn-ErrorType`, JSON `{"Type","Message"}`.
    static func errorResponse(_ error: InvokeAPIError) -> Response {
        var headers: HTTPFields = [
            requestID: UUID().uuidString.lowercased(), Self.errorType: error.type, .contentType: "application/json",
        ]
        // A payload refused part-way was not read to its end: the connection cannot carry another request.
        if error.status == 413 { headers[.connection] = "close" }
        return Response(
            status: HTTPResponse.Status(code: error.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: error.body)))
    }

    static func collect(_ body: RequestBody, limit: Int, type: InvokeAPIRequest.InvocationType) async throws
        -> [UInt8]
    {
        var bytes: [UInt8] = []
        for try await chunk in body {
            bytes.append(contentsOf: chunk.readableBytesView)
            if bytes.count > limit {
                throw InvokeAPIError.requestTooLarge(limit: limit, invocationType: type)
            }
        }
        return bytes
    }

    static let functionError = HTTPField.Name("X-Amz-Function-Error")!
    static let logResult = HTTPField.Name("X-Amz-Log-Result")!
    static let executedVersion = HTTPField.Name("X-Amz-Executed-Version")!
    static let errorType = HTTPField.Name("x-amzn-ErrorType")!
    static let requestID = HTTPField.Name("x-amzn-RequestId")!
    static var baseHeaders: HTTPFields {
        [executedVersion: "$LATEST", requestID: UUID().uuidString.lowercased()]
    }
}

/// Background (`Event`) invocations, so that shutdown can wait for them.
public actor BackgroundInvocations {
    private var tasks: [UUID: Task<Void, Never>] = [:]

    /// Creates an empty set.
    public init() {}

    /// Starts `work` in the background.
    public func start(_ work: @escaping @Sendable () async -> Void) {
        let id = UUID()
        tasks[id] = Task {
            await work()
            self.finished(id)
        }
    }

    private func finished(_ id: UUID) { tasks[id] = nil }

    /// Waits for every background invocation still running.
    public func drain() async {
        while let (_, task) = tasks.first {
            await task.value
        }
    }
}

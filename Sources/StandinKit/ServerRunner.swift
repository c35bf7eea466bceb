import APIGateway
import Foundation
import Hummingbird
import LambdaRuntime
import Logging
import ProjectModel
import ServiceLifecycle
import Synchronization

/// Settings of `start-api` and `start-lambda` beyond the common options.
public struct ServerOptions: Sendable {
    /// `--host` (default 127.0.0.1: never exposed to the network unless asked).
    public var host: String = "127.0.0.1"
    /// `--port` (3000 for start-api, 3001 for start-lambda; 0 picks a free port).
    public var port: Int
    /// `--warm eager`: start one instance per function at start-up.
    public var eagerWarm: Bool = false
    /// `--max-instances`: concurrent instances per function.
    public var maxInstancesPerFunction: Int = 10
    /// `--no-watch`: no hot reload.
    public var watch: Bool = true
    /// `--idle-timeout`: an instance unused this long is stopped.
    public var idleTimeout: Duration = .seconds(300)
    /// `--static-dir` (start-api; default `public` beside the template, when it exists).
    public var staticDirectory: String?
    /// `--function-url-port` (start-api): the port of the first function URL, the next ones on the following
    /// ports in logical-id order. Nil: `port + 100` (free ports when `port` is 0); 0: free ports.
    public var functionURLPort: Int?
    /// `--disable-authorizer` (start-api): routes run without their Lambda authorizers.
    public var disableAuthorizer: Bool = false
    /// start-lambda's function filter (`sam local start-lambda Fn1 Fn2`): only these functions are served; empty:
    /// all of them.
    public var functionFilter: [String] = []
    /// `--ssl-cert-file` and `--ssl-key-file` (start-api): serve HTTPS with this PEM certificate and key.
    public var tls: (certificateFile: String, keyFile: String)?
    /// Called with the bound port once the server accepts connections (tests, and the start-up banner).
    public var onRunning: @Sendable (Int) async -> Void = { _ in }

    public init(port: Int) {
        self.port = port
    }
}

/// `standin start-api` and `standin start-lambda`: a server in front of a warm instance pool, until SIGINT/SIGTERM.
public enum ServerRunner {
    /// Runs the local API Gateway until a signal; then stops accepting, lets in-flight requests finish, stops
    /// every function process.
    public static func startAPI(options: CommonOptions, server: ServerOptions) async throws(StandinError) {
        let context = try Context(options: options, server: server)
        let functions = context.functions
        let session = await functions.session
        let disableAuthorizer = server.disableAuthorizer
        @Sendable func apiRoutes(_ project: Project) -> [APIRoute] {
            project.routes.map { route in
                var mapped = apiRoute(route)
                if disableAuthorizer { mapped.authorizer = nil }
                return mapped
            }
        }
        let routes = apiRoutes(session.project)
        let staticFiles = staticDirectory(server.staticDirectory, project: session.project).flatMap {
            StaticFiles(folder: $0.path)
        }
        let functionURLs = FunctionURL.all(in: session.project)
        if routes.isEmpty && staticFiles == nil && functionURLs.isEmpty {
            throw .usage(
                "\(session.project.templateURL.lastPathComponent) defines no API routes (Api or HttpApi events) "
                    + "and no function URLs")
        }
        let account = IdentityBroker.placeholderAccountID
        let region = context.broker.region
        @Sendable func makePipeline(_ routes: [APIRoute]) throws(StandinError) -> GatewayPipeline {
            do {
                return GatewayPipeline(
                    routes: try RouteTable(routes: routes), staticFiles: staticFiles, invoker: functions,
                    accountID: account, region: region)
            } catch {
                throw .usage("\(session.project.templateURL.lastPathComponent): \(error)")
            }
        }
        let pipeline = try makePipeline(routes)
        let sink = context.sink
        let accessLog: @Sendable (AccessLogEntry) -> Void = { entry in sink.write(Array("\(entry)\n".utf8)) }
        let boundPort = Mutex(server.port)
        let scheme = server.tls == nil ? "http" : "https"
        let apiServer = APIGatewayServer(
            configuration: .init(host: server.host, port: server.port, tls: server.tls), pipeline: pipeline,
            accessLog: accessLog,
            onServerRunning: { port in
                boundPort.withLock { $0 = port }
                printBanner(
                    "standin start-api: listening on \(scheme)://\(server.host):\(port)",
                    table: routeTable(routes, host: server.host, port: port, scheme: scheme))
                await server.onRunning(port)
            })
        let urlBase = server.functionURLPort ?? (server.port == 0 ? 0 : server.port + 100)
        var urlServers: [APIGatewayServer] = []
        for (index, url) in functionURLs.enumerated() {
            do {
                let urlPipeline = GatewayPipeline(
                    routes: try RouteTable(routes: [url.route]), invoker: functions, accountID: account,
                    region: region)
                urlServers.append(
                    APIGatewayServer(
                        configuration: .init(host: server.host, port: urlBase == 0 ? 0 : urlBase + index),
                        pipeline: urlPipeline, accessLog: accessLog,
                        onServerRunning: { port in
                            let auth = url.authType == "AWS_IAM" ? " (AuthType AWS_IAM is not checked locally)" : ""
                            printNote("function URL of \(url.functionLogicalID): http://\(server.host):\(port)/\(auth)")
                        }))
            } catch {
                throw .usage("\(url.functionLogicalID): FunctionUrlConfig: \(error)")
            }
        }
        let allURLServers = urlServers
        let servedRoutes = Mutex(routes)
        try await context.run(
            serverName: "start-api",
            server: {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await apiServer.run() }
                    for urlServer in allURLServers { group.addTask { try await urlServer.run() } }
                    // The first server to stop (graceful shutdown, or a port that cannot be bound) stops them all.
                    defer { group.cancelAll() }
                    try await group.next()
                }
            },
            reloadTemplate: { session in
                let newRoutes = apiRoutes(session.project)
                do {
                    apiServer.replacePipeline(try makePipeline(newRoutes))
                    let previous = servedRoutes.withLock { served in
                        defer { served = newRoutes }
                        return served
                    }
                    if newRoutes != previous {
                        let port = boundPort.withLock { $0 }
                        printBanner(
                            "standin: routes reloaded",
                            table: routeTable(newRoutes, host: server.host, port: port, scheme: scheme))
                    }
                } catch {
                    printNote("\(error) (keeping the previous routes)")
                }
                if FunctionURL.all(in: session.project) != functionURLs {
                    printNote("function URLs changed: restart start-api to serve the new ones")
                }
            })
    }

    /// Runs the local Lambda Invoke API until a signal.
    public static func startLambda(options: CommonOptions, server: ServerOptions) async throws(StandinError) {
        let context = try Context(options: options, server: server)
        let session = await context.functions.session
        let sink = context.sink
        var ids: Set<String> = []
        for name in server.functionFilter { ids.insert(try session.function(name).id) }
        let served = server.functionFilter.isEmpty ? nil : ids
        let invokeServer = InvokeAPIServer(
            functions: context.functions, region: context.broker.region, servedFunctions: served,
            accessLog: { line in sink.write(Array("\(line)\n".utf8)) })
        let background = BackgroundInvocations()
        let application = invokeServer.application(
            host: server.host, port: server.port, background: background,
            onRunning: { port in
                let rows = [["FUNCTION", "NAME", "RUNTIME"]]
                    + session.project.functions.filter { served?.contains($0.id) ?? true }.map { function in
                        [function.id, function.functionName,
                         function.isAvailable ? function.runtime ?? "-" : "unavailable (see standin list)"]
                    }
                printBanner(
                    "standin start-lambda: Lambda Invoke API on http://\(server.host):\(port)\n"
                        + "  aws lambda invoke --endpoint-url http://\(server.host):\(port) "
                        + "--function-name NAME out.json",
                    table: ProjectListing.table(rows))
                await server.onRunning(port)
            })
        try await context.run(
            serverName: "start-lambda",
            server: {
                try await application.run()
                await background.drain()
            },
            reloadTemplate: { _ in })
    }

    /// What both servers share: project, credentials, pool, logs, watcher.
    struct Context: Sendable {
        let options: CommonOptions
        let server: ServerOptions
        let broker: IdentityBroker
        let functions: LocalFunctions
        let pool: InstancePool
        let sink: any LogSink

        init(options: CommonOptions, server: ServerOptions) throws(StandinError) {
            self.options = options
            self.server = server
            broker = IdentityBroker(options: options)
            let session = try Session.open(options, region: broker.region)
            session.printProjectNotes(includingErrors: true)
            for function in session.project.functions {
                if let message = function.unavailableMessage { printNote(message) }
            }
            sink =
                try options.logFile.map { path throws(StandinError) in try FileDescriptorLogSink.appending(to: path) }
                ?? FileDescriptorLogSink.standardError
            pool = InstancePool(
                logSink: sink, logger: Logger(label: "standin.pool"),
                maxInstancesPerFunction: server.maxInstancesPerFunction, idleTimeout: server.idleTimeout)
            functions = LocalFunctions(
                session: session, broker: broker, pool: pool, logger: Logger(label: "standin.functions"))
        }

        func run(
            serverName: String,
            server run: @escaping @Sendable () async throws -> Void,
            reloadTemplate: @escaping @Sendable (Session) async -> Void
        ) async throws(StandinError) {
            let functions = self.functions
            let options = self.options
            let broker = self.broker
            // Shut down in reverse order: the watcher, then the server (draining its requests), then the pool.
            var services: [any Service] = [
                pool,
                ClosureService(name: serverName) { try await ServerRunner.serveDraining(run, functions: functions) },
            ]
            if server.watch {
                let session = await functions.session
                let templates = Set(session.project.sourceFiles.map(\.path))
                var paths = session.project.sourceFiles
                for function in session.project.functions where function.isAvailable {
                    paths.append(function.code.url)
                    paths.append(contentsOf: function.layers.map(\.code.url))
                }
                let watcher = FileWatcher(paths: paths)
                services.append(
                    ClosureService(name: "watch") {
                        await cancelWhenGracefulShutdown {
                        await watcher.run { changed in
                            if let template = changed.first(where: templates.contains) {
                                do {
                                    let reloaded = try Session.open(options, region: broker.region)
                                    await functions.replaceSession(reloaded)
                                    printNote("reloaded \(URL(fileURLWithPath: template).lastPathComponent)")
                                    await reloadTemplate(reloaded)
                                } catch {
                                    printNote("\(error) (keeping the previous template)")
                                }
                                return
                            }
                            var reloaded: Set<String> = []
                            for path in changed { reloaded.formUnion(await functions.codeChanged(at: path)) }
                            if !reloaded.isEmpty { printNote("reloaded \(reloaded.sorted().joined(separator: ", "))") }
                        }
                        }
                    })
            }
            if server.eagerWarm {
                let session = await functions.session
                for function in session.project.functions where function.isAvailable {
                    do {
                        try await functions.prewarm(function)
                    } catch {
                        printNote("could not warm \(function.id): \(error)")
                    }
                }
            }
            var configuration = ServiceGroupConfiguration(
                services: services.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: Logger(label: "standin.\(serverName)"))
            // In-flight requests get a short grace; then everything is cancelled and every child stopped.
            configuration.maximumGracefulShutdownDuration = .seconds(10)
            configuration.maximumCancellationDuration = .seconds(5)
            let group = ServiceGroup(configuration: configuration)
            do {
                try await group.run()
            } catch {
                await functions.shutdown()
                throw StandinError(.failure, "\(serverName): \(error)")
            }
            await functions.shutdown()
        }
    }

    /// How long in-flight invocations may go on after SIGINT/SIGTERM before their functions are stopped: less than
    /// the ServiceGroup's graceful period, so that the server is still there to send their answers.
    static let drainGrace: Duration = .seconds(7)

    /// Runs `serve` (the HTTP server); on graceful shutdown, waits ``drainGrace`` for in-flight invocations, then
    /// stops every function so that each waiting request is answered with its API's error and the server can end.
    static func serveDraining(
        _ serve: @escaping @Sendable () async throws -> Void, functions: LocalFunctions
    ) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await serve()
                return true
            }
            group.addTask {
                try await gracefulShutdown()
                try await Task.sleep(for: drainGrace)
                await functions.shutdown()
                return false
            }
            // The drain ends first when requests were still running; the server's end is what ends this service.
            while let serverEnded = try await group.next() {
                if serverEnded { break }
            }
            group.cancelAll()
        }
    }

    static func staticDirectory(_ flag: String?, project: Project) -> URL? {
        if let flag { return URL(fileURLWithPath: flag).standardizedFileURL }
        let candidate = project.templateURL.deletingLastPathComponent().appendingPathComponent("public")
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? candidate : nil
    }

    /// A ProjectModel route as the gateway serves it.
    static func apiRoute(_ route: Route) -> APIRoute {
        APIRoute(
            method: route.method, path: route.path, kind: route.kind == .rest ? .rest : .http,
            payloadFormatVersion: route.payloadFormatVersion, functionLogicalID: route.functionLogicalID,
            apiID: route.apiLogicalID.split(separator: "/").last.map { $0.lowercased().prefix(10).description } ?? "",
            stage: route.stageName, stageVariables: route.stageVariables,
            cors: route.cors.map {
                CORSConfiguration(
                    allowOrigins: $0.allowOrigins, allowMethods: $0.allowMethods, allowHeaders: $0.allowHeaders,
                    exposeHeaders: $0.exposeHeaders, maxAge: $0.maxAge, allowCredentials: $0.allowCredentials)
            },
            authorizer: route.authorizer.map {
                AuthorizerConfiguration(
                    name: $0.name, functionLogicalID: $0.functionLogicalID,
                    type: $0.type == .token ? .token : .request, identitySources: $0.identitySources,
                    payloadFormatVersion: $0.payloadFormatVersion, enableSimpleResponses: $0.enableSimpleResponses)
            },
            binaryMediaTypes: route.binaryMediaTypes)
    }

    static func routeTable(_ routes: [APIRoute], host: String, port: Int, scheme: String = "http") -> String {
        let rows =
            [["METHOD", "URL", "API", "FUNCTION"]]
            + routes.map { route in
                let api = route.kind == .rest ? "REST" : "HTTP \(route.payloadFormatVersion)"
                let path = route.path == "$default" ? "/* ($default)" : route.path
                return [route.method, "\(scheme)://\(host):\(port)\(path)", api, route.functionLogicalID]
            }
        return ProjectListing.table(rows)
    }

    static func printBanner(_ title: String, table: String) {
        FileHandle.standardError.write(Data("\(title)\n\n\(table)\n".utf8))
    }

}

/// A long-running piece as a ServiceLifecycle `Service`.
struct ClosureService: Service {
    let name: String
    let body: @Sendable () async throws -> Void

    func run() async throws {
        try await body()
    }
}

extension ServerRunner {
    /// `standin bench-floor` (hidden): a bare Hummingbird server that answers every request with `body` as
    /// `application/json`, the bytes start-api sends for a function returning that body. `bench/api-load.py` measures
    /// it as the floor that start-api's overhead is compared with. Runs until SIGINT/SIGTERM.
    public static func benchFloor(host: String, port: Int, body: String) async throws(StandinError) {
        let bytes = ByteBuffer(string: body)
        let responder = CallbackResponder<BasicRequestContext> { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: bytes))
        }
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                printNote("bench-floor: listening on http://\(host):\(channel.localAddress?.port ?? port)")
            },
            logger: Logger(label: "standin.bench-floor"))
        let group = ServiceGroup(
            configuration: .init(
                services: [app], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "standin.bench-floor")))
        do {
            try await group.run()
        } catch {
            throw StandinError(.failure, "bench-floor: \(error)")
        }
    }
}

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
}

import APIGateway
import Foundation
import Hummingbird
import LambdaRuntime
import Logging
import ProjectModel
import ServiceLifecycle
import Synchronization

extension ServerRunner {
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
                services.append(
                    await ServerRunner.watchService(functions: functions, options: options, broker: broker,
                        reloadTemplate: reloadTemplate))
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
}

/// A long-running piece as a ServiceLifecycle `Service`.
struct ClosureService: Service {
    let name: String
    let body: @Sendable () async throws -> Void

    func run() async throws {
        try await body()
    }
}

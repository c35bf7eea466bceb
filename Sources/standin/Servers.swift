import ArgumentParser
import Foundation
import StandinKit

/// Flags of the two servers.
struct ServerFlags: ParsableArguments {
    @Option(name: .long, help: "The address to bind (127.0.0.1 keeps it off the network).")
    var host: String = "127.0.0.1"

    @Option(name: [.customShort("p"), .long], help: "The port (0 picks a free one).")
    var port: Int?

    @Option(name: .long, help: "eager: start one instance per function at start-up; lazy: on first use.")
    var warm: WarmMode = .lazy

    @Option(name: .long, help: "Concurrent instances per function.")
    var maxInstances: Int = 10

    @Flag(name: .long, help: "Do not reload functions when their code or the template changes.")
    var noWatch = false

    @Option(name: .long, help: "Seconds an idle instance stays warm before it is stopped.")
    var idleTimeout: Int = 300

    enum WarmMode: String, ExpressibleByArgument, CaseIterable { case eager, lazy }

    func serverOptions(defaultPort: Int) throws -> ServerOptions {
        guard maxInstances >= 1 else { throw ValidationError("--max-instances must be at least 1") }
        var options = ServerOptions(port: port ?? defaultPort)
        options.host = host
        options.eagerWarm = warm == .eager
        options.maxInstancesPerFunction = maxInstances
        options.watch = !noWatch
        options.idleTimeout = .seconds(max(1, idleTimeout))
        return options
    }
}

struct StartAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start-api",
        abstract: "Serve the template's APIs locally, as API Gateway would (REST 1.0 and HTTP API 2.0 payloads).")

    @Option(name: [.customShort("s"), .long], help: "Static files to serve (default: ./public beside the template).")
    var staticDir: String?

    @Option(
        name: .long,
        help: "Port of the first function URL (FunctionUrlConfig), the next ones after it (default: --port + 100).")
    var functionURLPort: Int?

    @OptionGroup var server: ServerFlags
    @OptionGroup var project: ProjectFlags
    @OptionGroup var runFlags: RunFlags
    @OptionGroup var credentials: CredentialFlags

    func run() async throws {
        let options = try await commonOptions(project, runFlags, credentials, samconfigCommand: "local_start_api")
        var serverOptions = try server.serverOptions(defaultPort: 3000)
        serverOptions.staticDirectory = staticDir
        serverOptions.functionURLPort = functionURLPort
        let finalServer = serverOptions
        try await runReportingErrors { try await ServerRunner.startAPI(options: options, server: finalServer) }
    }
}

struct StartLambda: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start-lambda",
        abstract: "Serve Lambda's Invoke API locally, for the AWS CLI and SDKs (--endpoint-url).")

    @OptionGroup var server: ServerFlags
    @OptionGroup var project: ProjectFlags
    @OptionGroup var runFlags: RunFlags
    @OptionGroup var credentials: CredentialFlags

    func run() async throws {
        let options = try await commonOptions(project, runFlags, credentials, samconfigCommand: "local_start_lambda")
        let serverOptions = try server.serverOptions(defaultPort: 3001)
        try await runReportingErrors { try await ServerRunner.startLambda(options: options, server: serverOptions) }
    }
}

import ArgumentParser
import Foundation
import StandinKit

/// `standin local invoke|start-api|start-lambda|generate-event`: SAM CLI's `sam local` command lines as they are
/// (names, short forms, defaults, repeatable forms, environment variables, samconfig keys, exit statuses), so that
/// `alias sam=standin`, Makefiles and IDE launch configurations written for SAM work unchanged.
struct Local: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local",
        abstract: "SAM CLI's `sam local` command lines, unchanged (alias sam=standin).",
        subcommands: [SAMLocalInvoke.self, SAMLocalStartAPI.self, SAMLocalStartLambda.self, SAMLocalGenerateEvent.self])
}

/// The options `sam local invoke`, `start-api` and `start-lambda` share.
struct SAMLocalOptions: ParsableArguments {
    @Option(
        name: [.customShort("t"), .customLong("template-file"), .customLong("template")],
        help: "The template (env SAM_TEMPLATE_FILE; default: .aws-sam/build/template.yaml, then template.yaml).")
    var templateFile: String?

    @Option(
        name: .customLong("parameter-overrides"), parsing: .upToNextOption,
        help: "'K=V ...', 'ParameterKey=K,ParameterValue=V ...' or file://params.json.")
    var parameterOverrides: [String] = []

    @Option(name: [.customShort("n"), .customLong("env-vars")], help: "JSON file of environment variables.")
    var envVars: String?

    @Option(name: .customLong("dotenv"), help: ".env file of variables (KEY=value, Function*KEY=value).")
    var dotenv: String?

    @Option(name: .customLong("container-env-vars"), help: "JSON file of variables for debug sessions only.")
    var containerEnvVars: String?

    @Option(name: [.customShort("d"), .customLong("debug-port")], help: "Debugger port (env SAM_DEBUG_PORT).")
    var debugPort: [Int] = []

    @Option(name: .customLong("debugger-path"), help: "A debugger's folder, put on the function's PATH.")
    var debuggerPath: String?

    @Option(name: .customLong("debug-args"), parsing: .unconditional, help: "Debugger arguments (env DEBUGGER_ARGS).")
    var debugArgs: String?

    @Option(name: [.customShort("l"), .customLong("log-file")], help: "Write the functions' logs to this file.")
    var logFile: String?

    @Flag(name: .customLong("shutdown"), help: "Send SHUTDOWN to extensions after the invoke (none run: no-op).")
    var shutdown = false

    @Option(name: .customLong("hook-name"), help: "IaC hook (terraform): not supported.")
    var hookName: String?

    @Flag(name: .customLong("skip-prepare-infra"), help: .hidden) var skipPrepareInfra = false
    @Flag(name: .customLong("prepare-infra"), help: .hidden) var prepareInfra = false
    @Option(name: .customLong("terraform-plan-file"), help: .hidden) var terraformPlanFile: String?

    // Docker-only options: accepted and ignored, named once per run.
    @Option(name: [.customShort("v"), .customLong("docker-volume-basedir")], help: .hidden) var dockerVolumeBasedir: String?
    @Option(name: .customLong("docker-network"), help: .hidden) var dockerNetwork: String?
    @Flag(name: .customLong("skip-pull-image"), help: .hidden) var skipPullImage = false
    @Flag(name: .customLong("force-image-build"), help: .hidden) var forceImageBuild = false
    @Option(name: .customLong("layer-cache-basedir"), help: .hidden) var layerCacheBasedir: String?
    @Option(name: .customLong("container-host"), help: .hidden) var containerHost: String?
    @Option(name: .customLong("container-host-interface"), help: .hidden) var containerHostInterface: String?
    @Option(name: .customLong("add-host"), help: .hidden) var addHost: [String] = []
    @Option(name: .customLong("container-dns"), help: .hidden) var containerDNS: [String] = []
    @Option(name: [.customLong("invoke-image"), .customLong("ii", withSingleDash: true)], help: .hidden)
    var invokeImage: [String] = []
    @Flag(name: .customLong("no-memory-limit"), help: .hidden) var noMemoryLimit = false
    @Option(name: .customLong("container-dotenv"), help: .hidden) var containerDotenv: String?

    @Option(name: .customLong("config-file"), help: "samconfig file (relative to the template's folder).")
    var configFile: String?

    @Option(name: .customLong("config-env"), help: "samconfig environment.")
    var configEnv: String = "default"

    @Flag(name: .customLong("save-params"), help: "Save these options in samconfig.")
    var saveParams = false

    @Flag(name: .customLong("debug"), help: "standin's own debug log (env SAM_DEBUG).")
    var debug = false

    @Flag(inversion: .prefixedNo, help: .hidden) var betaFeatures: Bool?

    @Option(name: .long, help: "The AWS region.") var region: String?
    @Option(name: .long, help: "The AWS profile.") var profile: String?

    // standin's own credential options, for the functions' roles.
    @Option(name: .long, help: "The role to run functions under (ARN, or Function=ARN).") var role: [String] = []
    @Flag(name: .long, help: "Run functions with your own credentials.") var noAssumeRole = false
    @Option(name: .long, help: "The deployed stack, to find roles.") var stackName: String?

    /// The Docker-only options given, as typed.
    var dockerOnlyOptions: [String] {
        var given: [String] = []
        if dockerVolumeBasedir != nil { given.append("--docker-volume-basedir") }
        if dockerNetwork != nil { given.append("--docker-network") }
        if skipPullImage { given.append("--skip-pull-image") }
        if forceImageBuild { given.append("--force-image-build") }
        if layerCacheBasedir != nil { given.append("--layer-cache-basedir") }
        if containerHost != nil { given.append("--container-host") }
        if containerHostInterface != nil { given.append("--container-host-interface") }
        if !addHost.isEmpty { given.append("--add-host") }
        if !containerDNS.isEmpty { given.append("--container-dns") }
        if !invokeImage.isEmpty { given.append("--invoke-image") }
        if noMemoryLimit { given.append("--no-memory-limit") }
        if containerDotenv != nil { given.append("--container-dotenv") }
        return given
    }

    func validate() throws {
        if hookName != nil || terraformPlanFile != nil || skipPrepareInfra || prepareInfra {
            throw ValidationError(
                "--hook-name (Terraform projects) is not supported: standin reads SAM and CloudFormation templates"
                    + " and serverless.yml")
        }
    }

    /// The kit's options: flags, their environment variables, then samconfig (from the template's folder).
    func options(command: String) async throws -> (CommonOptions, SAMConfigValues) {
        var options = CommonOptions()
        let environment = options.environment
        options.templatePath = templateFile ?? environment["SAM_TEMPLATE_FILE"]
        options.parameterOverrides = parameterOverrides
        options.envVarsFile = envVars
        options.dotenvFile = dotenv
        options.containerEnvVarsFile = containerEnvVars
        options.logFile = logFile
        options.region = region
        options.profile = profile
        options.roles = role
        options.noAssumeRole = noAssumeRole
        options.stackName = stackName
        options.configFile = configFile
        options.configEnvironment = configEnv
        options.debugPort = debugPort.first ?? environment["SAM_DEBUG_PORT"].flatMap { Int($0) }
        if let debugArgs { options.environment["DEBUGGER_ARGS"] = debugArgs }
        let config = try await runReportingSAMErrors { () throws(StandinError) in
            try options.applySAMConfig(command: command)
        }
        if config.flag("debug") { StandinLogHandler.enableDebug() }
        if let path = debuggerPath ?? config.text("debugger_path") {
            options.environment["PATH"] = path + ":" + (options.environment["PATH"] ?? "/usr/bin:/bin")
        }
        if options.containerEnvVarsFile == nil { options.containerEnvVarsFile = config.text("container_env_vars") }
        if options.dotenvFile == nil { options.dotenvFile = config.text("dotenv") }
        if !dockerOnlyOptions.isEmpty {
            FileHandle.standardError.write(
                Data("standin: ignored (no Docker here): \(dockerOnlyOptions.joined(separator: ", "))\n".utf8))
        }
        return (options, config)
    }
}

/// `sam local invoke`: exit 0 when the function ran, even when it returned an error (as SAM); 1 for anything that
/// stops it first; 2 for a command line that does not parse.
struct SAMLocalInvoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke", abstract: "sam local invoke: one invocation, SAM's options and exit statuses.")

    @Argument(help: "FUNCTION_LOGICAL_ID (optional when the template has one function).")
    var functionLogicalID: String?

    @Option(name: [.customShort("e"), .long], help: "The event file; - for standard input.")
    var event: String?

    @Flag(name: .customLong("no-event"), help: .hidden) var noEvent = false

    @Option(name: [.customShort("r"), .long], help: "Run with this runtime instead of the function's.")
    var runtime: String?

    @Option(name: .customLong("tenant-id"), help: "The tenant passed to the function (tenant isolation).")
    var tenantID: String?

    @Option(name: .customLong("durable-execution-name"), help: .hidden) var durableExecutionName: String?
    @Flag(name: .customLong("mount-symlinks"), help: .hidden) var mountSymlinks = false

    @OptionGroup var common: SAMLocalOptions

    func run() async throws {
        let (options, config) = try await common.options(command: "local_invoke")
        if common.saveParams { try await saveParams(options) }
        let eventPath = event ?? config.text("event")
        let input: EventInput =
            noEvent ? .inline("{}") : eventPath == "-" ? .standardInput : eventPath.map { .file($0) } ?? .automatic
        InterruptHandling.install()
        let final = options
        let outcome = try await runReportingSAMErrors { () throws(StandinError) in
            try await InvokeRunner.run(
                options: final, function: functionLogicalID, event: input, runtime: runtime ?? config.text("runtime"),
                tenantID: tenantID ?? config.text("tenant_id"))
        }
        FileHandle.standardOutput.write(Data(outcome.payload))
        if isatty(1) == 1 { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }

    private func saveParams(_ options: CommonOptions) async throws {
        var values: [String: SAMConfig.Value] = [:]
        if let functionLogicalID { values["function_logical_id"] = .string(functionLogicalID) }
        if let event { values["event"] = .string(event) }
        if let runtime { values["runtime"] = .string(runtime) }
        if let tenantID { values["tenant_id"] = .string(tenantID) }
        try await common.save(values, command: "local_invoke", options: options)
    }
}

/// `sam local start-api`.
struct SAMLocalStartAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start-api", abstract: "sam local start-api: SAM's options, served by standin's gateway.")

    @Option(name: .long, help: "The address to bind.") var host: String?
    @Option(name: [.customShort("p"), .long], help: "The port (default 3000).") var port: Int?
    @Option(name: [.customShort("s"), .customLong("static-dir")], help: "Static files (default: public).")
    var staticDir: String?
    @Flag(name: .customLong("disable-authorizer"), help: "Run routes without their Lambda authorizers.")
    var disableAuthorizer = false
    @Option(name: .customLong("ssl-cert-file"), help: "HTTPS certificate (PEM).") var sslCertFile: String?
    @Option(name: .customLong("ssl-key-file"), help: "HTTPS private key (PEM).") var sslKeyFile: String?
    @Option(name: .customLong("warm-containers"), help: "EAGER or LAZY.") var warmContainers: String?
    @Option(name: .customLong("debug-function"), help: "The function to debug.") var debugFunction: String?
    @Flag(name: .customLong("no-watch"), help: "Do not reload on changes.") var noWatch = false

    @OptionGroup var common: SAMLocalOptions

    func validate() throws {
        if (sslCertFile == nil) != (sslKeyFile == nil) {
            throw ValidationError("--ssl-cert-file and --ssl-key-file must be given together")
        }
        try checkWarmContainers(warmContainers)
    }

    func run() async throws {
        var (options, config) = try await common.options(command: "local_start_api")
        options.debugFunction = debugFunction ?? config.text("debug_function") ?? options.debugFunction
        var server = try samServerOptions(
            host: host, port: port, warmContainers: warmContainers, noWatch: noWatch, config: config, defaultPort: 3000)
        server.staticDirectory = staticDir ?? config.text("static_dir") ?? "public"
        if server.staticDirectory == "" { server.staticDirectory = nil }
        server.disableAuthorizer = disableAuthorizer || config.flag("disable_authorizer")
        if let certificate = sslCertFile ?? config.text("ssl_cert_file"), let key = sslKeyFile ?? config.text("ssl_key_file") {
            server.tls = (certificate, key)
        }
        if common.saveParams {
            var values = serverValues(host: host, port: port, warmContainers: warmContainers)
            if let staticDir { values["static_dir"] = .string(staticDir) }
            if disableAuthorizer { values["disable_authorizer"] = .bool(true) }
            try await common.save(values, command: "local_start_api", options: options)
        }
        let (finalOptions, finalServer) = (options, server)
        try await runReportingSAMErrors { () throws(StandinError) in
            try await ServerRunner.startAPI(options: finalOptions, server: finalServer)
        }
    }
}

/// `sam local start-lambda [FUNCTION_LOGICAL_ID...]`.
struct SAMLocalStartLambda: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start-lambda", abstract: "sam local start-lambda: SAM's options, standin's Invoke API.")

    @Argument(help: "Serve only these functions (default: all).") var functionLogicalIDs: [String] = []
    @Option(name: .long, help: "The address to bind.") var host: String?
    @Option(name: [.customShort("p"), .long], help: "The port (default 3001).") var port: Int?
    @Option(name: .customLong("warm-containers"), help: "EAGER or LAZY.") var warmContainers: String?
    @Option(name: .customLong("debug-function"), help: "The function to debug.") var debugFunction: String?
    @Flag(name: .customLong("no-watch"), help: "Do not reload on changes.") var noWatch = false

    @OptionGroup var common: SAMLocalOptions

    func validate() throws { try checkWarmContainers(warmContainers) }

    func run() async throws {
        var (options, config) = try await common.options(command: "local_start_lambda")
        options.debugFunction = debugFunction ?? config.text("debug_function") ?? options.debugFunction
        var server = try samServerOptions(
            host: host, port: port, warmContainers: warmContainers, noWatch: noWatch, config: config, defaultPort: 3001)
        server.functionFilter = functionLogicalIDs
        if common.saveParams {
            let values = serverValues(host: host, port: port, warmContainers: warmContainers)
            try await common.save(values, command: "local_start_lambda", options: options)
        }
        let (finalOptions, finalServer) = (options, server)
        try await runReportingSAMErrors { () throws(StandinError) in
            try await ServerRunner.startLambda(options: finalOptions, server: finalServer)
        }
    }
}

/// `sam local generate-event SERVICE EVENT [--options]`.
struct SAMLocalGenerateEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-event", abstract: "sam local generate-event: sample events.")

    @Argument(parsing: .captureForPassthrough, help: "SERVICE EVENT [--option value ...]")
    var arguments: [String] = []

    func run() throws {
        try GenerateEvent.emit(arguments)
    }
}

/// `--warm-containers` takes EAGER or LAZY, in any case (click's case-insensitive choice).
func checkWarmContainers(_ value: String?) throws {
    guard let value else { return }
    guard ["EAGER", "LAZY"].contains(value.uppercased()) else {
        throw ValidationError("--warm-containers: '\(value)' is not one of 'EAGER', 'LAZY'")
    }
}

/// The server settings of `sam local start-api` / `start-lambda`: flags, then samconfig, then SAM's defaults.
///
/// Without `--warm-containers` SAM starts a fresh container per request; standin keeps instances warm (a process
/// starts in milliseconds, not seconds) and reloads them when code changes. `EAGER` starts one per function at
/// start-up, `LAZY` on first use.
func samServerOptions(
    host: String?, port: Int?, warmContainers: String?, noWatch: Bool, config: SAMConfigValues, defaultPort: Int
) throws -> ServerOptions {
    let configPort = config.text("port").flatMap { Int($0) }
    var server = ServerOptions(port: port ?? configPort ?? defaultPort)
    server.host = host ?? config.text("host") ?? "127.0.0.1"
    let warm = (warmContainers ?? config.text("warm_containers"))?.uppercased()
    try checkWarmContainers(warm)
    server.eagerWarm = warm == "EAGER"
    server.watch = !(noWatch || config.flag("no_watch"))
    return server
}

/// The server options given on the command line, as `--save-params` writes them.
func serverValues(host: String?, port: Int?, warmContainers: String?) -> [String: SAMConfig.Value] {
    var values: [String: SAMConfig.Value] = [:]
    if let host { values["host"] = .string(host) }
    if let port { values["port"] = .number(Double(port)) }
    if let warmContainers { values["warm_containers"] = .string(warmContainers.uppercased()) }
    return values
}

extension SAMLocalOptions {
    /// `--save-params`: writes the options given on the command line into samconfig's `[env.command.parameters]`.
    func save(_ extra: [String: SAMConfig.Value], command: String, options: CommonOptions) async throws {
        var values = extra
        if let templateFile { values["template_file"] = .string(templateFile) }
        if !parameterOverrides.isEmpty { values["parameter_overrides"] = .string(parameterOverrides.joined(separator: " ")) }
        if let envVars { values["env_vars"] = .string(envVars) }
        if let containerEnvVars { values["container_env_vars"] = .string(containerEnvVars) }
        if !debugPort.isEmpty { values["debug_port"] = .number(Double(debugPort[0])) }
        if let debugArgs { values["debug_args"] = .string(debugArgs) }
        if let debuggerPath { values["debugger_path"] = .string(debuggerPath) }
        if let logFile { values["log_file"] = .string(logFile) }
        if let region { values["region"] = .string(region) }
        if let profile { values["profile"] = .string(profile) }
        let saved = try await runReportingSAMErrors { () throws(StandinError) in
            try SAMConfig.save(values, command: command, options: options)
        }
        FileHandle.standardError.write(Data("standin: saved parameters to config file \(saved.path)\n".utf8))
    }
}

/// Runs a kit call for the SAM grammar: a `StandinError` is printed as SAM prints a user error (`Error: ...`) and
/// exits 1, whatever its kind, as `sam` does.
func runReportingSAMErrors<T>(_ body: () async throws(StandinError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
        throw ExitCode(1)
    }
}

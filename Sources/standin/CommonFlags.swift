import ArgumentParser
import Foundation
import StandinKit

/// Flags shared by every command that reads a project and runs functions.
struct ProjectFlags: ParsableArguments {
    @Option(
        name: [.customShort("t"), .long, .customLong("template-file")],
        help: "The SAM template or serverless.yml (default: found in this folder).")
    var template: String?

    @Option(
        name: .long, parsing: .upToNextOption,
        help: "Template parameters: 'Key=Value ...' or 'ParameterKey=Key,ParameterValue=Value ...'.")
    var parameterOverrides: [String] = []

    @Option(name: .long, help: "Serverless Framework stage (serverless.yml projects).")
    var stage: String?

    @Option(name: .long, help: "A samconfig.toml or .yaml with default flag values (default: samconfig.toml here).")
    var configFile: String?

    @Option(name: .long, help: "The samconfig environment to read.")
    var configEnv: String = "default"

    func apply(to options: inout CommonOptions) {
        options.templatePath = template
        options.parameterOverrides = parameterOverrides
        options.stage = stage
        options.configFile = configFile
        options.configEnvironment = configEnv
    }
}

/// Flags for credentials and the function's role.
struct CredentialFlags: ParsableArguments {
    @Option(name: .long, help: "The AWS profile to use (as the AWS CLI).")
    var profile: String?

    @Option(name: .long, help: "The AWS region (as the AWS CLI).")
    var region: String?

    @Option(
        name: .long,
        help: "The role to run functions under: ARN for every function, or Function=ARN (repeatable).")
    var role: [String] = []

    @Flag(name: .long, help: "Run functions with your own credentials instead of their role's.")
    var noAssumeRole = false

    @Option(name: .long, help: "The deployed stack, to find roles that CloudFormation named.")
    var stackName: String?

    @Option(name: .long, help: "The MFA code for a profile with mfa_serial (instead of a prompt).")
    var mfaCode: String?

    func apply(to options: inout CommonOptions) {
        options.profile = profile
        options.region = region
        options.roles = role
        options.noAssumeRole = noAssumeRole
        options.stackName = stackName
        options.mfaCode = mfaCode
    }
}

/// Flags for the function's environment and logs.
struct RunFlags: ParsableArguments {
    @Option(name: [.customShort("n"), .long], help: "A JSON file of environment variables (SAM's --env-vars format).")
    var envVars: String?

    @Option(name: [.customShort("l"), .long], help: "Write function logs to this file instead of standard error.")
    var logFile: String?

    @Option(
        name: .long,
        help: "Start the function under its debugger on 127.0.0.1:PORT (debugpy, node --inspect-brk, DEBUGGER_ARGS).")
    var debugPort: Int?

    @Option(name: .long, help: "With --debug-port on a server: the function to debug.")
    var debugFunction: String?

    @Option(name: .long, parsing: .unconditional, help: "Extra debugger arguments (as SAM's DEBUGGER_ARGS).")
    var debugArgs: String?

    func apply(to options: inout CommonOptions) {
        options.envVarsFile = envVars
        options.logFile = logFile
        options.debugPort = debugPort ?? options.environment["SAM_DEBUG_PORT"].flatMap(Int.init)
        options.debugFunction = debugFunction
        if let debugArgs { options.environment["DEBUGGER_ARGS"] = debugArgs }
    }
}

/// The options of a command: its flag groups applied in order, then samconfig for what they left unset.
/// - Parameter samconfigCommand: SAM's section name for the command (`local_invoke`, `validate`, ...).
func commonOptions(
    _ project: ProjectFlags, _ run: RunFlags? = nil, _ credentials: CredentialFlags? = nil, samconfigCommand: String
) async throws -> CommonOptions {
    var options = CommonOptions()
    project.apply(to: &options)
    run?.apply(to: &options)
    credentials?.apply(to: &options)
    _ = try await runReportingErrors { try options.applySAMConfig(command: samconfigCommand) }
    return options
}

/// Runs a kit call, turning a `StandinError` into its message on standard error and its exit status.
func runReportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as StandinError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode(error.exitStatus)
    }
}

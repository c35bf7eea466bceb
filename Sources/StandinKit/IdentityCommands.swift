import AWSAuth
import AsyncHTTPClient
import Foundation
import LambdaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// `standin whoami`, `standin env` and `standin exec`.
public enum IdentityCommands {
    /// `whoami [FUNCTION]`: the caller's identity, or the identity the function runs as.
    public static func whoami(options: CommonOptions, function name: String?) async throws(StandinError) -> String {
        let broker = IdentityBroker(options: options)
        guard let name else {
            let context = try await broker.callerContext()
            let caller = try await broker.callerIdentityInfo()
            return """
                Arn:         \(caller.arn)
                Account:     \(caller.account)
                UserId:      \(caller.userID)
                Credentials: \(context.source)
                Region:      \(broker.region)

                """
        }
        let session = try Session.open(options, region: broker.region)
        let function = try session.function(name)
        let identity = try await broker.identity(for: function, minimumValidity: .seconds(60))
        identity.printNotes()
        guard let credentials = identity.credentials else {
            return "\(function.logicalID) runs with no AWS credentials\n"
        }
        let sts = STSClient(
            credentials: Credentials(
                accessKeyID: credentials.accessKeyID, secretAccessKey: credentials.secretAccessKey,
                sessionToken: credentials.sessionToken, expiration: nil),
            region: broker.region, endpoint: broker.stsEndpoint(), httpClient: HTTPClient.shared)
        let seen: CallerIdentity
        do {
            seen = try await sts.getCallerIdentity()
        } catch {
            throw .credentials("\(function.logicalID): sts:GetCallerIdentity with its credentials failed: \(error)")
        }
        var lines = [
            "Function:    \(function.logicalID)",
            "Arn:         \(seen.arn)",
            "Account:     \(seen.account)",
        ]
        if let role = identity.roleARN { lines.append("Role:        \(role)") } else {
            lines.append("Role:        none (your own credentials)")
        }
        lines.append("Region:      \(broker.region)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The variables `standin env` prints and `standin exec` adds, for `function`.
    public static func functionVariables(options: CommonOptions, function name: String) async throws(StandinError)
        -> [String: String]
    {
        let broker = IdentityBroker(options: options)
        let session = try Session.open(options, region: broker.region)
        let function = try session.runnableFunction(name)
        let identity = try await broker.identity(for: function, minimumValidity: .seconds(300))
        identity.printNotes()
        let configuration = try session.configuration(
            for: function, credentials: identity.credentials, accountID: identity.accountID)
        return FunctionEnvironmentCommand.variables(configuration)
    }

    /// `exec FUNCTION -- COMMAND...`: replaces this process with `command`, in the function's environment.
    /// - Throws: `StandinError` when the command cannot be started; never returns otherwise.
    public static func exec(options: CommonOptions, function name: String, command: [String]) async throws(StandinError)
    {
        guard let program = command.first else { throw .usage("exec: give a command after --") }
        let variables = try await functionVariables(options: options, function: name)
        let environment = FunctionEnvironmentCommand.execEnvironment(shell: options.environment, function: variables)
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        guard let path = executablePath(program, searchPath: environment["PATH"] ?? "/usr/bin:/bin") else {
            throw .usage("exec: \(program): command not found")
        }
        execve(path, argv, envp)
        let reason = String(cString: strerror(errno))
        throw .usage("exec: cannot run \(program): \(reason)")
    }
}

/// `program` itself when it has a slash, else the first executable of that name on `searchPath`.
func executablePath(_ program: String, searchPath: String) -> String? {
    if program.contains("/") { return program }
    for directory in searchPath.split(separator: ":") {
        let candidate = "\(directory)/\(program)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

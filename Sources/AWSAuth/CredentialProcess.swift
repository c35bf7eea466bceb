import Foundation
import ProcessLauncher

/// Runs a profile's `credential_process` (no shell; the command line split like Python's `shlex.split`) and reads
/// its JSON: `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`.
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html
public enum CredentialProcess {
    /// Runs `commandLine` with `environment` and returns its credentials.
    /// - Parameter profile: names the profile in error messages.
    /// - Throws: `AWSAuthError` (credential process) on a launch failure, a non-zero exit (with stderr), or bad JSON.
    public static func run(
        _ commandLine: String, environment: [String: String], profile: String
    ) async throws(AWSAuthError) -> Credentials {
        let words = try ShellWords.split(commandLine)
        guard let program = words.first else {
            throw .credentialProcess("credential_process of profile \"\(profile)\" is empty")
        }
        guard let executable = resolve(program, path: environment["PATH"]) else {
            throw .credentialProcess(
                "credential_process of profile \"\(profile)\": \(program) not found "
                    + "(PATH: \(environment["PATH"] ?? ""))"
            )
        }
        let result: ToolRun
        do {
            result = try await launch(executable, Array(words.dropFirst()), environment: environment)
        } catch {
            throw .credentialProcess("credential_process of profile \"\(profile)\": cannot run \(program): \(error)")
        }
        guard result.succeeded else {
            let stderr = result.errorOutput.trimmingWhitespace()
            throw .credentialProcess(
                "credential_process of profile \"\(profile)\" (\(program)) "
                    + (result.exited ? "exited with status \(result.status)" : "was ended by signal \(result.status)")
                    + (stderr.isEmpty ? "" : ": \(stderr)"))
        }
        return try parse(Data(result.outputBytes), profile: profile)
    }

    /// Reads the process output JSON.
    static func parse(_ data: Data, profile: String) throws(AWSAuthError) -> Credentials {
        struct Output: Decodable {
            var version: Int?
            var accessKeyID: String?
            var secretAccessKey: String?
            var sessionToken: String?
            var expiration: String?
            enum CodingKeys: String, CodingKey {
                case version = "Version"
                case accessKeyID = "AccessKeyId"
                case secretAccessKey = "SecretAccessKey"
                case sessionToken = "SessionToken"
                case expiration = "Expiration"
            }
        }
        let prefix = "credential_process of profile \"\(profile)\""
        guard let output = try? JSONDecoder().decode(Output.self, from: data) else {
            throw .credentialProcess(
                "\(prefix) did not print a JSON object: \(QueryProtocolClient.preview(Array(data)))")
        }
        guard output.version == 1 else {
            throw .credentialProcess(
                "\(prefix): unsupported Version \(output.version.map(String.init) ?? "(missing)"); supported: 1")
        }
        guard let accessKeyID = nonEmpty(output.accessKeyID) else {
            throw .credentialProcess("\(prefix): no AccessKeyId")
        }
        guard let secret = nonEmpty(output.secretAccessKey) else {
            throw .credentialProcess("\(prefix): no SecretAccessKey")
        }
        var expiration: Date?
        if let text = nonEmpty(output.expiration) {
            guard let date = AWSTimestamp.parse(text) else {
                throw .credentialProcess("\(prefix): cannot read Expiration \(text)")
            }
            expiration = date
        }
        return Credentials(
            accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: nonEmpty(output.sessionToken),
            expiration: expiration)
    }

    /// Finds `program` on `path` unless it contains a `/`.
    static func resolve(_ program: String, path: String?) -> String? {
        if program.contains("/") { return program }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs the process on a thread of its own (it may take seconds: a browser sign-in, an MFA prompt), reading both
    /// of its outputs there, so no task of the cooperative pool blocks on it.
    static func launch(_ executable: String, _ arguments: [String], environment: [String: String]) async throws(SpawnError)
        -> ToolRun
    {
        let result: Result<ToolRun, SpawnError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    returning: Result { () throws(SpawnError) -> ToolRun in
                        try ToolRun.run(executable, arguments, environment: environment, standardError: .separate)
                    })
            }
        }
        return try result.get()
    }
}

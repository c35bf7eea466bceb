import Foundation
import LambdaRuntime

/// `standin env` and `standin exec`: a function's environment and role credentials, for other tools.
public enum FunctionEnvironmentCommand {
    /// Output formats of `standin env`.
    public enum Format: String, Sendable, CaseIterable {
        case sh, dotenv, json
    }

    /// Variables of the caller's own identity that never reach a command run as the function.
    static let callerVariables: Set<String> = [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ACCESS_KEY",
        "AWS_SECRET_KEY", "AWS_CREDENTIAL_EXPIRATION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN",
        "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
    ]

    /// Host-specific variables of a function's process that make no sense in another tool's environment.
    static let processOnlyVariables: Set<String> = ["AWS_LAMBDA_RUNTIME_API", "PATH", "HOME", "LANG", "TZ"]

    /// The function's environment as another tool should see it.
    public static func variables(_ configuration: FunctionConfiguration) -> [String: String] {
        FunctionEnvironment.build(configuration, runtimeAPI: "127.0.0.1:0")
            .filter { !processOnlyVariables.contains($0.key) }
    }

    /// Renders `variables` in `format`, sorted by name.
    public static func render(_ variables: [String: String], format: Format) -> String {
        let sorted = variables.sorted { $0.key < $1.key }
        switch format {
        case .sh:
            return sorted.map { "export \($0.key)=\(shellQuote($0.value))" }.joined(separator: "\n") + "\n"
        case .dotenv:
            return sorted.map { "\($0.key)=\(dotenvQuote($0.value))" }.joined(separator: "\n") + "\n"
        case .json:
            let data =
                (try? JSONSerialization.data(withJSONObject: variables, options: [.prettyPrinted, .sortedKeys]))
                ?? Data()
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    /// The environment for `standin exec`: the shell's, less the caller's credentials and profile, plus the function's.
    public static func execEnvironment(shell: [String: String], function: [String: String]) -> [String: String] {
        var result = shell.filter { !callerVariables.contains($0.key) }
        result.merge(function) { $1 }
        return result
    }

    static func shellQuote(_ value: String) -> String {
        if !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:=@,+".contains($0) }) { return value }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func dotenvQuote(_ value: String) -> String {
        if !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:@,+".contains($0) }) { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}

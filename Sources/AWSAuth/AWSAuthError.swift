/// An error from the AWSAuth module (configuration, credential resolution, transport); AWS error responses are
/// `AWSServiceError`.
public struct AWSAuthError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Code: Sendable, Equatable {
        case configuration, noCredentials, credentialProcess, transport, invalidResponse, invalidInput
    }

    private let code: Code
    /// The human-readable explanation.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A problem in the shared config or credentials files, or in a profile's settings.
    public static func configuration(_ message: String) -> AWSAuthError { AWSAuthError(.configuration, message) }
    /// No provider in the chain found credentials.
    public static func noCredentials(_ message: String) -> AWSAuthError { AWSAuthError(.noCredentials, message) }
    /// A `credential_process` command failed or printed something unusable.
    public static func credentialProcess(_ message: String) -> AWSAuthError {
        AWSAuthError(.credentialProcess, message)
    }
    /// The HTTP request itself failed (connection refused, timeout).
    public static func transport(_ message: String) -> AWSAuthError { AWSAuthError(.transport, message) }
    /// The service answered with something we could not read.
    public static func invalidResponse(_ message: String) -> AWSAuthError { AWSAuthError(.invalidResponse, message) }
    /// A caller passed a value that cannot be used (a malformed URL, an ARN that does not parse).
    public static func invalidInput(_ message: String) -> AWSAuthError { AWSAuthError(.invalidInput, message) }

    /// True for configuration errors.
    public var isConfigurationError: Bool { code == .configuration }
    /// True when no credentials were found at all.
    public var isNoCredentials: Bool { code == .noCredentials }
    /// True for `credential_process` failures.
    public var isCredentialProcessError: Bool { code == .credentialProcess }

    /// The message.
    public var description: String { message }
}

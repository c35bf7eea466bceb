import Foundation

/// An error that stops a standin command, with a message meant for the person at the terminal.
///
/// Library errors (a template error, an STS error, a runtime error) are wrapped with the context of the
/// command; `description` is what the command line prints after `error: `.
public struct StandinError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is, which decides the exit status.
    public enum Kind: Sendable, Equatable {
        /// Bad input: a flag, a file, an event, a template (exit status 2).
        case usage
        /// Credentials, roles and AWS calls (exit status 3).
        case credentials
        /// Anything else (exit status 1).
        case failure
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind = .failure, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The process exit status that fits this error.
    public var exitStatus: Int32 {
        switch kind {
        case .usage: 2
        case .credentials: 3
        case .failure: 1
        }
    }

    static func usage(_ message: String) -> StandinError { StandinError(.usage, message) }
    static func credentials(_ message: String) -> StandinError { StandinError(.credentials, message) }
    static func failure(_ message: String) -> StandinError { StandinError(.failure, message) }
}

/// An error from the sample event catalogue: an unknown service, event or option, or a value that cannot be used.
public struct SampleEventError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case unknownService, unknownEvent, unknownOption, invalidValue, missingValue, unexpectedArgument
    }

    private let code: Code
    /// A one-line, human-readable message.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// The service name is not in the catalogue.
    public static func unknownService(_ name: String, suggestion: String?) -> SampleEventError {
        SampleEventError(.unknownService, "unknown service '\(name)'" + didYouMean(suggestion))
    }

    /// The event name is not one of the service's events.
    public static func unknownEvent(_ name: String, service: String, suggestion: String?) -> SampleEventError {
        SampleEventError(.unknownEvent, "unknown event '\(name)' for service '\(service)'" + didYouMean(suggestion))
    }

    /// The option is not one the event takes.
    public static func unknownOption(_ name: String, event: String, suggestion: String?) -> SampleEventError {
        SampleEventError(
            .unknownOption,
            "unknown option '--\(name)' for event '\(event)'" + didYouMean(suggestion.map { "--" + $0 })
        )
    }

    /// The option's value cannot be used.
    public static func invalidValue(option: String, value: String, reason: String) -> SampleEventError {
        SampleEventError(.invalidValue, "invalid value '\(value)' for '--\(option)': \(reason)")
    }

    /// The option was given without a value.
    public static func missingValue(option: String) -> SampleEventError {
        SampleEventError(.missingValue, "option '--\(option)' needs a value")
    }

    /// A positional argument where none is expected.
    public static func unexpectedArgument(_ argument: String) -> SampleEventError {
        SampleEventError(.unexpectedArgument, "unexpected argument '\(argument)'")
    }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Is this an unknown-name error (service, event or option)?
    public var isUnknownName: Bool { [.unknownService, .unknownEvent, .unknownOption].contains(code) }
}

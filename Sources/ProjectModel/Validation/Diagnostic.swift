/// One finding of `ProjectValidator`: an error or a warning at a position in a template (or a file it names).
public struct Diagnostic: Sendable, Equatable, Codable, CustomStringConvertible {
    /// How bad a finding is.
    public enum Severity: String, Sendable, Equatable, Codable {
        /// The project cannot be run as it is (or would fail to deploy).
        case error
        /// The project runs, but something is deprecated or needs an extra flag.
        case warning
    }

    /// Error or warning.
    public var severity: Severity
    /// The file, relative to the working directory when below it; empty when no file is involved.
    public var file: String
    /// Line from 1, when known.
    public var line: Int?
    /// Column from 1, when known.
    public var column: Int?
    /// The field path, e.g. `Resources.Hello.Properties.Runtime`; nil when not about one field.
    public var path: String?
    /// The human-readable message.
    public var message: String
    /// The kind of load error behind the finding, when it comes from the loader (not encoded).
    public var kind: ProjectError.Kind?

    enum CodingKeys: String, CodingKey {
        case severity, file, line, column, path, message
    }

    /// Creates a diagnostic.
    public init(
        _ severity: Severity,
        file: String,
        line: Int? = nil,
        column: Int? = nil,
        path: String? = nil,
        message: String
    ) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// A diagnostic at a template position.
    public init(_ severity: Severity, at location: SourceLocation, path: String?, message: String) {
        self.init(
            severity,
            file: location.file,
            line: location.line,
            column: location.column,
            path: path,
            message: message
        )
    }

    /// The error diagnostic for a load error.
    public init(_ error: ProjectError) {
        self.init(.error, error)
    }

    /// A diagnostic of `severity` for a load error, with `suffix` added to its message.
    public init(_ severity: Severity, _ error: ProjectError, suffix: String = "") {
        self.init(
            severity,
            file: error.file,
            line: error.line,
            column: error.column,
            path: error.path,
            message: error.message + suffix
        )
        kind = error.kind
    }

    /// `file:line:col: error: path: message` (the parts that are known).
    public var description: String {
        SourceLocation.describe(
            file: file,
            line: line,
            column: column,
            label: severity.rawValue,
            path: path,
            message: message
        )
    }
}

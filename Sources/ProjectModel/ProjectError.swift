/// Why a project could not be loaded: names the file, line, column and field path of the problem.
///
/// `description` is `file:line:col: path: message`, e.g.
/// `template.yaml:14:7: Resources.Hello.Properties.Runtime: ...`. Parts that are not known are left out.
public struct ProjectError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, broadly.
    public enum Kind: Sendable, Equatable {
        /// No template was found, or it could not be read.
        case templateNotFound
        /// The file is not valid YAML / JSON.
        case syntax
        /// A value has the wrong type or an invalid value.
        case invalidValue
        /// A `Ref`, `GetAtt`, `Sub` variable, condition or mapping entry names something that does not exist.
        case unknownReference
        /// A required property is missing.
        case missingProperty
        /// An override/AllowedValues problem, or an override naming no declared parameter.
        case parameter
        /// A `Ref` / `Fn::Sub` of a parameter that has neither a Default nor an override. Left unresolved, as SAM's
        /// local resolver leaves it: only a property that needs the value fails, and only its function.
        case parameterWithoutValue
        /// Something standin cannot run locally (S3 code, unsupported intrinsic...).
        case unsupported
        /// A code archive could not be read or extracted.
        case codeArchive
    }

    /// What went wrong, broadly.
    public var kind: Kind
    /// The file (relative to the working directory when below it); empty when no file is involved.
    public var file: String
    /// Line from 1, when known.
    public var line: Int?
    /// Column from 1, when known.
    public var column: Int?
    /// The field path, e.g. `Resources.Hello.Properties.Runtime`; nil when not about one field.
    public var path: String?
    /// The human-readable message.
    public var message: String

    /// Creates an error.
    public init(
        _ kind: Kind,
        file: String,
        line: Int? = nil,
        column: Int? = nil,
        path: String? = nil,
        message: String
    ) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// Creates an error at a template location.
    public init(_ kind: Kind, at location: SourceLocation, path: String?, message: String) {
        self.init(kind, file: location.file, line: location.line, column: location.column, path: path, message: message)
    }

    /// The location, when the error has a file, line and column.
    public var location: SourceLocation? {
        guard let line, let column, !file.isEmpty else { return nil }
        return SourceLocation(file: file, line: line, column: column)
    }

    /// `file:line:col: path: message`.
    public var description: String {
        SourceLocation.describe(file: file, line: line, column: column, path: path, message: message)
    }
}

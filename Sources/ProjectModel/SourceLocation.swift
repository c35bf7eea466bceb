import Foundation

/// A position in a template: the file (relative to the working directory when below it), line and column from 1.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file, as it is shown in diagnostics.
    public var file: String
    /// Line, counted from 1.
    public var line: Int
    /// Column, counted from 1 (in Unicode scalars, as libyaml counts).
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(line):\(column)" }
}

extension SourceLocation {
    /// `file:line:col: label: path: message`, leaving out the parts that are not known (and the label when nil):
    /// the one format of `ProjectError` and `Diagnostic` descriptions.
    static func describe(
        file: String,
        line: Int?,
        column: Int?,
        label: String? = nil,
        path: String?,
        message: String
    ) -> String {
        var text = ""
        if !file.isEmpty {
            text += file
            if let line {
                text += ":\(line)"
                if let column { text += ":\(column)" }
            }
            text += ": "
        }
        if let label { text += "\(label): " }
        if let path, !path.isEmpty { text += "\(path): " }
        return text + message
    }
}

extension SourceLocation {
    /// The line and column (from 1, columns in Unicode scalars) of the first byte of `data` that is not valid
    /// UTF-8; nil when all of it is. For errors that name where a file stops being text.
    public static func firstInvalidUTF8(in data: Data) -> (line: Int, column: Int)? {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var line = 1
        var column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return nil
            case .error:
                return (line, column)
            }
        }
    }
}

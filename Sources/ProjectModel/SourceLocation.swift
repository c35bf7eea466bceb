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

/// What `ProjectValidator.validate` found.
public struct ValidationReport: Sendable {
    /// Every finding, sorted by file, line and column.
    public var diagnostics: [Diagnostic]
    /// The project, when it loaded with no load errors (other findings may still be errors).
    public var project: Project?

    /// True when a diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The errors.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// The warnings.
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// Creates a report.
    public init(diagnostics: [Diagnostic], project: Project?) {
        self.diagnostics = diagnostics
        self.project = project
    }
}

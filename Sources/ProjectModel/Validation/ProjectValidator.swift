import Foundation

/// `standin validate`: loads a project and checks it and the code it points at, collecting every finding it can
/// as a `Diagnostic` with the file, line and field.
///
/// Besides what the loader checks (each function is loaded on its own, so one broken function does not hide the
/// others), it checks: the runtime (supported, deprecated); the handler's file and function in the code folder or
/// layers (a `bootstrap` for provided runtimes); Api / HttpApi methods, paths and duplicate routes; `Ref` /
/// `Fn::GetAtt` / `Fn::Sub` targets anywhere in `Resources` and `Outputs`; `Timeout` (1-900) and `MemorySize`
/// (128-10240); and whether the function's role can be found without `--stack-name` or `--role`.
public enum ProjectValidator {
    /// Methods an Api / HttpApi event may have.
    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]

    /// Validates the project described by `options`; never throws: problems are diagnostics.
    public static func validate(_ options: ProjectLoadOptions) -> ValidationReport {
        let template: ProjectLoader.ParsedTemplate
        do {
            template = try ProjectLoader.read(options)
        } catch {
            return ValidationReport(diagnostics: [Diagnostic(error)], project: nil)
        }
        var diagnostics: [Diagnostic] = []
        if template.format == .sam {
            diagnostics += ReferenceChecker(root: template.root).check()
        }
        var project: Project?
        do {
            let loaded = try ProjectLoader.load(template, options: options)
            diagnostics += loaded.notes
            diagnostics += ProjectChecker(project: loaded, template: template, options: options).check()
            if loaded.functions.allSatisfy(\.isAvailable), !loaded.notes.contains(where: { $0.severity == .error }) {
                project = loaded
            }
        } catch {
            diagnostics.append(Diagnostic(error))
        }
        return ValidationReport(diagnostics: sorted(unique(diagnostics)), project: project)
    }

    /// Drops repeated diagnostics (the reference checker and the loader can both report one missing target).
    static func unique(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen: Set<String> = []
        return diagnostics.filter { seen.insert($0.description).inserted }
    }

    /// Sorted by file, line and column (stable for equal positions).
    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { left, right in
            let (a, b) = (left.element, right.element)
            if a.file != b.file { return a.file < b.file }
            if (a.line ?? 0) != (b.line ?? 0) { return (a.line ?? 0) < (b.line ?? 0) }
            if (a.column ?? 0) != (b.column ?? 0) { return (a.column ?? 0) < (b.column ?? 0) }
            return left.offset < right.offset
        }.map(\.element)
    }
}

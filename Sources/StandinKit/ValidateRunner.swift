import Foundation
import ProjectModel

/// `standin validate`: every finding in the template and the code it points at, as `file:line:col: severity: message`.
public enum ValidateRunner {
    /// What the command prints and whether it failed.
    public struct Outcome: Sendable {
        public var text: String
        public var hasErrors: Bool
    }

    /// Validates the project named by `options`.
    /// - Parameter json: `--output json`: `{"valid": Bool, "diagnostics": [...]}`.
    public static func run(options: CommonOptions, json: Bool) throws(StandinError) -> Outcome {
        let overrides = try options.parameterOverrideValues()
        var load = ProjectLoadOptions(
            workingDirectory: options.workingDirectory, templatePath: options.templatePath,
            parameterOverrides: overrides, region: options.region ?? "us-east-1", stackName: options.stackName,
            stage: options.stage, environment: options.environment)
        load.cacheDirectory = options.cacheDirectory.appendingPathComponent("code")
        load.regionOption = options.region
        load.params = options.serverlessParams
        let report = ProjectValidator.validate(load)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            struct Document: Encodable {
                var valid: Bool
                var diagnostics: [Diagnostic]
            }
            let data = (try? encoder.encode(Document(valid: !report.hasErrors, diagnostics: report.diagnostics))) ?? Data()
            return Outcome(text: String(decoding: data, as: UTF8.self) + "\n", hasErrors: report.hasErrors)
        }
        var lines = report.diagnostics.map(\.description)
        let errors = report.diagnostics.filter { $0.severity == .error }.count
        let warnings = report.diagnostics.count - errors
        if report.diagnostics.isEmpty {
            let name = report.project?.templateURL.lastPathComponent ?? options.templatePath ?? "the template"
            lines.append("\(name) is valid")
        } else {
            lines.append("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        }
        return Outcome(text: lines.joined(separator: "\n") + "\n", hasErrors: report.hasErrors)
    }
}

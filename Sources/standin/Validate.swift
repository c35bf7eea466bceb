import ArgumentParser
import Foundation
import StandinKit

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the template and the code it points at; each finding as file:line:col: severity: message.",
        discussion: "The exit status is 1 when there are errors (warnings alone leave it 0).")

    enum Output: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: [.customShort("o"), .long], help: "text or json.")
    var output: Output = .text

    @OptionGroup var project: ProjectFlags

    @Option(name: .long, help: "The region, for AWS::Region in the template.")
    var region: String?

    // SAM's `sam validate` options, so its command lines work as they are.
    @Flag(name: .long, help: "Accepted for sam validate: standin's checks always include what linting finds.")
    var lint = false
    @Option(name: .long, help: "The AWS profile (accepted for sam validate; validating needs no credentials).")
    var profile: String?
    @Flag(name: .long, help: "standin's own debug log.") var debug = false
    @Flag(inversion: .prefixedNo, help: .hidden) var betaFeatures: Bool?
    @Flag(name: .customLong("save-params"), help: "Save --region and -t in samconfig's validate section.")
    var saveParams = false

    func run() async throws {
        var options = try await commonOptions(project, samconfigCommand: "validate")
        if let region { options.region = region }
        if let profile { options.profile = profile }
        if saveParams {
            var values: [String: SAMConfig.Value] = [:]
            if let region { values["region"] = .string(region) }
            if let template = project.template { values["template_file"] = .string(template) }
            if lint { values["lint"] = .bool(true) }
            let saved = try await runReportingErrors { try SAMConfig.save(values, command: "validate", options: options) }
            FileHandle.standardError.write(Data("standin: saved parameters to config file \(saved.path)\n".utf8))
        }
        let outcome = try await runReportingErrors { try ValidateRunner.run(options: options, json: output == .json) }
        FileHandle.standardOutput.write(Data(outcome.text.utf8))
        if outcome.hasErrors { throw ExitCode(1) }
    }
}

import ArgumentParser
import Foundation
import StandinKit

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the template and the code it points at; each finding as file:line:col: severity: message.",
        discussion: "The exit status is 1 when there are errors (warnings alone leave it 0).")

    enum Output: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: [.customShort("o"), .long], help: "text or json.")
    var output: Output = .text

    @OptionGroup var project: ProjectFlags

    @Option(name: .long, help: "The region, for AWS::Region in the template.")
    var region: String?

    func run() async throws {
        var options = try await commonOptions(project, samconfigCommand: "validate")
        if let region { options.region = region }
        let outcome = try await runReportingErrors { try ValidateRunner.run(options: options, json: output == .json) }
        FileHandle.standardOutput.write(Data(outcome.text.utf8))
        if outcome.hasErrors { throw ExitCode(1) }
    }
}

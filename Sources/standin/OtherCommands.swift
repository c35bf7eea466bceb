import ArgumentParser
import Foundation
import SampleEvents
import StandinKit

struct ListFunctions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the functions and API routes the template defines.")

    enum Output: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: [.customShort("o"), .long], help: "text or json.")
    var output: Output = .text

    @OptionGroup var project: ProjectFlags

    @Option(name: .long, help: "The region, for AWS::Region in the template.")
    var region: String?

    func run() async throws {
        var options = try await commonOptions(project, samconfigCommand: "list")
        if let region { options.region = region }
        let session = try await runReportingErrors {
            try Session.open(options, region: IdentityBroker(options: options).region)
        }
        if output == .text { session.printProjectNotes(includingErrors: true) }
        let text =
            output == .json
            ? ProjectListing.json(session.project, relativeTo: options.workingDirectory)
            : ProjectListing.text(session.project, relativeTo: options.workingDirectory)
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

struct GenerateEvent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-event",
        abstract: "Print a sample event for a service (as sam local generate-event), to pipe into invoke.",
        discussion: "standin generate-event lists the services; standin generate-event SERVICE lists its events.")

    @Argument(parsing: .captureForPassthrough, help: "SERVICE EVENT [--option value ...]")
    var arguments: [String] = []

    func run() throws {
        try Self.emit(arguments)
    }

    /// Prints the event (or the catalogue, or the error) for `SERVICE EVENT [--options]`.
    static func emit(_ arguments: [String]) throws {
        let result = SampleEventCommandLine.run(arguments: arguments)
        FileHandle.standardOutput.write(Data(result.output.utf8))
        FileHandle.standardError.write(Data(result.errorOutput.utf8))
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}

struct Whoami: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show who you are, or who FUNCTION would be (GetCallerIdentity under its role).")

    @Argument(help: "A function: show the identity it runs as.")
    var function: String?

    @OptionGroup var project: ProjectFlags
    @OptionGroup var credentials: CredentialFlags

    func run() async throws {
        let options = try await commonOptions(project, nil, credentials, samconfigCommand: "whoami")
        let text = try await runReportingErrors { try await IdentityCommands.whoami(options: options, function: function) }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

struct Env: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Print FUNCTION's environment, role credentials included, for other tools.",
        discussion: "eval \"$(standin env MyFunction)\" puts them in your shell.")

    @Argument(help: "The function.")
    var function: String

    @Option(name: .long, help: "sh, dotenv or json.")
    var format: FunctionEnvironmentCommand.Format = .sh

    @OptionGroup var project: ProjectFlags
    @OptionGroup var runFlags: RunFlags
    @OptionGroup var credentials: CredentialFlags

    func run() async throws {
        let options = try await commonOptions(project, runFlags, credentials, samconfigCommand: "env")
        let variables = try await runReportingErrors {
            try await IdentityCommands.functionVariables(options: options, function: function)
        }
        FileHandle.standardOutput.write(Data(FunctionEnvironmentCommand.render(variables, format: format).utf8))
    }
}

extension FunctionEnvironmentCommand.Format: ExpressibleByArgument {}

struct Exec: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run COMMAND with FUNCTION's environment and role credentials (integration tests, the AWS CLI).",
        discussion: "standin exec MyFunction -- pytest tests/integration")

    @Argument(help: "The function.")
    var function: String

    @Argument(parsing: .postTerminator, help: "The command to run, after --.")
    var command: [String] = []

    @OptionGroup var project: ProjectFlags
    @OptionGroup var runFlags: RunFlags
    @OptionGroup var credentials: CredentialFlags

    func run() async throws {
        let options = try await commonOptions(project, runFlags, credentials, samconfigCommand: "exec")
        try await runReportingErrors {
            try await IdentityCommands.exec(options: options, function: function, command: command)
        }
    }
}

import ArgumentParser
import Foundation
import StandinKit

struct Invoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke",
        abstract: "Invoke a function once: the result on standard output, its logs on standard error.",
        discussion: """
            The event comes from -e FILE, -e - (standard input), -d JSON, or piped standard input; \
            {} when none is given on a terminal. The exit status is 1 when the function failed.
            `standin invoke local -f FUNCTION ...` takes serverless invoke local's command line instead.
            """)

    @Argument(help: "The function's logical id or FunctionName (optional when the template has one function).")
    var function: String?

    @Option(name: [.customShort("f"), .customLong("function")], help: .hidden)
    var functionFlag: String?

    @Option(name: [.customShort("e"), .long, .customShort("p"), .customLong("path")], help: "The event: a JSON file, or - for standard input.")
    var event: String?

    @Option(name: [.customShort("d"), .long], help: "The event as a JSON string.")
    var data: String?

    @OptionGroup var project: ProjectFlags
    @OptionGroup var runFlags: RunFlags
    @OptionGroup var credentials: CredentialFlags

    func validate() throws {
        if event != nil, data != nil { throw ValidationError("give the event with -e or -d, not both") }
        if function != nil, functionFlag != nil, function != functionFlag {
            throw ValidationError("two function names given: \(function!) and \(functionFlag!)")
        }
    }

    func run() async throws {
        let options = try await commonOptions(project, runFlags, credentials, samconfigCommand: "local_invoke")
        let input: EventInput =
            if let data { .inline(data) } else if event == "-" { .standardInput } else if let event { .file(event) } else {
                .automatic
            }
        InterruptHandling.install()
        let outcome = try await runReportingErrors {
            try await InvokeRunner.run(options: options, function: function ?? functionFlag, event: input)
        }
        FileHandle.standardOutput.write(Data(outcome.payload))
        if isatty(1) == 1 { FileHandle.standardOutput.write(Data("\n".utf8)) }
        if outcome.failed { throw ExitCode(1) }
    }
}

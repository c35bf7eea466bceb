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
            With --remote, invokes the deployed function through Lambda's Invoke API instead: FUNCTION is a logical \
            id of --stack-name (or, without a stack, a function name or ARN).
            """)

    @Argument(help: "The function's logical id or FunctionName (optional when the template has one function).")
    var function: String?

    @Option(name: [.customShort("f"), .customLong("function")], help: .hidden)
    var functionFlag: String?

    @Option(name: [.customShort("e"), .long, .customShort("p"), .customLong("path")], help: "The event: a JSON file, or - for standard input.")
    var event: String?

    @Option(name: [.customShort("d"), .long], help: "The event as a JSON string.")
    var data: String?

    @Flag(name: .long, help: "Invoke the deployed function in AWS (Lambda Invoke), not a local one.")
    var remote = false

    @Option(name: .long, help: "With --remote: Tail prints the last 4 KB of the function's log on standard error.")
    var logType: String?

    @Option(name: .long, help: "With --remote: RequestResponse (default), Event or DryRun.")
    var invocationType = "RequestResponse"

    @Option(name: .long, help: "With --remote: a version or alias.")
    var qualifier: String?

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
        let options = try await commonOptions(
            project, runFlags, credentials, samconfigCommand: remote ? "remote_invoke" : "local_invoke")
        let input: EventInput =
            if let data { .inline(data) } else if event == "-" { .standardInput } else if let event { .file(event) } else {
                .automatic
            }
        InterruptHandling.install()
        let payload: [UInt8]
        let failed: Bool
        if remote {
            let outcome = try await runReportingErrors {
                try await RemoteInvoker.invoke(
                    options: options, function: function ?? functionFlag, event: input, logType: logType,
                    invocationType: invocationType, qualifier: qualifier)
            }
            if let tail = outcome.result.logTail { FileHandle.standardError.write(Data(tail.utf8)) }
            (payload, failed) = (outcome.result.payload, outcome.result.functionError != nil)
        } else {
            let outcome = try await runReportingErrors {
                try await InvokeRunner.run(options: options, function: function ?? functionFlag, event: input)
            }
            (payload, failed) = (outcome.payload, outcome.failed)
        }
        FileHandle.standardOutput.write(Data(payload))
        if isatty(1) == 1 { FileHandle.standardOutput.write(Data("\n".utf8)) }
        if failed { throw ExitCode(1) }
    }
}

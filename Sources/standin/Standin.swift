import ArgumentParser
import Foundation
import LambdaRuntime
import StandinKit

@main
struct Standin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standin",
        abstract: "Run AWS Lambda functions locally, from your SAM template or serverless.yml, under their own IAM role.",
        version: "0.1.0",
        subcommands: [
            Invoke.self, StartAPI.self, StartLambda.self, ListFunctions.self, GenerateEvent.self, Validate.self,
            Init.self, Whoami.self, Env.self, Exec.self, Package.self, Deploy.self, Local.self, InvokeLocal.self,
            BenchFloor.self,
        ]
    )

    /// Sets up logging on standard error, runs the command, and makes sure no function process outlives standin.
    static func main() async {
        var environment = ProcessInfo.processInfo.environment
        // SAM's `--debug` (or SAM_DEBUG=true): standin's own debug log.
        if CommandLine.arguments.contains("--debug") || environment["SAM_DEBUG"]?.lowercased() == "true" {
            environment["STANDIN_LOG_LEVEL"] = environment["STANDIN_LOG_LEVEL"] ?? "debug"
        }
        StandinLogHandler.bootstrap(environment: environment)
        let status: Int32
        do {
            var command = try parseAsRoot(InvokeLocal.rewrite(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            status = 0
        } catch {
            ChildProcessReaper.killAll()
            // A command line that does not parse is bad input: exit 2, as SAM's and the framework's CLIs do (not
            // ArgumentParser's 64), so scripts written for them keep working.
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
        ChildProcessReaper.killAll()
        Foundation.exit(status)
    }
}

/// Stops every function process and exits when the user interrupts a one-shot command (servers handle their own).
enum InterruptHandling {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                ChildProcessReaper.killAll()
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}

import ArgumentParser
import Foundation
import StandinKit

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a small working project (template, handler, event, README) from a starter.")

    @Option(
        name: [.customShort("r"), .long],
        help: "python3.12, nodejs20.x or provided.al2023 (asked for on a terminal when omitted).")
    var runtime: String?

    @Option(name: [.customShort("n"), .long], help: "The project's folder name.")
    var name: String = "standin-app"

    @Option(name: [.customShort("o"), .long], help: "Where to create the project folder.")
    var outputDir: String = "."

    // SAM's `sam init` options, so its command lines work as they are.
    @Flag(name: .customLong("no-interactive"), help: "Never ask (then --runtime is required).")
    var noInteractive = false
    @Flag(name: .customLong("no-input"), help: "Never ask (as --no-interactive).") var noInput = false
    @Option(name: [.customShort("a"), .long], help: "x86_64 or arm64 (informational locally).")
    var architecture: String?
    @Option(name: [.customShort("p"), .customLong("package-type")], help: "Zip (Image is not supported).")
    var packageType: String?
    @Option(name: [.customShort("d"), .customLong("dependency-manager")], help: "Accepted; the starters need none.")
    var dependencyManager: String?
    @Option(name: .customLong("app-template"), help: "hello-world (the only starter).") var appTemplate: String?
    @Option(name: [.customShort("l"), .long], help: "A template location: not supported.") var location: String?
    @Option(name: [.customShort("i"), .customLong("base-image")], help: "Image starters: not supported.")
    var baseImage: String?
    @Option(name: .customLong("extra-context"), help: "Accepted (cookiecutter context).") var extraContext: String?
    @Flag(inversion: .prefixedNo, help: .hidden) var tracing: Bool?
    @Flag(inversion: .prefixedNo, help: .hidden) var applicationInsights: Bool?
    @Flag(inversion: .prefixedNo, help: .hidden) var structuredLogging: Bool?
    @Flag(name: .long, help: "standin's own debug log.") var debug = false
    @Flag(inversion: .prefixedNo, help: .hidden) var betaFeatures: Bool?
    @Option(name: .customLong("config-file"), help: .hidden) var configFile: String?
    @Option(name: .customLong("config-env"), help: .hidden) var configEnv: String?
    @Flag(name: .customLong("save-params"), help: .hidden) var saveParams = false

    func validate() throws {
        if let packageType, packageType.lowercased() != "zip" {
            throw ValidationError("--package-type \(packageType): standin's starters are Zip functions (no container images)")
        }
        if location != nil || baseImage != nil {
            throw ValidationError("--location and --base-image are not supported: standin's starters are built in")
        }
        if let appTemplate, appTemplate != "hello-world" {
            throw ValidationError("--app-template \(appTemplate): the only starter is hello-world")
        }
        if let extraContext, (try? JSONSerialization.jsonObject(with: Data(extraContext.utf8))) == nil {
            throw ValidationError("Parse error reading the --extra-context parameter. The value of this parameter must be valid JSON.")
        }
    }

    func run() throws {
        let runtime: String
        if let given = self.runtime {
            runtime = given
        } else {
            guard isatty(0) == 1, !noInteractive, !noInput else {
                FileHandle.standardError.write(
                    Data("error: --runtime is required (\(ProjectStarter.runtimes.joined(separator: ", ")))\n".utf8))
                throw ExitCode(2)
            }
            runtime = try ask()
        }
        do {
            let root = try ProjectStarter.create(
                runtime: runtime, name: name, outputDirectory: URL(fileURLWithPath: outputDir))
            print(
                """
                Created \(root.path)
                Next: cd \(root.path)
                      standin invoke HelloFunction -e events/event.json
                      standin start-api    # then: curl http://127.0.0.1:3000/hello
                """)
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(error.exitStatus)
        }
    }

    private func ask() throws -> String {
        print("Which runtime?")
        for (index, runtime) in ProjectStarter.runtimes.enumerated() { print("  \(index + 1)) \(runtime)") }
        print("Choice [1]: ", terminator: "")
        let answer = readLine()?.trimmingCharacters(in: .whitespaces) ?? ""
        if answer.isEmpty { return ProjectStarter.runtimes[0] }
        if let number = Int(answer), ProjectStarter.runtimes.indices.contains(number - 1) {
            return ProjectStarter.runtimes[number - 1]
        }
        if ProjectStarter.runtimes.contains(answer) { return answer }
        throw ValidationError("\(answer): choose 1-\(ProjectStarter.runtimes.count)")
    }
}

import ArgumentParser
import Foundation
import StandinKit

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a small working project (template, handler, event, README) from a starter.")

    @Option(name: .long, help: "python3.12, nodejs20.x or provided.al2023 (asked for on a terminal when omitted).")
    var runtime: String?

    @Option(name: .long, help: "The project's folder name.")
    var name: String = "standin-app"

    @Option(name: [.customShort("o"), .long], help: "Where to create the project folder.")
    var outputDir: String = "."

    func run() throws {
        let runtime: String
        if let given = self.runtime {
            runtime = given
        } else {
            guard isatty(0) == 1 else {
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

import ArgumentParser
import Foundation
import StandinKit
import Yams

/// `standin invoke local`: the Serverless Framework's `serverless invoke local` command line as it is, so scripts and
/// habits written for the framework work unchanged.
///
/// The event: `--data` (JSON when it parses, else the string itself, as the framework does; `--raw` keeps it a
/// string), else `--path` (a JSON or YAML file, relative to the service's folder), else standard input, else `{}`.
/// `--context` / `--contextPath` reach the function as its client context. The result is printed as the framework
/// prints it (JSON indented by 4); the exit status is 1 when the function failed.
struct InvokeLocal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke-local",
        abstract: "serverless invoke local: the framework's options, run by standin (under the function's role).",
        shouldDisplay: false)

    /// `standin invoke local ...` is this command (`invoke` itself takes a function name where `local` stands).
    static func rewrite(_ arguments: [String]) -> [String] {
        guard arguments.count >= 2, arguments[0] == "invoke", arguments[1] == "local" else { return arguments }
        return [configuration.commandName!] + arguments.dropFirst(2)
    }

    @Option(name: [.customShort("f"), .long], help: "The function (its key in serverless.yml).")
    var function: String

    @Option(name: [.customShort("p"), .long], help: "A JSON or YAML file with the event (relative to the service).")
    var path: String?

    @Option(name: [.customShort("d"), .long], parsing: .unconditional, help: "The event: JSON, or any string.")
    var data: String?

    @Flag(name: .long, help: "Pass --data / --context as strings, without parsing them as JSON.")
    var raw = false

    @Option(name: .long, help: "The client context (JSON, or any string).")
    var context: String?

    @Option(name: [.customShort("x"), .customLong("contextPath")], help: "A JSON or YAML file with the client context.")
    var contextPath: String?

    @Option(name: [.customShort("e"), .long], help: "KEY=VALUE for the function's environment (repeatable).")
    var env: [String] = []

    @Option(name: [.customShort("s"), .long], help: "The stage.") var stage: String?
    @Option(name: [.customShort("r"), .long], help: "The region.") var region: String?
    @Option(name: .customLong("aws-profile"), help: "The AWS profile.") var awsProfile: String?
    @Option(name: .long, help: "key=value for ${param:key} (repeatable).") var param: [String] = []
    @Option(name: [.customShort("c"), .long], help: "The service file (default: serverless.yml).") var config: String?

    @Flag(name: .long, help: .hidden) var docker = false
    @Option(name: .customLong("docker-arg"), help: .hidden) var dockerArg: [String] = []
    @Flag(name: .customLong("skip-package"), help: .hidden) var skipPackage = false
    @Flag(name: .long, help: .hidden) var verbose = false

    @Option(name: .long, help: "The role to run the function under (ARN).") var role: [String] = []
    @Flag(name: .long, help: "Run with your own credentials instead of the function's role.") var noAssumeRole = false

    func validate() throws {
        for item in param where item.firstIndex(of: "=").map({ $0 == item.startIndex }) ?? true {
            throw ValidationError(
                "Encountered invalid \"--param\" CLI option value: \"\(item)\". Supported format: \"--param='<key>=<val>'\"")
        }
    }

    func run() async throws {
        var options = CommonOptions()
        options.templatePath = config
        options.stage = stage
        options.region = region
        options.profile = awsProfile
        options.roles = role
        options.noAssumeRole = noAssumeRole
        for item in param {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            options.serverlessParams[parts[0]] = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        }
        for item in env {
            // `K=a=b` sets K to `a=b`; a bare `K` sets it to "", as the framework splits them.
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            options.extraFunctionEnvironment[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        if docker || !dockerArg.isEmpty || skipPackage {
            FileHandle.standardError.write(Data("standin: ignored (no Docker here): --docker, --docker-arg\n".utf8))
        }
        let serviceDirectory = serviceFolder(options)
        let event = try await eventText(serviceDirectory: serviceDirectory)
        let clientContext = try await contextText(serviceDirectory: serviceDirectory)
        InterruptHandling.install()
        let final = options
        let outcome = try await runReportingErrors {
            try await InvokeRunner.run(
                options: final, function: function, event: .inline(event), clientContext: clientContext)
        }
        FileHandle.standardOutput.write(Data((Self.pretty(outcome.payload) + "\n").utf8))
        if outcome.failed { throw ExitCode(1) }
    }

    /// The folder of serverless.yml: `--config`'s, else the working directory.
    func serviceFolder(_ options: CommonOptions) -> URL {
        guard let config else { return options.workingDirectory }
        return URL(fileURLWithPath: config, relativeTo: options.workingDirectory).standardizedFileURL
            .deletingLastPathComponent()
    }

    /// The event as JSON text.
    func eventText(serviceDirectory: URL) async throws -> String {
        if let data, !data.isEmpty { return Self.json(fromArgument: data, raw: raw) }
        if let path { return try await Self.json(fromFile: path, in: serviceDirectory, option: "--path") }
        if isatty(0) == 0 {
            let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            if !input.isEmpty { return Self.json(fromArgument: input, raw: raw) }
        }
        return "{}"
    }

    /// The client context as JSON text, when one is given.
    func contextText(serviceDirectory: URL) async throws -> String? {
        if let context { return Self.json(fromArgument: context, raw: raw) }
        if let contextPath { return try await Self.json(fromFile: contextPath, in: serviceDirectory, option: "--contextPath") }
        return nil
    }

    /// A `--data` value: itself when it is JSON (and not `--raw`), else a JSON string holding it.
    static func json(fromArgument text: String, raw: Bool) -> String {
        if !raw, (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil {
            return text
        }
        return jsonString(text)
    }

    /// A `--path` file: JSON or YAML (by content; JSON is YAML), as JSON text.
    static func json(fromFile path: String, in folder: URL, option: String) async throws -> String {
        let url = URL(fileURLWithPath: path, relativeTo: folder).standardizedFileURL
        guard let data = FileManager.default.contents(atPath: url.path) else {
            FileHandle.standardError.write(Data("error: \(option): The file you provided does not exist: \(url.path)\n".utf8))
            throw ExitCode(2)
        }
        do {
            let value = try Yams.load(yaml: String(decoding: data, as: UTF8.self)) ?? NSNull()
            let json = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
            return String(decoding: json, as: UTF8.self)
        } catch {
            FileHandle.standardError.write(Data("error: \(url.path): not JSON or YAML: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    static func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed])) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The function's answer as the framework prints it: JSON indented by 4 (`JSON.stringify(result, null, 4)`),
    /// keys in the function's order; anything that is not JSON as it is.
    static func pretty(_ payload: [UInt8]) -> String {
        guard (try? JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed])) != nil else {
            return String(decoding: payload, as: UTF8.self)
        }
        // Re-indents the text itself: Foundation's pretty printer would reorder keys and write `"key" : value`.
        let characters = Array(String(decoding: payload, as: UTF8.self))
        var output = ""
        var depth = 0
        var inString = false
        var index = 0
        func newline() { output += "\n" + String(repeating: " ", count: depth * 4) }
        func nextSignificant(after position: Int) -> Character? {
            var cursor = position + 1
            while cursor < characters.count, characters[cursor].isWhitespace { cursor += 1 }
            return cursor < characters.count ? characters[cursor] : nil
        }
        while index < characters.count {
            let character = characters[index]
            if inString {
                output.append(character)
                if character == "\\", index + 1 < characters.count {
                    index += 1
                    output.append(characters[index])
                } else if character == "\"" {
                    inString = false
                }
            } else {
                switch character {
                case "\"":
                    inString = true
                    output.append(character)
                case "{", "[":
                    output.append(character)
                    if let next = nextSignificant(after: index), next == "}" || next == "]" {
                        while characters[index + 1].isWhitespace { index += 1 }
                        index += 1
                        output.append(characters[index])
                    } else {
                        depth += 1
                        newline()
                    }
                case "}", "]":
                    depth -= 1
                    newline()
                    output.append(character)
                case ",":
                    output.append(character)
                    newline()
                case ":":
                    output += ": "
                default:
                    if !character.isWhitespace { output.append(character) }
                }
            }
            index += 1
        }
        return output
    }
}

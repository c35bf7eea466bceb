import Foundation
import ProjectModel
import Testing
import TestSupport

@testable import StandinKit

/// Random mutations of real files fed to every parser a user's files reach: the template loader, event input,
/// `--env-vars` and samconfig. Bounded (a fixed seed and count, so a failure replays): no crash, no hang, and
/// every error names its file with a line and column.
@Suite("parsers under random mutation", .timeLimit(.minutes(3)))
struct ParserFuzzTests {
    /// A small deterministic generator (SplitMix64), so a failing case can be replayed from its index.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Mutants per seed: a bounded number in CI; `STANDIN_FUZZ_COUNT` raises it for a longer local run.
    static let count = ProcessInfo.processInfo.environment["STANDIN_FUZZ_COUNT"].flatMap { Int($0) } ?? 300

    /// Bytes that break parsers: structure characters, quotes, YAML tags and anchors, high and invalid bytes.
    static let interesting: [UInt8] = Array("{}[]:,\"'!&*#|>-\n\t \\%@`=".utf8) + [0x00, 0x80, 0xC3, 0xE9, 0xFF]

    /// `count` mutants of `seed`: bytes replaced, inserted, deleted, or a run duplicated.
    static func mutants(of seed: [UInt8], count: Int, salt: UInt64) -> [[UInt8]] {
        var generator = Generator(state: salt)
        return (0..<count).map { _ in
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                guard !bytes.isEmpty else { break }
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[index] = interesting.randomElement(using: &generator)!
                case 1: bytes.insert(interesting.randomElement(using: &generator)!, at: index)
                case 2: bytes.remove(at: index)
                default:
                    let end = min(bytes.count, index + Int.random(in: 1...40, using: &generator))
                    bytes.insert(contentsOf: bytes[index..<end], at: index)
                }
            }
            return bytes
        }
    }

    static func fixture(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: TestPaths.fixture("EndToEndTests", path)))
    }

    @Test func templates() throws {
        let seeds = [
            "partial-app/template.yaml", "openapi-app/template.yaml", "nested-app/template.yaml",
            "raw-apigw-app/template.json", "sls-invoke-local/serverless.yml",
        ]
        for (number, seed) in seeds.enumerated() {
            let parts = seed.split(separator: "/").map(String.init)
            let (folder, name) = (parts[0], parts[1])
            let source = TestPaths.fixture("EndToEndTests", folder)
            let directory = try makeTemporaryDirectory("fuzz-template")
            for item in try FileManager.default.contentsOfDirectory(atPath: source.path) where item != name {
                try FileManager.default.copyItem(
                    at: source.appendingPathComponent(item), to: directory.appendingPathComponent(item))
            }
            for (index, bytes) in Self.mutants(of: try Self.fixture(seed), count: Self.count / 2, salt: UInt64(number)).enumerated() {
                try Data(bytes).write(to: directory.appendingPathComponent(name))
                do {
                    var options = ProjectLoadOptions(workingDirectory: directory, templatePath: name)
                    options.cacheDirectory = directory.appendingPathComponent(".cache")
                    let project = try ProjectLoader.load(options)
                    for reason in project.functions.compactMap(\.unavailableReason) {
                        #expect(reason.line != nil, "\(seed) #\(index): \(reason)")
                    }
                } catch {
                    #expect(error.file == name && error.line != nil, "\(seed) #\(index): \(error)")
                }
            }
        }
    }

    @Test func eventsEnvVarsAndSamconfig() throws {
        let event = Array(#"{"Records": [{"body": "x", "attributes": {"a": 1}}], "n": [1, 2.5, true, null]}"#.utf8)
        for (index, bytes) in Self.mutants(of: event, count: Self.count, salt: 7).enumerated() {
            do {
                try EventInput.validateJSON(bytes, source: "event.json")
            } catch {
                #expect(error.description.hasPrefix("event.json:"), "#\(index): \(error)")
            }
        }
        let envVars = Array(#"{"Parameters": {"A": "1", "B": 2}, "Fn": {"C": true, "D": null}}"#.utf8)
        for (index, bytes) in Self.mutants(of: envVars, count: Self.count, salt: 8).enumerated() {
            do {
                _ = try EnvVarsFile.parse(Data(bytes), fileName: "env.json")
            } catch {
                let located = error.description.range(of: #"^env\.json:\d+:\d+: "#, options: .regularExpression) != nil
                #expect(located, "#\(index): \(error)")
            }
        }
        let directory = try makeTemporaryDirectory("fuzz-samconfig")
        let samconfig = Array(
            """
            version = 0.1
            [default.global.parameters]
            stack_name = "app"
            [default.local_invoke.parameters]
            parameter_overrides = "Stage=dev Greeting='Hi there'"
            debug_port = [5858]
            [default.local_start_api.parameters.parameter_overrides]
            Stage = "qa"
            """.utf8)
        let file = directory.appendingPathComponent("samconfig.toml")
        for (index, bytes) in Self.mutants(of: samconfig, count: Self.count, salt: 9).enumerated() {
            try Data(bytes).write(to: file)
            if ProcessInfo.processInfo.environment["STANDIN_FUZZ_TRACE"] != nil {  // to replay a crash
                FileHandle.standardError.write(Data("samconfig #\(index): \(String(decoding: bytes, as: UTF8.self).debugDescription)\n".utf8))
            }
            var options = CommonOptions(workingDirectory: directory, environment: [:])
            do {
                try options.applySAMConfig(command: "local_invoke")
            } catch {
                let located = error.description.hasPrefix(file.path + ":")
                    && error.description.dropFirst(file.path.count + 1).first?.isNumber == true
                #expect(located, "#\(index): \(error)")
            }
        }
    }
}

import Foundation
import Testing
import TestSupport

@testable import StandinKit

@Suite("init starters and small helpers")
struct StarterTests {
    @Test("each starter writes a template, a handler, an event and a README", arguments: ProjectStarter.runtimes)
    func starter(runtime: String) throws {
        let dir = try makeTemporaryDirectory()
        let root = try ProjectStarter.create(runtime: runtime, name: "app", outputDirectory: dir)
        for file in ["template.yaml", "events/event.json", "README.md"] {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(file).path), "\(file)")
        }
        let template = try String(contentsOf: root.appendingPathComponent("template.yaml"), encoding: .utf8)
        #expect(template.contains("Runtime: \(runtime)"))
        #expect(throws: StandinError.self) { try ProjectStarter.create(runtime: runtime, name: "app", outputDirectory: dir) }
    }

    @Test("unknown runtimes and bad names are refused")
    func refusals() throws {
        let dir = try makeTemporaryDirectory()
        #expect(throws: StandinError.self) { try ProjectStarter.create(runtime: "ruby3.3", name: "x", outputDirectory: dir) }
        #expect(throws: StandinError.self) {
            try ProjectStarter.create(runtime: "python3.12", name: "../x", outputDirectory: dir)
        }
    }

    @Test("quoted words split like SAM's parameter_overrides")
    func words() {
        #expect(splitOutsideQuotes(#"A=1 B="two words" C='x y'"#) == ["A=1", "B=two words", "C=x y"])
        #expect(splitOutsideQuotes("  ") == [])
    }

    @Test("typos get the nearest name")
    func nearestName() {
        #expect(nearest("HelloPyton", in: ["HelloPython", "HelloNode"]) == "HelloPython")
        #expect(nearest("Zzz", in: ["HelloPython"]) == nil)
    }
}

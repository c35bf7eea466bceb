import Foundation
import Synchronization
import TestSupport

@testable import APIGateway

/// A fake Lambda side: records every event it is given and answers with a scripted outcome.
final class RecordingInvoker: FunctionInvoking {
    typealias Script = @Sendable (String, [UInt8]) -> FunctionInvocationOutcome
    private let calls = Mutex<[(String, [UInt8])]>([])
    private let script: Script

    init(_ script: @escaping Script) { self.script = script }

    /// Always answers `body` (a JSON text) without error.
    convenience init(answer body: String) {
        self.init { _, _ in FunctionInvocationOutcome(payload: Array(body.utf8)) }
    }

    func invoke(functionLogicalID: String, payload: [UInt8]) async throws -> FunctionInvocationOutcome {
        calls.withLock { $0.append((functionLogicalID, payload)) }
        return script(functionLogicalID, payload)
    }

    var invocations: [(function: String, event: JSON)] {
        calls.withLock { $0 }.map { ($0.0, JSON.parse($0.1) ?? .null) }
    }
}

enum Fixtures {
    /// An event from shared/conformance/events/aws-lambda-go, parsed; nil when the folder is absent (skip).
    static func awsLambdaGo(_ name: String) throws -> JSON? {
        guard let root = try TestPaths.requireConformance() else { return nil }
        let url = root.appendingPathComponent("events/aws-lambda-go/\(name)")
        let data = try Data(contentsOf: url)
        guard let json = JSON.parse(Array(data)) else { throw TestSupportError("\(name) is not JSON") }
        return json
    }
}

/// Compares the shape of two JSON documents: the same keys recursively and the same value types.
struct ShapeRules {
    /// Paths whose members are free-form maps (only "is an object or null" is checked).
    var maps: Set<String> = []
    /// Paths the fixture has that we may leave out.
    var mayBeAbsent: Set<String> = []
    /// Paths we have that the fixture lacks.
    var mayBeExtra: Set<String> = []
    /// Paths where we send null and the fixture has a value (AWS sends null when the fact is unknown).
    var mayBeNull: Set<String> = []

    func differences(_ ours: JSON, _ theirs: JSON, path: String = "") -> [String] {
        switch (ours, theirs) {
        case (.object(let mine), .object(let fixture)):
            if maps.contains(path) { return [] }
            var problems: [String] = []
            let myKeys = Set(mine.map(\.0))
            let fixtureKeys = Set(fixture.map(\.0))
            for key in fixtureKeys.subtracting(myKeys) where !mayBeAbsent.contains(join(path, key)) {
                problems.append("missing \(join(path, key))")
            }
            for key in myKeys.subtracting(fixtureKeys) where !mayBeExtra.contains(join(path, key)) {
                problems.append("unexpected \(join(path, key))")
            }
            for (key, value) in mine {
                guard let other = fixture.first(where: { $0.0 == key })?.1 else { continue }
                problems += differences(value, other, path: join(path, key))
            }
            return problems
        case (.array(let mine), .array(let fixture)):
            guard let first = mine.first, let other = fixture.first else { return [] }
            return differences(first, other, path: path + "[]")
        case (.null, .null), (.bool, .bool), (.number, .number), (.string, .string):
            return []
        case (.null, _) where mayBeNull.contains(path) || maps.contains(path):
            return []
        default:
            return ["\(path): we send \(ours.typeName), the fixture has \(theirs.typeName)"]
        }
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

extension JSON {
    /// Object keys in order (empty for non-objects).
    var keys: [String] { objectMembers?.map(\.0) ?? [] }
}

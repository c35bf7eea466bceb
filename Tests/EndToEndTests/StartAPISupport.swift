import Foundation
import Testing
import TestSupport

/// A running `standin start-api` on free loopback ports, over a private copy of the `startapi-app` fixture.
final class StartAPIServer {
    let app: URL
    let port: Int
    let functionURLPort: Int
    let marker: String
    let logFile: URL?
    private let fixture: MarkedFixture
    private let server: StandinServerProcess

    /// Copies the fixture (with a unique marker in every function's environment) and starts the server.
    init(extraArguments: [String] = [], logToFile: Bool = false) throws {
        fixture = try MarkedFixture("startapi-app", temporaryPrefix: "startapi")
        app = fixture.app
        marker = fixture.marker
        (port, functionURLPort) = twoFreeLoopbackPorts()
        logFile = logToFile ? fixture.root.appendingPathComponent("standin.log") : nil
        let arguments =
            [
                "start-api", "--port", "\(port)", "--function-url-port", "\(functionURLPort)", "--no-assume-role",
                "--region", "us-east-1",
            ] + (logFile.map { ["--log-file", $0.path] } ?? []) + extraArguments
        server = try StandinServerProcess(
            arguments, in: app, environment: try StandinCLI().environment,
            stderrFile: fixture.root.appendingPathComponent("stderr.log"), stopTimeout: 20)
        try server.waitUntilListening([(port, 60), (functionURLPort, 30)], what: "start-api")
    }

    /// What the server wrote to stderr so far.
    var stderr: String { server.stderr }

    /// The `--log-file` contents (or stderr when there is none).
    var log: String {
        guard let logFile else { return stderr }
        return (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Sends SIGINT and waits (bounded) for the exit; returns the exit status (nil: it had to be killed).
    @discardableResult
    func stop(timeout: TimeInterval = 20) -> Int32? {
        server.stop(timeout: timeout)
    }

    /// Live processes whose environment carries this server's marker (its function instances, and their watchdogs
    /// unless `instancesOnly`).
    func functionProcesses(instancesOnly: Bool = false) -> [Int32] {
        fixture.processes(instancesOnly: instancesOnly)
    }

    /// Polls (bounded) until `condition` holds.
    func eventually(timeout: TimeInterval = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        try pollUntil(timeout: timeout, interval: 0.2, condition)
    }
}

/// An HTTP answer as curl saw it.
struct HTTPReply {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any]? { jsonObject(body) }

    func values(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    func value(_ name: String) -> String? { values(name).first }
}

/// Sends one request with curl (`--path-as-is`, so `../` reaches the server unchanged).
func curl(
    _ url: String, method: String = "GET", headers: [String] = [], body: String? = nil, timeout: Int = 30
) throws -> HTTPReply {
    var arguments = ["-s", "-i", "--path-as-is", "-m", "\(timeout)", "-X", method, "-H", "Expect:"]
    for header in headers { arguments += ["-H", header] }
    if let body { arguments += ["--data-binary", body] }
    arguments.append(url)
    let result = try runProcess("/usr/bin/env", ["curl"] + arguments, timeout: TimeInterval(timeout + 10))
    guard result.status == 0 else {
        throw TestSupportError("curl \(url) failed: \(result.status) \(result.stderrText)")
    }
    return try parseReply(result.stdout)
}

/// Parses `curl -i` output.
func parseReply(_ data: Data) throws -> HTTPReply {
    let bytes = [UInt8](data)
    let separator: [UInt8] = [13, 10, 13, 10]
    guard let split = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator }) else {
        throw TestSupportError("no HTTP head in \(String(decoding: data, as: UTF8.self))")
    }
    let head = String(decoding: bytes[..<split], as: UTF8.self).components(separatedBy: "\r\n")
    let statusParts = head[0].split(separator: " ")
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
        throw TestSupportError("bad status line \(head[0])")
    }
    let headers = head.dropFirst().compactMap { line -> (String, String)? in
        guard let colon = line.firstIndex(of: ":") else { return nil }
        return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
    return HTTPReply(status: status, headers: headers, body: Data(bytes[(split + 4)...]))
}

/// Runs several curl requests at the same time; returns their bodies in order.
func curlConcurrently(_ urls: [String], timeout: Int = 30) throws -> [Data] {
    let dir = try makeTemporaryDirectory("startapi-parallel")
    var running: [(Process, URL)] = []
    for (index, url) in urls.enumerated() {
        let output = dir.appendingPathComponent("\(index).out")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-s", "-m", "\(timeout)", "-o", output.path, url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        running.append((process, output))
    }
    return running.map { process, output in
        process.waitUntilExit()
        return (try? Data(contentsOf: output)) ?? Data()
    }
}

/// A JSON value's shape: objects by key, arrays by their first element, scalars by type; `null` fits any type.
indirect enum JSONShape: Equatable, CustomStringConvertible {
    case null, bool, number, string
    case array(JSONShape?)
    case object([String: JSONShape])

    init(parsing data: Data) throws {
        self = try JSONDecoder().decode(Decoded.self, from: data).shape
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    subscript(key: String) -> JSONShape? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    private struct Decoded: Decodable {
        var shape: JSONShape
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                shape = .null
            } else if (try? container.decode(Bool.self)) != nil {
                shape = .bool
            } else if (try? container.decode(Double.self)) != nil {
                shape = .number
            } else if (try? container.decode(String.self)) != nil {
                shape = .string
            } else if let array = try? container.decode([Decoded].self) {
                shape = .array(array.first?.shape)
            } else {
                shape = .object(try container.decode([String: Decoded].self).mapValues(\.shape))
            }
        }
    }

    /// Differences between `self` (ours) and `reference`, as `path: problem` lines. Keys under `opaque` paths are
    /// request-dependent (headers, query, path parameters): only their container types are compared.
    func differences(from reference: JSONShape, path: String = "", opaque: Set<String>) -> [String] {
        switch (self, reference) {
        case (.null, _), (_, .null): return []
        case (.object(let ours), .object(let theirs)):
            if opaque.contains(path) { return [] }
            var problems: [String] = []
            for key in Set(ours.keys).union(theirs.keys).sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                switch (ours[key], theirs[key]) {
                case (nil, _): problems.append("\(child): missing")
                case (_, nil): problems.append("\(child): extra")
                case (let a?, let b?): problems += a.differences(from: b, path: child, opaque: opaque)
                }
            }
            return problems
        case (.array(let a), .array(let b)):
            guard let a, let b else { return [] }
            return a.differences(from: b, path: path + "[]", opaque: opaque)
        default:
            return self.description == reference.description ? [] : ["\(path): \(self) instead of \(reference)"]
        }
    }
}

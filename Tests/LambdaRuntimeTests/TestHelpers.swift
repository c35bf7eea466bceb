import Foundation
import Logging
import Synchronization
import TestSupport

@testable import LambdaRuntime

/// A log sink that keeps everything written to it.
final class CollectingLogSink: LogSink {
    private let bytes = Mutex<[UInt8]>([])

    func write(_ bytes: [UInt8]) {
        self.bytes.withLock { $0.append(contentsOf: bytes) }
    }

    var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
}

/// A logger that prints nothing.
let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// A configuration for a function in `code`, with a private cache folder.
func makeConfiguration(
    code: URL, runtime: String = "provided.al2023", handler: String = "app.handler", timeout: Duration = .seconds(3),
    environment: [String: String] = [:], hostPath: String = "/usr/local/bin:/usr/bin:/bin"
) -> FunctionConfiguration {
    FunctionConfiguration(
        name: "test-fn", runtime: runtime, handler: handler, codeDirectory: code, timeout: timeout,
        memorySize: 256, region: "eu-west-1", accountID: "111122223333", environment: environment,
        hostPath: hostPath, hostEnvironment: ["HOME": NSHomeDirectory()],
        cacheDirectory: code.appendingPathComponent(".cache"))
}

/// The Runtime API shell prelude used by the `bootstrap` fixtures: `next` fills $ID and the file $EVENT.
let bootstrapPrelude = """
    #!/bin/sh
    set -eu
    API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
    TMP="$(mktemp -d)"
    EVENT="$TMP/event"
    next() {
        curl -sS -D "$TMP/headers" -o "$EVENT" "$API/invocation/next"
        ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$TMP/headers" | cut -d: -f2 | tr -d ' \\r')
    }
    respond() {
        curl -sS -H 'Expect:' -X POST --data-binary "@$1" "$API/invocation/$ID/response" >/dev/null
    }

    """

/// A code folder whose `bootstrap` is `bootstrapPrelude` followed by `body`.
func makeProvidedFunction(_ body: String) throws -> URL {
    let code = try makeTemporaryDirectory("standin-runtime")
    try writeFile(code, "bootstrap", bootstrapPrelude + body, executable: true)
    return code
}

/// A minimal HTTP exchange through curl.
struct HTTPExchange: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// `curl` a URL; `body` is sent from a file so that large bodies work.
    static func run(
        _ method: String, _ url: String, body: [UInt8]? = nil, headers: [String: String] = [:]
    ) async throws -> HTTPExchange {
        try await Task.detached {
            let dir = try makeTemporaryDirectory("standin-curl")
            defer { try? FileManager.default.removeItem(at: dir) }
            var arguments = [
                "-sS", "-X", method, "-D", dir.appendingPathComponent("h").path, "-o",
                dir.appendingPathComponent("b").path, "-H", "Expect:",
            ]
            for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
            if let body {
                let file = dir.appendingPathComponent("in")
                try Data(body).write(to: file)
                arguments += ["--data-binary", "@\(file.path)"]
            }
            arguments.append(url)
            let result = try runProcess("curl", arguments, timeout: 60)
            guard result.status == 0 else { throw TestSupportError("curl failed: \(result.stderrText)") }
            let headerText = try String(contentsOf: dir.appendingPathComponent("h"), encoding: .utf8)
            var lines = headerText.split(separator: "\r\n")
            let statusLine = lines.removeFirst().split(separator: " ")
            var parsed: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
            let bodyData = (try? Data(contentsOf: dir.appendingPathComponent("b"))) ?? Data()
            return HTTPExchange(status: Int(statusLine[1]) ?? 0, headers: parsed, body: Array(bodyData))
        }.value
    }
}

extension InvocationResult {
    var payloadText: String { String(decoding: payload, as: UTF8.self) }
    var logText: String { String(decoding: log, as: UTF8.self) }
}

/// Parses a JSON object.
func jsonObject(_ bytes: [UInt8]) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
}

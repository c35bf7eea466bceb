import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A running `standin start-lambda --port N` over a private copy of the `startlambda-app` fixture, and the real
/// clients that call it: the AWS CLI and boto3 from the test virtualenv, and curl.
final class StartLambdaServer {
    let app: URL
    let root: URL
    let port: Int
    /// A unique value in every function's environment (`STANDIN_E2E_MARKER`), to find this server's processes.
    let marker: String
    private let fixture: MarkedFixture
    private let server: StandinServerProcess

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Copies the fixture and starts the server; returns once it accepts connections.
    init(extraArguments: [String] = []) throws {
        let fixture = try MarkedFixture("startlambda-app", temporaryPrefix: "startlambda")
        self.fixture = fixture
        root = fixture.root
        app = fixture.app
        marker = fixture.marker
        port = freeLoopbackPort()
        server = try StandinServerProcess(
            ["start-lambda", "--port", "\(port)", "--no-assume-role", "--region", "us-east-1", "--no-watch"]
                + extraArguments,
            in: app, environment: try StandinCLI().environment,
            stderrFile: root.appendingPathComponent("stderr.log"), stopTimeout: 30,
            onKill: { for pid in fixture.processes() { kill(pid, SIGKILL) } })
        try server.waitUntilListening([(port, 60)], what: "start-lambda")
    }

    /// What the server wrote to stderr so far (its banner, access log and the functions' logs).
    var stderr: String { server.stderr }

    /// Sends SIGINT and waits (bounded) for the exit; returns the exit status (nil: it had to be killed, and so
    /// were its function instances).
    @discardableResult
    func stop(timeout: TimeInterval = 30) -> Int32? {
        server.stop(timeout: timeout)
    }

    /// Live processes whose environment carries this server's marker: its function instances.
    func functionProcesses() -> [Int32] {
        fixture.processes()
    }

    /// Polls (bounded) until `condition` holds.
    func eventually(timeout: TimeInterval = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        try pollUntil(timeout: timeout, interval: 0.1, condition)
    }

    // MARK: Clients

    /// The environment of the AWS CLI and boto3: a private HOME, dummy keys, no other AWS settings.
    var clientEnvironment: [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": root.path, "LANG": "C.UTF-8",
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    /// `aws lambda invoke --endpoint-url ... ARGS OUTFILE`; returns the CLI's result and the output file's text.
    func awsInvoke(_ arguments: [String], payload: String? = nil) throws -> (result: ProcessResult, output: String) {
        guard let aws = TestPaths.venvTool("aws") else { throw TestSupportError("no aws CLI in the virtualenv") }
        let outFile = root.appendingPathComponent("out-\(UUID().uuidString.prefix(8)).json")
        var full = ["lambda", "invoke", "--endpoint-url", endpoint] + arguments
        if let payload {
            // AWS CLI v2 reads blobs as base64 unless told otherwise; v1 takes them raw.
            if try Self.awsCLIMajorVersion(aws) >= 2 { full += ["--cli-binary-format", "raw-in-base64-out"] }
            full += ["--payload", payload]
        }
        full.append(outFile.path)
        let result = try runProcess(aws.path, full, environment: clientEnvironment, timeout: 90)
        let output = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
        return (result, output)
    }

    /// Runs the boto3 client fixture over `calls` (Invoke parameters); returns boto3's answers.
    func boto3(_ calls: [[String: Any]], parallel: Bool = false) throws -> [[String: Any]] {
        guard let python = TestPaths.venvTool("python") else { throw TestSupportError("no python in the virtualenv") }
        let callsFile = root.appendingPathComponent("calls-\(UUID().uuidString.prefix(8)).json")
        try JSONSerialization.data(withJSONObject: calls).write(to: callsFile)
        let script = TestPaths.fixture("EndToEndTests", "startlambda-clients").appendingPathComponent("boto3_invoke.py")
        let result = try runProcess(
            python.path, [script.path, endpoint, callsFile.path] + (parallel ? ["parallel"] : []),
            environment: clientEnvironment, timeout: 120)
        guard result.status == 0,
            let answers = (try? JSONSerialization.jsonObject(with: result.stdout)) as? [[String: Any]]
        else {
            throw TestSupportError("boto3 failed (\(result.status)): \(result.stderrText) \(result.stdoutText)")
        }
        return answers
    }

    /// One raw HTTP request to the Invoke API with curl: status, lower-cased headers, body.
    func rawInvoke(_ path: String, headers: [String] = [], body: String = "{}") throws -> RawReply {
        var arguments = ["-sS", "-i", "-m", "60", "-X", "POST", "-H", "Expect:", "--data-binary", body]
        for header in headers { arguments += ["-H", header] }
        arguments.append(endpoint + path)
        let result = try runProcess("curl", arguments, timeout: 70)
        guard result.status == 0 else { throw TestSupportError("curl failed: \(result.stderrText)") }
        let text = result.stdoutText
        guard let split = text.range(of: "\r\n\r\n") else { throw TestSupportError("no HTTP head: \(text)") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return RawReply(status: status, headers: fields, body: String(text[split.upperBound...]))
    }

    struct RawReply {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    private static func awsCLIMajorVersion(_ aws: URL) throws -> Int {
        let version = try runProcess(aws.path, ["--version"], timeout: 60)
        let text = version.stdoutText + version.stderrText
        // "aws-cli/1.46.2 Python/..." or "aws-cli/2.15.0 ..."
        guard let range = text.range(of: "aws-cli/"), let major = text[range.upperBound...].first?.wholeNumberValue
        else { return 1 }
        return major
    }
}

/// Parses a JSON object from text.
func parseJSONObject(_ text: String) -> [String: Any]? {
    jsonObject(Data(text.utf8))
}

/// Decodes an `X-Amz-Log-Result` / `LogResult` value.
func decodedLogResult(_ value: Any?) -> String {
    guard let text = value as? String, let data = Data(base64Encoded: text) else { return "" }
    return String(decoding: data, as: UTF8.self)
}

import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The built `standin` binary running as a child process (a server such as `start-api` / `start-lambda`, or a
/// long `invoke`), with its standard error (and optionally standard output) in files, stopped with SIGINT and a
/// bounded wait, then SIGKILL. It is stopped on deinit if it still runs, so no test leaves it behind.
final class StandinServerProcess {
    private let process = Process()
    private let stderrURL: URL
    private let stdoutURL: URL?
    private let stopTimeout: TimeInterval
    private let onKill: () -> Void

    /// Starts `standin ARGUMENTS` in `directory` with `environment`; stderr goes to `stderrFile` (created empty),
    /// stdout to `stdoutFile` (created empty) or nowhere. `onKill` runs after a stop that needed SIGKILL.
    init(
        _ arguments: [String], in directory: URL, environment: [String: String], stderrFile: URL,
        stdoutFile: URL? = nil, stopTimeout: TimeInterval = 20, onKill: @escaping () -> Void = {}
    ) throws {
        stderrURL = stderrFile
        stdoutURL = stdoutFile
        self.stopTimeout = stopTimeout
        self.onKill = onKill
        for file in [stderrFile] + (stdoutFile.map { [$0] } ?? []) {
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw TestSupportError("cannot create \(file.path)")
            }
        }
        process.executableURL = TestPaths.standinBinary
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try stdoutFile.map { try FileHandle(forWritingTo: $0) } ?? FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    deinit {
        if process.isRunning { stop() }
    }

    /// Waits (bounded, each port with its own timeout) until every port accepts connections; otherwise stops the
    /// process and throws `"<what> did not listen: <stderr>"`.
    func waitUntilListening(_ ports: [(port: Int, timeout: TimeInterval)], what: String) throws {
        do {
            for (port, timeout) in ports { try waitForPort(port, timeout: timeout) }
        } catch {
            stop()
            throw TestSupportError("\(what) did not listen: \(stderr)")
        }
    }

    var isRunning: Bool { process.isRunning }

    /// What the process wrote to standard error so far.
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// What the process wrote to standard output so far (empty when it was not kept).
    var stdout: Data { stdoutURL.flatMap { try? Data(contentsOf: $0) } ?? Data() }

    /// Waits (bounded) for the exit; its status, or nil when it had to be killed.
    func waitForExit(timeout: TimeInterval = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            onKill()
            return nil
        }
        return process.terminationStatus
    }

    /// Sends SIGINT (when still running) and waits (bounded, default the `stopTimeout` given at start) for the exit;
    /// the exit status, or nil when it had to be killed.
    @discardableResult
    func stop(timeout: TimeInterval? = nil) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGINT)
        return waitForExit(timeout: timeout ?? stopTimeout)
    }
}

/// A private copy of a fixture app whose `template.yaml` has its `@MARKER@` replaced by a unique value, which the
/// fixture puts in every function's environment as `STANDIN_E2E_MARKER`, to find the functions' processes.
struct MarkedFixture {
    /// The temporary folder holding `app` (and room for logs and client files).
    let root: URL
    let app: URL
    let marker: String

    /// Copies `Fixtures/EndToEndTests/<fixture>` to `<new temporary folder>/app` and writes the marker in.
    init(_ fixture: String, temporaryPrefix: String) throws {
        root = try makeTemporaryDirectory(temporaryPrefix)
        app = root.appendingPathComponent("app")
        try FileManager.default.copyItem(at: TestPaths.fixture("EndToEndTests", fixture), to: app)
        marker = UUID().uuidString
        let templateURL = app.appendingPathComponent("template.yaml")
        let template = try String(contentsOf: templateURL, encoding: .utf8)
        try template.replacingOccurrences(of: "@MARKER@", with: marker).write(
            to: templateURL, atomically: true, encoding: .utf8)
    }

    /// Live processes whose environment carries the marker (function instances, and their watchdogs unless
    /// `instancesOnly`).
    func processes(instancesOnly: Bool = false) -> [Int32] {
        MarkedProcesses(marker: marker).live.filter { pid in
            guard instancesOnly, let line = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
                return true
            }
            return !String(decoding: line, as: UTF8.self).contains("standin-watchdog")
        }
    }
}

/// Two different loopback ports that were free a moment ago (a server port and a second listener's).
func twoFreeLoopbackPorts() -> (Int, Int) {
    let first = freeLoopbackPort()
    var second = freeLoopbackPort()
    while second == first { second = freeLoopbackPort() }
    return (first, second)
}

/// Polls `condition` every `interval` seconds until it holds or `timeout` passes; its last value.
func pollUntil(
    timeout: TimeInterval = 20, interval: TimeInterval = 0.1, _ condition: () throws -> Bool
) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(useconds_t(interval * 1_000_000))
    }
    return try condition()
}

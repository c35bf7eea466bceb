import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real local AWS endpoint: `moto_server` from the test virtualenv on a free loopback port.
/// Stop it with `stop()`; it is also killed when the test process ends (it runs in our process group).
public final class MotoServer: @unchecked Sendable {
    public let port: Int
    public let process: Process
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Starts moto_server and waits until it answers.
    /// - Parameter initialNoAuthActionCount: when set, IAM enforcement starts after that many requests.
    /// - Returns: nil when moto_server is not installed and we are not in CI (the test may skip).
    public static func start(initialNoAuthActionCount: Int? = nil) throws -> MotoServer? {
        guard let tool = try TestPaths.requireVenvTool("moto_server") else { return nil }
        let port = freeLoopbackPort()
        let process = Process()
        process.executableURL = tool
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        var env = ProcessInfo.processInfo.environment
        if let count = initialNoAuthActionCount { env["INITIAL_NO_AUTH_ACTION_COUNT"] = String(count) }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = MotoServer(port: port, process: process)
        do {
            try waitForPort(port, timeout: 60)
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// Turns IAM enforcement on from the next request (`POST /moto-api/reset-auth` with body `0`).
    public func enableIAMEnforcement() throws {
        let result = try runProcess(
            "curl",
            ["-sS", "-f", "-X", "POST", "-H", "Content-Type: text/plain", "--data-binary", "0",
             "\(endpoint)/moto-api/reset-auth"],
            timeout: 30)
        guard result.status == 0 else { throw TestSupportError("reset-auth failed: \(result.stderrText)") }
    }

    /// Stops the server (SIGKILL: on SIGTERM moto waits for its keep-alive request threads) and waits for it.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

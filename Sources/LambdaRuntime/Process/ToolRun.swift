import Foundation

/// A tool run to completion (a compiler, a build, an interpreter asked a question): its exit status and what it
/// printed. The one way standin runs a short-lived program; function processes are ``ChildProcess``es.
public struct ToolRun: Sendable {
    /// The exit status (for a program ended by a signal: the signal number, and ``exited`` is false).
    public var status: Int32
    /// Whether the program exited (rather than being ended by a signal).
    public var exited: Bool
    /// Standard output, with standard error interleaved as written unless it was discarded.
    public var output: String

    /// True when the program exited with status 0.
    public var succeeded: Bool { exited && status == 0 }

    /// Runs `executable` with `arguments` and waits for it; standard input is empty.
    /// - Parameters:
    ///   - directory: the working directory (nil: standin's).
    ///   - environment: the whole environment (nil: standin's).
    ///   - discardingStandardError: standard error goes to /dev/null instead of into ``output``.
    /// - Throws: when the program cannot be started.
    public static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
        discardingStandardError: Bool = false
    ) throws -> ToolRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = discardingStandardError ? FileHandle.nullDevice : output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return ToolRun(
            status: process.terminationStatus, exited: process.terminationReason == .exit, output: text)
    }
}

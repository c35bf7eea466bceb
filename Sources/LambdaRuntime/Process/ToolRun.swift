import Foundation

/// A tool run to completion (a compiler, a build): its exit status and everything it printed.
public struct ToolRun: Sendable {
    /// The exit status.
    public var status: Int32
    /// Standard output and standard error, interleaved as written.
    public var output: String

    /// Runs `executable` with `arguments` and waits for it; standard input is empty.
    /// - Parameters:
    ///   - directory: the working directory (nil: standin's).
    ///   - environment: the whole environment (nil: standin's).
    /// - Throws: when the program cannot be started.
    public static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
    ) throws -> ToolRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return ToolRun(status: process.terminationStatus, output: text)
    }
}

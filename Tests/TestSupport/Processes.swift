import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs a program to completion (killing it after `timeout` seconds) and captures its output.
/// - Parameters:
///   - executable: the program; a bare name is looked up on PATH through `/usr/bin/env`.
///   - environment: the full environment; nil inherits this process's.
public func runProcess(
    _ executable: String,
    _ arguments: [String] = [],
    environment: [String: String]? = nil,
    currentDirectory: URL? = nil,
    stdin: Data? = nil,
    timeout: TimeInterval = 120
) throws -> ProcessResult {
    let process = Process()
    if executable.contains("/") {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
    }
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let outPipe = Pipe()
    let errPipe = Pipe()
    let inPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = inPipe
    let out = DataCollector()
    let err = DataCollector()
    outPipe.fileHandleForReading.readabilityHandler = { out.append($0.availableData) }
    errPipe.fileHandleForReading.readabilityHandler = { err.append($0.availableData) }
    try process.run()
    if let stdin { inPipe.fileHandleForWriting.write(stdin) }
    try? inPipe.fileHandleForWriting.close()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
        if Date() > deadline {
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestSupportError("\(executable) \(arguments.joined(separator: " ")) did not finish in \(timeout)s")
        }
        usleep(5_000)
    }
    process.waitUntilExit()
    outPipe.fileHandleForReading.readabilityHandler = nil
    errPipe.fileHandleForReading.readabilityHandler = nil
    out.append(outPipe.fileHandleForReading.readDataToEndOfFile())
    err.append(errPipe.fileHandleForReading.readDataToEndOfFile())
    return ProcessResult(status: process.terminationStatus, stdout: out.data, stderr: err.data)
}

final class DataCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    func append(_ data: Data) {
        lock.lock()
        buffer.append(data)
        lock.unlock()
    }
    var data: Data {
        lock.lock()
        defer { lock.unlock() }
        return buffer
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago (bind to 0, read it back, close).
public func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
    }
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// Waits until something accepts TCP connections on 127.0.0.1:`port`.
public func waitForPort(_ port: Int, timeout: TimeInterval = 30) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        close(fd)
        if result == 0 { return }
        usleep(50_000)
    }
    throw TestSupportError("nothing listened on 127.0.0.1:\(port) within \(timeout)s")
}

/// True when a process with this pid still exists (and is not a zombie).
public func processIsAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    {
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }
    return true
}

/// The pids of processes whose command line contains `marker` (read from /proc).
public func processes(withCommandLineContaining marker: String) -> [Int32] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    var found: [Int32] = []
    for entry in entries {
        guard let pid = Int32(entry), pid != getpid(),
            let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
        else { continue }
        let line = String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        if line.contains(marker), processIsAlive(pid) { found.append(pid) }
    }
    return found
}

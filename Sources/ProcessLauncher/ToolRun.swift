import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tool run to completion (a compiler, a build, an interpreter asked a question, a `credential_process`): its exit
/// status and what it printed. Started with ``Spawn``; its output is read on the calling thread, both pipes in one
/// `poll` loop, until both close; then the tool is reaped. Function processes are `ChildProcess`es (LambdaRuntime).
public struct ToolRun: Sendable {
    /// Where the tool's standard error goes.
    public enum ErrorOutput: Sendable {
        /// Into ``output``, interleaved as written.
        case merged
        /// Into ``errorOutput``.
        case separate
        /// To `/dev/null`.
        case discarded
    }

    /// The exit status (for a program ended by a signal: the signal number, and ``exited`` is false).
    public var status: Int32
    /// Whether the program exited (rather than being ended by a signal).
    public var exited: Bool
    /// Standard output (with standard error when merged), decoded as UTF-8.
    public var output: String
    /// Standard error, when asked for separately.
    public var errorOutput: String
    /// Standard output's bytes.
    public var outputBytes: [UInt8]

    /// True when the program exited with status 0.
    public var succeeded: Bool { exited && status == 0 }

    /// Runs `executable` (a path) with `arguments` and waits for it; standard input is `/dev/null`. Blocks the
    /// calling thread: call it where blocking is fine, or from a thread of its own.
    /// - Parameters:
    ///   - directory: the working directory (nil: standin's).
    ///   - environment: the whole environment (nil: standin's).
    ///   - standardError: where standard error goes.
    /// - Throws: ``SpawnError`` when the program cannot be started.
    public static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
        standardError: ErrorOutput = .merged
    ) throws(SpawnError) -> ToolRun {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard LibC.pipe2(&outPipe, O_CLOEXEC) == 0 else { throw SpawnError(executable: executable, errno: errno) }
        if standardError == .separate, LibC.pipe2(&errPipe, O_CLOEXEC) != 0 {
            let code = errno
            close(outPipe[0])
            close(outPipe[1])
            throw SpawnError(executable: executable, errno: code)
        }
        let errorStream: Spawn.Stream =
            switch standardError {
            case .merged: .descriptor(outPipe[1])
            case .separate: .descriptor(errPipe[1])
            case .discarded: .null
            }
        let pid: pid_t
        do {
            pid = try Spawn.start(
                executable, arguments: arguments, environment: environment ?? ProcessInfo.processInfo.environment,
                directory: directory?.path,
                stdout: .descriptor(outPipe[1]), stderr: errorStream)
        } catch {
            for fd in outPipe + errPipe where fd >= 0 { close(fd) }
            throw error
        }
        close(outPipe[1])
        if errPipe[1] >= 0 { close(errPipe[1]) }
        let collected = readToEnd([outPipe[0]] + (errPipe[0] >= 0 ? [errPipe[0]] : []))
        let exit = Spawn.wait(pid)
        let (status, exited): (Int32, Bool) =
            switch exit {
            case .exited(let code): (code, true)
            case .signaled(let signal): (signal, false)
            }
        return ToolRun(
            status: status, exited: exited, output: String(decoding: collected[0], as: UTF8.self),
            errorOutput: collected.count > 1 ? String(decoding: collected[1], as: UTF8.self) : "",
            outputBytes: collected[0])
    }

    /// Reads every descriptor to end of file, as each becomes readable, and closes it.
    static func readToEnd(_ fds: [Int32]) -> [[UInt8]] {
        var collected = Array(repeating: [UInt8](), count: fds.count)
        var open = Array(fds.indices)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !open.isEmpty {
            var polled = open.map { pollfd(fd: fds[$0], events: Int16(POLLIN), revents: 0) }
            let ready = poll(&polled, nfds_t(polled.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            var stillOpen: [Int] = []
            for (slot, index) in open.enumerated() {
                guard polled[slot].revents != 0 else {
                    stillOpen.append(index)
                    continue
                }
                let count = buffer.withUnsafeMutableBytes { read(fds[index], $0.baseAddress, $0.count) }
                if count > 0 {
                    collected[index].append(contentsOf: buffer[0..<count])
                    stillOpen.append(index)
                } else if count < 0 && (errno == EINTR || errno == EAGAIN) {
                    stillOpen.append(index)
                } else {
                    close(fds[index])
                }
            }
            open = stillOpen
        }
        for index in open { close(fds[index]) }
        return collected
    }
}

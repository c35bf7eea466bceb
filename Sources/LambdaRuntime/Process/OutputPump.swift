import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a pipe on its own thread and hands out whole lines as they arrive; nothing is lost when the writer dies.
final class OutputPump: Sendable {
    private struct State {
        var busy = false
        var eof = false
        var partial: [UInt8] = []
    }

    private let fd: Int32
    private let state = Mutex(State())
    /// Signalled at end of file, for ``waitForEOF(timeout:)``.
    private let ended = EndOfFileSignal()
    private let onLine: @Sendable ([UInt8]) -> Void

    /// Starts reading `fd` (which the pump owns and closes at end of file).
    init(fd: Int32, onLine: @escaping @Sendable ([UInt8]) -> Void) {
        self.fd = fd
        self.onLine = onLine
        Thread.detachNewThread { [self] in run() }
    }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, -1)
            if ready < 0 && errno == EINTR { continue }
            state.withLock { $0.busy = true }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) {
                state.withLock { $0.busy = false }
                continue
            }
            if count <= 0 {
                let rest = state.withLock { state in
                    defer { state.partial = [] }
                    return state.partial
                }
                if !rest.isEmpty { onLine(rest + [UInt8(ascii: "\n")]) }
                close(fd)
                state.withLock {
                    $0.eof = true
                    $0.busy = false
                }
                ended.signal()
                return
            }
            // Only the bytes just read are scanned, and a line without a newline yet is only appended to: a long
            // line costs time in proportion to its length, not to its length squared.
            let lines: [[UInt8]] = state.withLock { state in
                var lines: [[UInt8]] = []
                var start = 0
                for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                    if start == 0, !state.partial.isEmpty {
                        state.partial.append(contentsOf: buffer[0...index])
                        lines.append(state.partial)
                        state.partial = []
                    } else {
                        lines.append(Array(buffer[start...index]))
                    }
                    start = index + 1
                }
                if start < count { state.partial.append(contentsOf: buffer[start..<count]) }
                return lines
            }
            for line in lines { onLine(line) }
            state.withLock { $0.busy = false }
        }
    }

    /// True when everything written so far has been read and handed out (nothing in the pipe, no read in progress).
    var isDrained: Bool {
        let (busy, eof) = state.withLock { ($0.busy, $0.eof) }
        if eof { return true }
        if busy { return false }
        var pending: Int32 = 0
        guard ioctl(fd, UInt(FIONREAD), &pending) == 0 else { return true }
        return pending == 0 && !state.withLock { $0.busy }
    }

    /// Waits (briefly) until what was written before now has been handed out, then hands out a trailing partial line.
    func drain(timeout: Duration = .milliseconds(100)) async {
        let deadline = ContinuousClock.now + timeout
        while !isDrained, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .microseconds(200))
        }
        flushPartialLine()
    }

    /// Hands out a trailing line that has no newline yet.
    func flushPartialLine() {
        let rest: [UInt8] = state.withLock { state in
            guard !state.busy else { return [] }
            defer { state.partial = [] }
            return state.partial
        }
        if !rest.isEmpty { onLine(rest + [UInt8(ascii: "\n")]) }
    }

    /// Blocks until end of file, or `timeout`.
    func waitForEOF(timeout: Duration) {
        ended.wait(timeout: timeout)
    }
}

/// A one-shot event a thread can wait for with a timeout (`NSCondition`: the reaper thread blocks on it, so it
/// cannot be an async wait).
private final class EndOfFileSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var happened = false  // guarded by `condition`

    func signal() {
        condition.lock()
        happened = true
        condition.broadcast()
        condition.unlock()
    }

    func wait(timeout: Duration) {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        while !happened, condition.wait(until: deadline) {}
        condition.unlock()
    }
}

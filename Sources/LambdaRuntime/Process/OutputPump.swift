import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One output pipe of a child: reads what is ready when its owner's I/O thread (``ChildProcess``) says so, and hands
/// out whole lines; nothing is lost when the writer dies (a last line without a newline is handed out at the end).
final class OutputPump: Sendable {
    private struct State {
        var busy = false
        var eof = false
        var partial: [UInt8] = []
    }

    /// The read end of the pipe, owned by the pump and closed at end of file or by ``finish()``.
    let fd: Int32
    private let state = Mutex(State())
    private let onLine: @Sendable ([UInt8]) -> Void

    init(fd: Int32, onLine: @escaping @Sendable ([UInt8]) -> Void) {
        self.fd = fd
        self.onLine = onLine
    }

    /// True once end of file was read (or the pump was closed).
    var isAtEOF: Bool { state.withLock { $0.eof } }

    /// Reads once (the pipe is readable) into `buffer` and hands out the whole lines; at end of file, hands out the
    /// partial line and closes the pipe. Called by the owner's I/O thread only.
    func readReady(_ buffer: inout [UInt8]) {
        state.withLock { $0.busy = true }
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && (errno == EINTR || errno == EAGAIN) {
            state.withLock { $0.busy = false }
            return
        }
        guard count > 0 else {
            finish()
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

    /// Stops reading: hands out the partial line and closes the pipe (a grandchild still holding its write end
    /// gets `SIGPIPE`). Called by the owner's I/O thread only.
    func finish() {
        let rest: [UInt8]? = state.withLock { state in
            guard !state.eof else { return nil }
            state.eof = true
            state.busy = false
            defer { state.partial = [] }
            return state.partial
        }
        guard let rest else { return }
        if !rest.isEmpty { onLine(rest + [UInt8(ascii: "\n")]) }
        close(fd)
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
}

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
        /// The waits of ``drain(timeout:)`` for the pipe to be empty, by id.
        var drainWaits: [UInt64: DrainWait] = [:]
        var nextWait: UInt64 = 0

        /// Takes the waits that are waiting (a wait being set up checks the pipe itself).
        mutating func takeWaiting() -> [CheckedContinuation<Void, Never>] {
            var waiting: [CheckedContinuation<Void, Never>] = []
            for (id, wait) in drainWaits {
                if case .waiting(let continuation) = wait {
                    waiting.append(continuation)
                    drainWaits[id] = nil
                }
            }
            return waiting
        }
    }

    /// One wait for the pipe to be empty: set up, waiting, or cancelled before it could wait.
    private enum DrainWait {
        case allocated
        case waiting(CheckedContinuation<Void, Never>)
        case cancelled
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
        let drained: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.busy = false
            guard !state.drainWaits.isEmpty, Self.pipeIsEmpty(fd) else { return [] }
            return state.takeWaiting()
        }
        for waiter in drained { waiter.resume() }
    }

    /// Stops reading: hands out the partial line and closes the pipe (a grandchild still holding its write end
    /// gets `SIGPIPE`). Called by the owner's I/O thread only.
    func finish() {
        let ended: (rest: [UInt8], waiters: [CheckedContinuation<Void, Never>])? = state.withLock { state in
            guard !state.eof else { return nil }
            state.eof = true
            state.busy = false
            defer { state.partial = [] }
            return (state.partial, state.takeWaiting())
        }
        guard let ended else { return }
        if !ended.rest.isEmpty { onLine(ended.rest + [UInt8(ascii: "\n")]) }
        close(fd)
        for waiter in ended.waiters { waiter.resume() }
    }

    /// True when everything written so far has been read and handed out (nothing in the pipe, no read in progress).
    var isDrained: Bool {
        state.withLock { $0.eof || (!$0.busy && Self.pipeIsEmpty(fd)) }
    }

    /// Nothing waits in the pipe (`FIONREAD`); true when it cannot be asked.
    private static func pipeIsEmpty(_ fd: Int32) -> Bool {
        var pending: Int32 = 0
        guard ioctl(fd, UInt(FIONREAD), &pending) == 0 else { return true }
        return pending == 0
    }

    /// Waits (up to `timeout`) until what was written before now has been handed out, then hands out a trailing
    /// partial line. The owner's I/O thread wakes the wait when a read leaves the pipe empty: no polling.
    func drain(timeout: Duration = .milliseconds(100)) async {
        if !isDrained {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.waitUntilDrained() }
                group.addTask { try? await Task.sleep(for: timeout) }
                await group.next()
                group.cancelAll()
            }
        }
        flushPartialLine()
    }

    /// Returns once the pipe is empty (or at end of file), or when the task is cancelled.
    private func waitUntilDrained() async {
        let id = state.withLock { state in
            defer { state.nextWait += 1 }
            state.drainWaits[state.nextWait] = .allocated
            return state.nextWait
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    // Checked under the lock the I/O thread takes after each read, so no wake-up is missed.
                    guard case .allocated = state.drainWaits[id], !state.eof, state.busy || !Self.pipeIsEmpty(fd)
                    else {
                        state.drainWaits[id] = nil
                        return true
                    }
                    state.drainWaits[id] = .waiting(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiting: CheckedContinuation<Void, Never>? = state.withLock { state in
                switch state.drainWaits[id] {
                case .waiting(let continuation):
                    state.drainWaits[id] = nil
                    return continuation
                case .allocated:
                    state.drainWaits[id] = .cancelled
                    return nil
                case .cancelled, nil:
                    return nil
                }
            }
            waiting?.resume()
        }
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

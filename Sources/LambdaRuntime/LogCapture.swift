import Synchronization

/// Forwards function output and platform lines to the ``LogSink`` and keeps a copy of what belongs to the current
/// invocation (output written since the previous invocation ended, then `START` ... `REPORT`).
final class LogCapture: Sendable {
    private let sink: any LogSink
    private let buffer = Mutex<[UInt8]>([])
    /// The most kept per invocation; older bytes are dropped (the log tail is what callers want).
    private let limit = 1 << 20

    init(sink: any LogSink) {
        self.sink = sink
    }

    /// Writes bytes (whole lines) to the sink and the current invocation's copy.
    func write(_ bytes: [UInt8]) {
        sink.write(bytes)
        buffer.withLock { buffer in
            buffer.append(contentsOf: bytes)
            if buffer.count > limit { buffer.removeFirst(buffer.count - limit) }
        }
    }

    /// Writes a platform line.
    func write(_ text: String) {
        write(Array(text.utf8))
    }

    /// Returns the copy kept so far and starts a new one.
    func take() -> [UInt8] {
        buffer.withLock { buffer in
            defer { buffer = [] }
            return buffer
        }
    }
}

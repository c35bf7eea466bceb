/// Where function output and the platform's `START` / `END` / `REPORT` lines go.
///
/// `write` is called with whole lines (ending in `\n`), possibly from several threads.
public protocol LogSink: Sendable {
    /// Writes log bytes.
    func write(_ bytes: [UInt8])
}

/// A sink that drops everything.
public struct DiscardingLogSink: LogSink {
    /// Creates the sink.
    public init() {}
    /// Drops `bytes`.
    public func write(_ bytes: [UInt8]) {}
}

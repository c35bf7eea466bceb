import Foundation
import Logging
import Synchronization

/// standin's own log lines on standard error (`standin: warning: …`), so that standard output stays the payload.
///
/// The level is `warning` unless `STANDIN_LOG_LEVEL` says otherwise (`debug`, `info`, `trace`, ...).
public struct StandinLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    /// The level of every standin logger: one process-wide value, so that a setting read after start-up (samconfig's
    /// `debug = true`) applies to loggers made before it.
    public var logLevel: Logger.Level {
        get { Self.level.withLock { $0 } }
        set { Self.level.withLock { $0 = newValue } }
    }
    private static let level = Mutex<Logger.Level>(.warning)

    public init(level: Logger.Level) {
        Self.level.withLock { $0 = level }
    }

    /// Installs the handler for every logger of the process.
    public static func bootstrap(environment: [String: String]) {
        let level = environment["STANDIN_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .warning
        Self.level.withLock { $0 = level }
        LoggingSystem.bootstrap { _ in StandinLogHandler(level: Self.level.withLock { $0 }) }
    }

    /// Lowers the level to debug (SAM's `--debug`, or `debug = true` in samconfig), when it is higher.
    public static func enableDebug() {
        level.withLock { if $0 > .debug { $0 = .debug } }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "standin: \(event.level == .warning ? "warning: " : event.level >= .error ? "error: " : "")\(event.message)"
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        if !all.isEmpty {
            line += " (" + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + ")"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

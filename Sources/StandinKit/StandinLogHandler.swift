import Foundation
import Logging

/// standin's own log lines on standard error (`standin: warning: …`), so that standard output stays the payload.
///
/// The level is `warning` unless `STANDIN_LOG_LEVEL` says otherwise (`debug`, `info`, `trace`, ...).
public struct StandinLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level

    public init(level: Logger.Level) {
        self.logLevel = level
    }

    /// Installs the handler for every logger of the process.
    public static func bootstrap(environment: [String: String]) {
        let level = environment["STANDIN_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .warning
        LoggingSystem.bootstrap { _ in StandinLogHandler(level: level) }
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

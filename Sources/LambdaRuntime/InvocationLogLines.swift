import Foundation

/// The platform lines Lambda writes around each invocation (`START`, `END`, `REPORT`), in the cloud's format.
///
/// `REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t`
/// `Max Memory Used: 18 MB\tInit Duration: 123.45 ms\t` — tab-separated, Init Duration last and only on a cold start.
public enum InvocationLogLines {
    /// `START RequestId: <id> Version: $LATEST`.
    public static func start(requestID: String) -> String {
        "START RequestId: \(requestID) Version: $LATEST\n"
    }

    /// `END RequestId: <id>`.
    public static func end(requestID: String) -> String {
        "END RequestId: \(requestID)\n"
    }

    /// The `REPORT` line; Billed Duration is the duration rounded up to a whole millisecond.
    public static func report(
        requestID: String, duration: Duration, memorySize: Int, maxMemoryUsedMB: Int, initDuration: Duration?
    ) -> String {
        let milliseconds = duration.milliseconds
        var line =
            "REPORT RequestId: \(requestID)\tDuration: \(twoDecimals(milliseconds)) ms\t"
            + "Billed Duration: \(Int(milliseconds.rounded(.up))) ms\tMemory Size: \(memorySize) MB\t"
            + "Max Memory Used: \(maxMemoryUsedMB) MB\t"
        if let initDuration {
            line += "Init Duration: \(twoDecimals(initDuration.milliseconds)) ms\t"
        }
        return line + "\n"
    }

    /// `12.30` for 12.3: two decimals, in integer arithmetic (`String(format:)` was a measurable part of every
    /// request's cost under load).
    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((max(value, 0) * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// The line logged when an invocation times out: `<timestamp> <id> Task timed out after 3.00 seconds`.
    public static func timedOut(requestID: String, timeout: Duration, at date: Date) -> String {
        "\(timestamp(date)) \(requestID) \(ErrorPayload.timeoutMessage(timeout))\n"
    }

    /// The lines logged when the runtime dies: `RequestId: <id> Error: <reason>` then the error type.
    public static func runtimeFailure(requestID: String, message: String, errorType: String) -> String {
        "RequestId: \(requestID) Error: \(message)\n\(errorType)\n"
    }

    /// `2026-06-23T14:08:22.417Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-request facts that API Gateway puts into events and that do not come from the HTTP request itself.
public struct EventContext: Sendable {
    /// The request id (`requestContext.requestId`), also used for `extendedRequestId`.
    public var requestID: String
    /// Milliseconds since the Unix epoch when the request arrived.
    public var timeEpochMilliseconds: Int64
    /// `requestContext.accountId`.
    public var accountID: String
    /// Used in ARNs and function URL domain names.
    public var region: String
    /// The port the server listens on (for `X-Forwarded-Port`), when known.
    public var serverPort: Int?

    /// Creates a context; the defaults are a fresh request id and the current time.
    public init(
        requestID: String = EventContext.makeRequestID(),
        timeEpochMilliseconds: Int64 = EventContext.nowMilliseconds(),
        accountID: String = "123456789012",
        region: String = "us-east-1",
        serverPort: Int? = nil
    ) {
        self.requestID = requestID
        self.timeEpochMilliseconds = timeEpochMilliseconds
        self.accountID = accountID
        self.region = region
        self.serverPort = serverPort
    }

    /// The current time in Unix epoch milliseconds.
    public static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// A random lower-case UUID string.
    public static func makeRequestID() -> String {
        let sequence = counter.wrappingAdd(2, ordering: .relaxed).newValue
        let high = splitMix(sequence)
        let low = splitMix(sequence &+ 1)
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (UInt64(index) * 8))
            bytes[index + 8] = UInt8(truncatingIfNeeded: low >> (UInt64(index) * 8))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Request ids come from SplitMix64 over a randomly seeded counter: unique per process and cheap (no syscall).
    private static let counter = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    private static func splitMix(_ value: UInt64) -> UInt64 {
        var z = value &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The request time as API Gateway writes it: `21/Apr/2020:15:08:21 +0000` (formatted once per second).
    public var formattedTime: String {
        let second = timeEpochMilliseconds / 1000
        if let cached = Self.timeCache.withLock({ $0.second == second ? $0.text : nil }) { return cached }
        let text = Self.format(second)
        Self.timeCache.withLock { $0 = (second, text) }
        return text
    }

    private static let timeCache = Mutex<(second: Int64, text: String)>((-1, ""))

    private static func format(_ epochSecond: Int64) -> String {
        var seconds = time_t(epochSecond)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(parts.tm_mday))/\(months[Int(parts.tm_mon)])/\(parts.tm_year + 1900):"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }
}

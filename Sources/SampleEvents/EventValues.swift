/// The option values an event builder reads: defaults merged with the caller's options, encoded as declared.
struct EventValues: Sendable {
    private let values: [String: String]
    private let encodings: [String: SampleOption.Encoding]

    init(options: [SampleOption], given: [String: String]) {
        var values: [String: String] = [:]
        var encodings: [String: SampleOption.Encoding] = [:]
        for option in options {
            values[option.name] = given[option.name] ?? option.default
            encodings[option.name] = option.encoding
        }
        self.values = values
        self.encodings = encodings
    }

    /// The value with the option's encoding applied (base64 / URL), as it goes into the event.
    subscript(_ name: String) -> String {
        let value = raw(name)
        switch encodings[name] ?? .none {
        case .none: return value
        case .base64: return PayloadEncoding.base64(value)
        case .url: return PayloadEncoding.url(value)
        }
    }

    /// The value as given (or the default), before any encoding.
    func raw(_ name: String) -> String {
        values[name] ?? ""
    }

    /// `arn:<partition>:<service>:<region>:<account>:<resource>` from the event's `partition`, `region` and
    /// `account-id` options (`aws`, `us-east-1`, `123456789012` when the event has no such option).
    func arn(_ service: String, _ resource: String) -> String {
        let partition = values["partition"] ?? "aws"
        let region = values["region"] ?? "us-east-1"
        let account = values["account-id"] ?? "123456789012"
        return "arn:\(partition):\(service):\(region):\(account):\(resource)"
    }

    /// The value as JSON text, parsed in key order.
    func json(_ name: String) throws(SampleEventError) -> EventJSON {
        let text = raw(name)
        guard let value = EventJSON.parse(text) else {
            throw .invalidValue(option: name, value: text, reason: "not valid JSON")
        }
        return value
    }

    /// The value as an integer in `range`.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(SampleEventError) -> Int {
        let text = raw(name)
        guard let value = Int(text), range.contains(value) else {
            throw .invalidValue(
                option: name,
                value: text,
                reason: "expected a whole number from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return value
    }

    /// The `--count` value (1 to ``SampleOption/maximumCount``).
    func count() throws(SampleEventError) -> Int {
        try integer("count", in: 1...SampleOption.maximumCount)
    }

    /// A boolean option (`true`/`false`, `yes`/`no`, `1`/`0`).
    func bool(_ name: String) throws(SampleEventError) -> Bool {
        switch raw(name).lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw .invalidValue(option: name, value: raw(name), reason: "expected true or false")
        }
    }
}

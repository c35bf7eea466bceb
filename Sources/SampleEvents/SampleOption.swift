/// One `--name value` option of a sample event, with its default and help text.
public struct SampleOption: Sendable, Equatable {
    /// How an option's value is transformed before it goes into the event (as `sam local generate-event` does).
    public enum Encoding: String, Sendable, Equatable {
        /// Inserted as given (JSON-escaped).
        case none
        /// Base64 of the UTF-8 bytes (Kinesis `data`, API Gateway `body`).
        case base64
        /// Percent-encoded, keeping `/` (S3 object keys).
        case url
    }

    /// The option name without the leading `--` (e.g. `bucket`, `account-id`).
    public var name: String
    /// The value used when the option is not given.
    public var `default`: String
    /// One line of help.
    public var help: String
    /// The transformation applied to the value.
    public var encoding: Encoding

    /// Creates an option.
    public init(_ name: String, default: String, help: String, encoding: Encoding = .none) {
        self.name = name
        self.default = `default`
        self.help = help
        self.encoding = encoding
    }
}

extension SampleOption {
    static let accountID = SampleOption("account-id", default: "123456789012", help: "AWS account ID")
    static let partition = SampleOption(
        "partition",
        default: "aws",
        help: "AWS partition in ARNs (aws, aws-cn, aws-us-gov)"
    )
    static let region = SampleOption("region", default: "us-east-1", help: "AWS Region")

    static func count(_ records: Int = 1) -> SampleOption {
        SampleOption("count", default: String(records), help: "Number of records in the batch (1-\(maximumCount))")
    }

    static let maximumCount = 10_000
}

/// The names one AWS service goes by: its service id (for `AWS_ENDPOINT_URL_<ID>`), its key in `[services]`
/// sections, its SigV4 signing name and its endpoint host prefix.
public struct AWSService: Sendable, Equatable {
    /// The service id as botocore models it, e.g. `STS`, `CloudFormation`.
    public var serviceID: String
    /// The key in a `[services name]` section: the id lower-cased with spaces as `_` (`sts`, `cloudformation`).
    public var configKey: String
    /// The SigV4 service name.
    public var signingName: String
    /// The host prefix: `https://<prefix>.<region>.amazonaws.com`.
    public var endpointPrefix: String

    /// Creates a service description.
    public init(serviceID: String, signingName: String, endpointPrefix: String? = nil) {
        self.serviceID = serviceID
        self.configKey = serviceID.lowercased().replacingOccurrences(of: " ", with: "_")
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix ?? signingName
    }

    /// `AWS_ENDPOINT_URL_STS`: the id upper-cased with spaces and `-` as `_`.
    public var endpointEnvironmentVariable: String {
        "AWS_ENDPOINT_URL_"
            + serviceID.uppercased().replacingOccurrences(of: " ", with: "_")
            .replacingOccurrences(of: "-", with: "_")
    }

    /// AWS Security Token Service.
    public static let sts = AWSService(serviceID: "STS", signingName: "sts")
    /// AWS CloudFormation.
    public static let cloudFormation = AWSService(serviceID: "CloudFormation", signingName: "cloudformation")
    /// IAM (a global service; endpoint `https://iam.amazonaws.com`).
    public static let iam = AWSService(serviceID: "IAM", signingName: "iam")

    /// Amazon S3.
    public static let s3 = AWSService(serviceID: "S3", signingName: "s3")
    /// AWS Lambda.
    public static let lambda = AWSService(serviceID: "Lambda", signingName: "lambda")

    /// A known service by service id or signing name (case-insensitive); otherwise one whose names are all `name`.
    public static func named(_ name: String) -> AWSService {
        for known in [AWSService.sts, .cloudFormation, .iam, .s3, .lambda]
        where known.serviceID.lowercased() == name.lowercased() || known.signingName == name.lowercased() {
            return known
        }
        return AWSService(serviceID: name, signingName: name.lowercased())
    }
}

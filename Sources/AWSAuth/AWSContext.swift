import Foundation

/// Resolved caller credentials and where they came from, with the region and the config that produced them.
public struct AWSContext: Sendable {
    /// The caller's credentials.
    public var credentials: Credentials
    /// The region (`--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else `us-east-1`).
    public var region: String
    /// The profile in effect (nil when none was named and `default` does not exist).
    public var profile: String?
    /// Where the credentials came from: `environment`, `profile dev (assume role … via profile base)`, …
    public var source: String
    /// The shared config files that were read.
    public var files: SharedConfigFiles?
    /// The environment the chain ran with (for endpoint overrides).
    public var environment: [String: String]

    /// Creates a context.
    public init(
        credentials: Credentials, region: String, profile: String?, source: String, files: SharedConfigFiles? = nil,
        environment: [String: String] = [:]
    ) {
        self.credentials = credentials
        self.region = region
        self.profile = profile
        self.source = source
        self.files = files
        self.environment = environment
    }

    /// The endpoint for `service`, honouring `AWS_ENDPOINT_URL*` and the profile's endpoint settings.
    public func endpoint(for service: AWSService) -> URL {
        Endpoints.url(
            service: service, region: region, profile: profile.flatMap { files?.profile(named: $0) }, files: files,
            environment: environment)
    }
}

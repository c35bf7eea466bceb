import Foundation
import Logging

/// What the credential chain needs from the command line and the process: the explicit profile and region, the
/// environment (never read from the process by this library), MFA input and the cache.
public struct CredentialResolverOptions: Sendable {
    /// `--profile`: an explicit profile. It drops the environment-variable keys from the chain (AWS CLI rule).
    public var profile: String?
    /// `--region`.
    public var region: String?
    /// The environment variables to use (`AWS_*`, `HOME`, `PATH`).
    public var environment: [String: String]
    /// An MFA code given up front (used for `mfa_serial` instead of prompting).
    public var mfaCode: String?
    /// Asks the user for an MFA code; gets the prompt `Enter MFA code for <serial>: `.
    public var mfaPrompt: (@Sendable (String) async throws -> String)?
    /// The assumed-role cache; nil: no caching. Default: the AWS CLI's `~/.aws/cli/cache` under `HOME`.
    public var cache: AssumedRoleCache?
    /// How long before expiry a cached role session stops being used (the AWS CLI uses 15 minutes).
    public var cacheExpiryMargin: TimeInterval
    /// The clock.
    public var now: @Sendable () -> Date
    /// Where the chain logs (debug level: which provider answered, cache hits). Never logs secrets.
    public var logger: Logger
    /// Whether the last link of the chain asks EC2 instance metadata. Turn it off where the caller's credentials
    /// are optional: on a machine outside EC2 the probe can cost up to its one-second timeout.
    public var usesInstanceMetadata: Bool = true

    /// Creates options; the cache defaults to the AWS CLI's.
    public init(
        profile: String? = nil, region: String? = nil, environment: [String: String], mfaCode: String? = nil,
        mfaPrompt: (@Sendable (String) async throws -> String)? = nil, cache: AssumedRoleCache?? = nil,
        cacheExpiryMargin: TimeInterval = AssumedRoleCache.cliExpiryMargin,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "standin.awsauth", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.profile = profile
        self.region = region
        self.environment = environment
        self.mfaCode = mfaCode
        self.mfaPrompt = mfaPrompt
        self.cache = cache ?? AssumedRoleCache(environment: environment)
        self.cacheExpiryMargin = cacheExpiryMargin
        self.now = now
        self.logger = logger
    }

    /// The profile in effect: `--profile`, `AWS_PROFILE`, `AWS_DEFAULT_PROFILE`, else `default`.
    public var effectiveProfileName: String {
        profile ?? nonEmpty(environment["AWS_PROFILE"]) ?? nonEmpty(environment["AWS_DEFAULT_PROFILE"]) ?? "default"
    }

    /// True when a profile was named (flag or environment), so a missing profile is an error.
    var profileWasNamed: Bool {
        profile != nil || nonEmpty(environment["AWS_PROFILE"]) != nil
            || nonEmpty(environment["AWS_DEFAULT_PROFILE"]) != nil
    }
}

func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
}

import Foundation

/// Credentials for one function's role: from the cache or STS `AssumeRole`, refreshed when they come within the
/// margin of expiring. Safe to share: concurrent callers wait for one STS call.
public actor RoleAssumer {
    /// The caller's credentials (who assumes the role).
    public let callerCredentials: Credentials
    /// The STS client (signed with the caller's credentials).
    public let sts: STSClient
    /// The request sent to STS.
    public let request: AssumeRoleRequest
    /// The cache (nil: memory only).
    public let cache: AssumedRoleCache?
    /// Seconds before expiry at which credentials are renewed (the AWS CLI uses 15 minutes; 5 minutes is the
    /// minimum that leaves long-running servers enough time).
    public let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var current: AssumeRoleResult?
    private var inFlight: Task<AssumeRoleResult, any Error>?

    /// Creates an assumer for `roleARN`, session name `standin-<function>`.
    /// - Parameters:
    ///   - functionName: used in the session name (sanitised to `[\w+=,.@-]`, at most 64 characters).
    ///   - durationSeconds: the session length (nil: STS's default, one hour).
    public init(
        callerCredentials: Credentials, sts: STSClient, roleARN: String, functionName: String,
        durationSeconds: Int? = nil, cache: AssumedRoleCache?, refreshMargin: TimeInterval = 15 * 60,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.callerCredentials = callerCredentials
        self.sts = sts
        self.request = AssumeRoleRequest(
            roleARN: roleARN, roleSessionName: Self.sessionName(for: functionName), durationSeconds: durationSeconds)
        self.cache = cache
        self.refreshMargin = max(refreshMargin, 5 * 60)
        self.now = now
    }

    /// `standin-<function>` with characters outside `[\w+=,.@-]` replaced by `-`, cut to 64 characters.
    public static func sessionName(for functionName: String) -> String {
        let allowed = Set("+=,.@-_")
        let cleaned = String(
            "standin-\(functionName)".map {
                $0.isASCII && ($0.isLetter || $0.isNumber || allowed.contains($0)) ? $0 : "-"
            })
        return String(cleaned.prefix(64))
    }

    /// The cache key (shared with the AWS CLI's derivation).
    public nonisolated var cacheKey: String { AssumedRoleCache.key(for: request, sessionNameIsGenerated: false) }

    /// Valid credentials for the role, from memory, the cache or STS.
    /// - Throws: `AWSServiceError` (e.g. AccessDenied when the trust policy does not name the caller).
    public func credentials() async throws -> Credentials { try await result().credentials }

    /// The full AssumeRole result (credentials and assumed-role ARN).
    public func result() async throws -> AssumeRoleResult {
        if let current, !current.credentials.expires(within: refreshMargin, of: now()) { return current }
        if let inFlight { return try await inFlight.value }
        if let cached = cache?.get(key: cacheKey, margin: refreshMargin, now: now()) {
            current = cached
            return cached
        }
        let sts = self.sts
        let request = self.request
        let task = Task { try await sts.assumeRole(request) }
        inFlight = task
        defer { inFlight = nil }
        let fresh = try await task.value
        current = fresh
        try cache?.put(key: cacheKey, result: fresh)
        return fresh
    }
}

/// The name the design uses for a function's role credentials source.
public typealias FunctionCredentialsProvider = RoleAssumer

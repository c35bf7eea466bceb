import AWSAuth
import AsyncHTTPClient
import Foundation
import LambdaRuntime
import ProjectModel

/// Who a function runs as: the credentials it gets, and the account in its ARN.
public struct FunctionIdentity: Sendable {
    /// The credentials the function gets (its role's, or the caller's, or none).
    public var credentials: FunctionCredentials?
    /// The account id for the invoked-function ARN.
    public var accountID: String
    /// The role ARN the function runs under, when it runs under one.
    public var roleARN: String?
    /// The assumed-role ARN STS returned (`arn:aws:sts::…:assumed-role/Role/standin-Fn`).
    public var assumedRoleARN: String?
    /// What to tell the user once (a missing role, `--no-assume-role`).
    public var notes: [String]

    /// Writes the notes to standard error.
    public func printNotes() {
        for note in notes { printNote(note) }
    }
}

/// Resolves the caller's credentials once and each function's role credentials (cached on disk like the AWS CLI).
public actor IdentityBroker {
    /// The account used in ARNs when no AWS identity is known.
    public static let placeholderAccountID = "123456789012"

    public nonisolated let options: CommonOptions
    /// The region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else us-east-1.
    public nonisolated let region: String
    private let configFiles: SharedConfigFiles?
    private var caller: Result<AWSContext, CallerProblem>?
    private var optionalCaller: Result<AWSContext, CallerProblem>?
    private var callerIdentity: CallerIdentity?
    private var assumers: [String: RoleAssumer] = [:]

    public init(options: CommonOptions) {
        self.options = options
        let files = try? SharedConfigFiles.load(environment: options.environment)
        self.configFiles = files
        let profileName = CredentialResolverOptions(profile: options.profile, environment: options.environment)
            .effectiveProfileName
        self.region =
            [options.region, options.environment["AWS_REGION"], options.environment["AWS_DEFAULT_REGION"],
             files?.profile(named: profileName)?["region"]].compactMap { $0 }.first { !$0.isEmpty } ?? "us-east-1"
    }

    /// How long the caller's credentials must stay valid to sign one STS call; closer to expiry they are renewed.
    static let callerValidity: TimeInterval = 60

    /// The caller's own credentials, from the standard chain (resolved once, again when they come within
    /// ``callerValidity`` of expiring: SSO, `credential_process`, container and instance credentials expire).
    public func callerContext() async throws(StandinError) -> AWSContext {
        forgetCaller(expiringWithin: Self.callerValidity)
        if let caller { return try caller.mapError(\.error).get() }
        // Instance metadata is the chain's last link: what the chain found without it, the full chain finds too.
        if case .success(let found) = optionalCaller {
            caller = .success(found)
            return found
        }
        let result = await resolveCaller(usingInstanceMetadata: true)
        caller = result
        return try result.mapError(\.error).get()
    }

    /// The caller's credentials where they are optional (a function with no role): the chain without its EC2
    /// instance-metadata probe, which costs up to a second off EC2. A function given no credentials still finds
    /// the instance's through its own SDK.
    func optionalCallerContext() async -> Result<AWSContext, CallerProblem> {
        forgetCaller(expiringWithin: Self.callerValidity)
        if let caller { return caller }
        if let optionalCaller { return optionalCaller }
        let result = await resolveCaller(usingInstanceMetadata: false)
        optionalCaller = result
        return result
    }

    /// Drops resolved caller credentials that expire within `margin` seconds, so that the chain runs again.
    private func forgetCaller(expiringWithin margin: TimeInterval) {
        let resolved = (try? caller?.get()) ?? (try? optionalCaller?.get())
        guard let resolved, resolved.credentials.expires(within: margin) else { return }
        caller = nil
        optionalCaller = nil
    }

    private func resolveCaller(usingInstanceMetadata: Bool) async -> Result<AWSContext, CallerProblem> {
        var resolverOptions = CredentialResolverOptions(
            profile: options.profile, region: region, environment: options.environment, mfaCode: options.mfaCode,
            mfaPrompt: Self.promptForMFA)
        resolverOptions.usesInstanceMetadata = usingInstanceMetadata
        do {
            let context = try await CredentialChain.resolve(resolverOptions, httpClient: HTTPClient.shared)
            if let expiration = context.credentials.expiration, context.credentials.expires(within: 0) {
                // Never hand on or sign with credentials that are already dead: say where they came from.
                return .failure(.expired(
                    "your AWS credentials (\(context.source)) expired at \(ISO8601DateFormatter().string(from: expiration)); "
                        + "renew them (aws sso login, or your credential_process) and try again"))
            }
            return .success(context)
        } catch {
            return .failure(.notFound("no AWS credentials: \(error)"))
        }
    }

    /// `GetCallerIdentity` for the caller (resolved once).
    public func callerIdentityInfo() async throws(StandinError) -> CallerIdentity {
        if let callerIdentity { return callerIdentity }
        let context = try await callerContext()
        do {
            let identity = try await stsClient(context).getCallerIdentity()
            callerIdentity = identity
            return identity
        } catch {
            throw .credentials("sts:GetCallerIdentity failed: \(error)")
        }
    }

    /// The identity `function` runs as, with credentials valid for at least `minimumValidity`.
    /// - Throws: `StandinError` (fail closed) when the function has a role that cannot be assumed: the STS error,
    ///   the caller's ARN and the trust-policy statement that would allow it.
    public func identity(for function: FunctionSpec, minimumValidity: Duration) async throws(StandinError)
        -> FunctionIdentity
    {
        if options.noAssumeRole {
            return await callerOnlyIdentity(
                note: "--no-assume-role: \(function.logicalID) runs with your own credentials, not its role's")
        }
        let target = RoleTarget.select(for: function, flags: try RoleFlags(options.roles), stackName: options.stackName)
        let roleARN: String
        switch target {
        case .none(let reason):
            return await callerOnlyIdentity(note: "warning: \(reason); it runs with your own credentials")
        case .arn(let arn, _):
            roleARN = arn
        case .name(let name, let source):
            // A role known only by name (serverless.yml's default role) needs the caller's account to become an
            // ARN; with no credentials at all, run without (as for a function with no role), and say so.
            if (try? await callerContext()) == nil {
                return await callerOnlyIdentity(
                    note: "warning: \(function.logicalID) runs under role \(name) (\(source)), which needs your AWS "
                        + "credentials to assume; it runs without its role")
            }
            let caller = try await callerIdentityInfo()
            roleARN = "arn:\(partition(of: caller.arn)):iam::\(caller.account):role/\(name)"
        case .stackResource(let logicalID, let stackName, _):
            roleARN = try await roleARNFromStack(logicalID: logicalID, stackName: stackName, function: function)
        }
        return try await assume(roleARN, for: function, source: target.source, minimumValidity: minimumValidity)
    }

    private func callerOnlyIdentity(note: String) async -> FunctionIdentity {
        let context: AWSContext
        switch await optionalCallerContext() {
        case .success(let found):
            context = found
        case .failure(.notFound):
            return FunctionIdentity(
                credentials: nil, accountID: Self.placeholderAccountID, notes: [note + " (none were found)"])
        case .failure(.expired(let message)):
            return FunctionIdentity(
                credentials: nil, accountID: Self.placeholderAccountID, notes: [note + ", but gets none: \(message)"])
        }
        let account = callerIdentity?.account ?? Self.placeholderAccountID
        return FunctionIdentity(credentials: context.credentials.forFunction, accountID: account, notes: [note])
    }

    private func roleARNFromStack(logicalID: String, stackName: String, function: FunctionSpec) async throws(StandinError)
        -> String
    {
        let context = try await callerContext()
        let client = CloudFormationClient(
            credentials: context.credentials, region: region,
            endpoint: context.endpoint(for: .cloudFormation), httpClient: HTTPClient.shared)
        let resource: StackResource
        do {
            resource = try await client.describeStackResource(stackName: stackName, logicalResourceID: logicalID)
        } catch {
            throw .credentials(
                "\(function.logicalID): cannot find role \(logicalID) in stack \(stackName): \(error)")
        }
        guard let physical = resource.physicalResourceID, !physical.isEmpty else {
            throw .credentials(
                "\(function.logicalID): role \(logicalID) in stack \(stackName) has no physical id yet (\(resource.resourceStatus))")
        }
        if physical.hasPrefix("arn:") { return physical }
        let caller = try await callerIdentityInfo()
        return "arn:\(partition(of: caller.arn)):iam::\(caller.account):role/\(physical)"
    }

    private func assume(_ roleARN: String, for function: FunctionSpec, source: String, minimumValidity: Duration)
        async throws(StandinError) -> FunctionIdentity
    {
        let context = try await callerContext()
        if let session = try await callerSession(of: roleARN) {
            // A profile that *is* the function's role (role_arn + source_profile): assuming it again from its own
            // session would need the role to trust itself. Its credentials already are the function's.
            return FunctionIdentity(
                credentials: context.credentials.forFunction, accountID: accountID(of: roleARN) ?? Self.placeholderAccountID,
                roleARN: roleARN, assumedRoleARN: session,
                notes: ["\(function.id) runs with your credentials: they already are a session of its role \(roleARN)"])
        }
        let key = "\(roleARN) \(function.id)"
        let assumer =
            assumers[key]
            ?? RoleAssumer(
                callerCredentials: context.credentials, sts: stsClient(context), roleARN: roleARN,
                functionName: function.logicalID, cache: AssumedRoleCache(environment: options.environment),
                refreshMargin: max(Double(minimumValidity.components.seconds), AssumedRoleCache.cliExpiryMargin))
        assumers[key] = assumer
        do {
            let assumed = try await assumer.result()
            return FunctionIdentity(
                credentials: assumed.credentials.forFunction,
                accountID: accountID(of: roleARN) ?? Self.placeholderAccountID,
                roleARN: roleARN, assumedRoleARN: assumed.assumedRoleARN, notes: [])
        } catch {
            throw await assumeRoleFailure(roleARN, function: function, source: source, error: error)
        }
    }

    /// The caller's session ARN when the caller's credentials are temporary and belong to a session of `roleARN`
    /// (same account, same role name: `arn:aws:sts::A:assumed-role/Name/...` for `arn:aws:iam::A:role/path/Name`);
    /// nil otherwise. Long-term keys cannot be a role's session, so they cost no `GetCallerIdentity`.
    private func callerSession(of roleARN: String) async throws(StandinError) -> String? {
        guard (try await callerContext()).credentials.sessionToken != nil,
            let roleName = roleARN.split(separator: "/").last, let account = accountID(of: roleARN),
            let caller = try? await callerIdentityInfo()
        else { return nil }
        let parts = caller.arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "sts", parts[4] == account else { return nil }
        let resource = parts[5].split(separator: "/")
        guard resource.count >= 3, resource[0] == "assumed-role", resource[1] == roleName else { return nil }
        return caller.arn
    }

    private func assumeRoleFailure(_ roleARN: String, function: FunctionSpec, source: String, error: any Error) async
        -> StandinError
    {
        var lines = ["cannot assume \(roleARN) (\(source)) for \(function.logicalID): \(error)"]
        if let caller = try? await callerIdentityInfo() {
            lines.append("You are \(caller.arn).")
            lines.append("To let you assume it, add this statement to the role's trust policy:")
            lines.append(TrustPolicyAdvice.statement(callerARN: caller.arn, roleARN: roleARN))
        }
        lines.append("Or run with your own credentials: --no-assume-role.")
        return .credentials(lines.joined(separator: "\n"))
    }

    private func stsClient(_ context: AWSContext) -> STSClient {
        STSClient(
            credentials: context.credentials, region: region, endpoint: context.endpoint(for: .sts),
            httpClient: HTTPClient.shared)
    }

    /// The STS endpoint for `region`, honouring the endpoint settings of the environment and the profile.
    public nonisolated func stsEndpoint() -> URL {
        let profileName = CredentialResolverOptions(profile: options.profile, environment: options.environment)
            .effectiveProfileName
        return Endpoints.url(
            service: .sts, region: region, profile: configFiles?.profile(named: profileName), files: configFiles,
            environment: options.environment)
    }

    private static let promptForMFA: @Sendable (String) async throws -> String = { serial in
        FileHandle.standardError.write(Data("Enter MFA code for \(serial): ".utf8))
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw StandinError.credentials("no MFA code given for \(serial) (use --mfa-code)")
        }
        return line
    }
}

extension Credentials {
    /// The three variables a function gets.
    var forFunction: FunctionCredentials {
        FunctionCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
    }
}

/// Why the caller's credentials could not be used.
enum CallerProblem: Error {
    /// The chain found none.
    case notFound(String)
    /// The chain found credentials that had already expired.
    case expired(String)

    var error: StandinError {
        switch self {
        case .notFound(let message), .expired(let message): .credentials(message)
        }
    }
}

/// `aws` in `arn:aws:...`, else `aws`.
func partition(of arn: String) -> String {
    let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
    return parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : "aws"
}

/// The account id field of an ARN, when it has one.
func accountID(of arn: String) -> String? {
    let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count > 4, parts[4].count == 12 else { return nil }
    return String(parts[4])
}

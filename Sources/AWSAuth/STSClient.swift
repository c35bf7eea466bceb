import AsyncHTTPClient
import Foundation
import NIOCore

/// An AWS STS client (Query protocol, API version 2011-06-15).
/// https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html
public struct STSClient: Sendable {
    let client: QueryProtocolClient

    /// Creates a client that signs with `credentials` and sends to `endpoint` over the shared `httpClient`.
    /// - Parameter timeout: the deadline of one call, connecting included (AsyncHTTPClient retries refused
    ///   connections until then).
    public init(
        credentials: Credentials, region: String, endpoint: URL, httpClient: HTTPClient,
        timeout: TimeAmount = .seconds(15)
    ) {
        client = QueryProtocolClient(
            service: .sts, credentials: credentials, region: region, endpoint: endpoint, apiVersion: "2011-06-15",
            httpClient: httpClient, timeout: timeout)
    }

    /// A client for unsigned calls only (AssumeRoleWithWebIdentity).
    public init(
        unsignedRegion region: String, endpoint: URL, httpClient: HTTPClient, timeout: TimeAmount = .seconds(15)
    ) {
        client = QueryProtocolClient(
            service: .sts, credentials: nil, region: region, endpoint: endpoint, apiVersion: "2011-06-15",
            httpClient: httpClient, timeout: timeout)
    }

    /// `GetCallerIdentity`: who the credentials belong to.
    public func getCallerIdentity() async throws -> CallerIdentity {
        let bytes = try await client.call("GetCallerIdentity", [])
        let response = try QueryProtocolClient.decode(
            GetCallerIdentityResponse.self, from: bytes, operation: "sts:GetCallerIdentity")
        let result = response.result
        return CallerIdentity(account: result.account, arn: result.arn, userID: result.userID)
    }

    /// `AssumeRole`.
    public func assumeRole(_ request: AssumeRoleRequest) async throws -> AssumeRoleResult {
        var parameters = [("RoleArn", request.roleARN), ("RoleSessionName", request.roleSessionName)]
        if let value = request.durationSeconds { parameters.append(("DurationSeconds", String(value))) }
        if let value = request.externalID { parameters.append(("ExternalId", value)) }
        if let value = request.serialNumber { parameters.append(("SerialNumber", value)) }
        if let value = request.tokenCode { parameters.append(("TokenCode", value)) }
        if let value = request.sourceIdentity { parameters.append(("SourceIdentity", value)) }
        if let value = request.policy { parameters.append(("Policy", value)) }
        for (index, arn) in request.policyARNs.enumerated() {
            parameters.append(("PolicyArns.member.\(index + 1).arn", arn))
        }
        let bytes = try await client.call("AssumeRole", parameters)
        let response = try QueryProtocolClient.decode(
            AssumeRoleResponse.self, from: bytes, operation: "sts:AssumeRole")
        return try response.result.value(operation: "sts:AssumeRole")
    }

    /// `AssumeRoleWithWebIdentity` (sent unsigned, as AWS expects).
    public func assumeRoleWithWebIdentity(
        roleARN: String, roleSessionName: String, webIdentityToken: String, durationSeconds: Int? = nil
    ) async throws -> AssumeRoleResult {
        var unsigned = client
        unsigned.credentials = nil
        var parameters = [
            ("RoleArn", roleARN), ("RoleSessionName", roleSessionName), ("WebIdentityToken", webIdentityToken),
        ]
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        let bytes = try await unsigned.call("AssumeRoleWithWebIdentity", parameters)
        let response = try QueryProtocolClient.decode(
            AssumeRoleWithWebIdentityResponse.self, from: bytes, operation: "sts:AssumeRoleWithWebIdentity")
        return try response.result.value(operation: "sts:AssumeRoleWithWebIdentity")
    }
}

/// The answer of `GetCallerIdentity`.
public struct CallerIdentity: Sendable, Equatable {
    /// The 12-digit account id.
    public var account: String
    /// The caller's ARN (`arn:aws:iam::…:user/x`, `arn:aws:sts::…:assumed-role/R/S`).
    public var arn: String
    /// The unique id (`AIDA…`, `AROA…:session`).
    public var userID: String

    /// Creates an identity.
    public init(account: String, arn: String, userID: String) {
        self.account = account
        self.arn = arn
        self.userID = userID
    }
}

/// The parameters of `AssumeRole` that standin uses.
/// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
public struct AssumeRoleRequest: Sendable, Equatable {
    /// `RoleArn`.
    public var roleARN: String
    /// `RoleSessionName` (2–64 characters of `[\w+=,.@-]`).
    public var roleSessionName: String
    /// `DurationSeconds` (900–43200; at most 3600 when chaining roles).
    public var durationSeconds: Int?
    /// `ExternalId`.
    public var externalID: String?
    /// `SerialNumber` of the MFA device.
    public var serialNumber: String?
    /// `TokenCode`: the six-digit MFA code.
    public var tokenCode: String?
    /// `SourceIdentity`.
    public var sourceIdentity: String?
    /// `Policy`: an inline session policy (JSON).
    public var policy: String?
    /// `PolicyArns`: managed session policies.
    public var policyARNs: [String]

    /// Creates a request.
    public init(
        roleARN: String, roleSessionName: String, durationSeconds: Int? = nil, externalID: String? = nil,
        serialNumber: String? = nil, tokenCode: String? = nil, sourceIdentity: String? = nil, policy: String? = nil,
        policyARNs: [String] = []
    ) {
        self.roleARN = roleARN
        self.roleSessionName = roleSessionName
        self.durationSeconds = durationSeconds
        self.externalID = externalID
        self.serialNumber = serialNumber
        self.tokenCode = tokenCode
        self.sourceIdentity = sourceIdentity
        self.policy = policy
        self.policyARNs = policyARNs
    }
}

/// The answer of `AssumeRole` / `AssumeRoleWithWebIdentity`.
public struct AssumeRoleResult: Sendable, Equatable {
    /// The temporary credentials (with their expiration).
    public var credentials: Credentials
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    public var assumedRoleARN: String
    /// `AROA…:SESSION`.
    public var assumedRoleID: String

    /// Creates a result.
    public init(credentials: Credentials, assumedRoleARN: String, assumedRoleID: String) {
        self.credentials = credentials
        self.assumedRoleARN = assumedRoleARN
        self.assumedRoleID = assumedRoleID
    }
}

struct GetCallerIdentityResponse: Decodable {
    struct Result: Decodable {
        var account: String
        var arn: String
        var userID: String
        enum CodingKeys: String, CodingKey {
            case account = "Account"
            case arn = "Arn"
            case userID = "UserId"
        }
    }
    var result: Result
    enum CodingKeys: String, CodingKey { case result = "GetCallerIdentityResult" }
}

struct AssumeRoleResultXML: Decodable {
    struct User: Decodable {
        var arn: String
        var assumedRoleID: String?
        enum CodingKeys: String, CodingKey {
            case arn = "Arn"
            case assumedRoleID = "AssumedRoleId"
        }
    }
    struct CredentialsXML: Decodable {
        var accessKeyID: String
        var secretAccessKey: String
        var sessionToken: String?
        var expiration: String?
        enum CodingKeys: String, CodingKey {
            case accessKeyID = "AccessKeyId"
            case secretAccessKey = "SecretAccessKey"
            case sessionToken = "SessionToken"
            case expiration = "Expiration"
        }
    }
    var user: User
    var credentials: CredentialsXML
    enum CodingKeys: String, CodingKey {
        case user = "AssumedRoleUser"
        case credentials = "Credentials"
    }

    func value(operation: String) throws(AWSAuthError) -> AssumeRoleResult {
        var expiration: Date?
        if let text = credentials.expiration {
            guard let date = AWSTimestamp.parse(text) else {
                throw .invalidResponse("\(operation): cannot read Expiration \(text)")
            }
            expiration = date
        }
        return AssumeRoleResult(
            credentials: Credentials(
                accessKeyID: credentials.accessKeyID, secretAccessKey: credentials.secretAccessKey,
                sessionToken: credentials.sessionToken, expiration: expiration),
            assumedRoleARN: user.arn, assumedRoleID: user.assumedRoleID ?? "")
    }
}

struct AssumeRoleResponse: Decodable {
    var result: AssumeRoleResultXML
    enum CodingKeys: String, CodingKey { case result = "AssumeRoleResult" }
}

struct AssumeRoleWithWebIdentityResponse: Decodable {
    var result: AssumeRoleResultXML
    enum CodingKeys: String, CodingKey { case result = "AssumeRoleWithWebIdentityResult" }
}

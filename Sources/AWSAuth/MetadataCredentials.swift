import AsyncHTTPClient
import Foundation
import NIOCore

/// Credentials from the container credential endpoint (ECS, EKS Pod Identity) and from EC2 instance metadata
/// (IMDSv2), as botocore's `ContainerProvider` and `InstanceMetadataProvider` fetch them.
public enum MetadataCredentials {
    /// Hosts a `AWS_CONTAINER_CREDENTIALS_FULL_URI` may name besides loopback addresses.
    static let allowedContainerHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"]

    /// Container credentials, or nil when neither `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` nor `_FULL_URI` is set.
    /// - Throws: `AWSAuthError` when the URI is not allowed or the endpoint fails.
    /// - Parameter timeout: the deadline of the request (botocore uses 2 seconds).
    public static func container(
        environment: [String: String], httpClient: HTTPClient, timeout: TimeAmount = .seconds(2)
    ) async throws -> Credentials? {
        let url: String
        if let relative = nonEmpty(environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) {
            url = "http://169.254.170.2" + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = nonEmpty(environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"]) {
            guard let host = URLComponents(string: full)?.host, isAllowedContainerHost(host) else {
                throw AWSAuthError.configuration(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI \(full): the host must be a loopback address, "
                        + "169.254.170.2, 169.254.170.23, fd00:ec2::23 or localhost")
            }
            url = full
        } else {
            return nil
        }
        var headers: [(String, String)] = []
        var token = nonEmpty(environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"])
        if let file = nonEmpty(environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]) {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw AWSAuthError.configuration("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file)")
            }
            token = text.trimmingWhitespace().description
        }
        if let token {
            guard !token.contains("\r"), !token.contains("\n") else {
                throw AWSAuthError.configuration("the container authorization token contains a line break")
            }
            headers.append(("Authorization", token))
        }
        let response: HTTPFetch.Response
        do {
            response = try await HTTPFetch.send(
                httpClient, method: .GET, url: url, headers: headers, timeout: timeout)
        } catch {
            throw AWSAuthError.transport("container credentials from \(url): \(error)")
        }
        guard response.status == 200 else {
            throw AWSAuthError.transport(
                "container credentials from \(url): HTTP \(response.status): "
                    + QueryProtocolClient.preview(response.body)
            )
        }
        return try decode(response.body, source: "container credentials from \(url)")
    }

    /// True for loopback addresses and the container endpoints.
    static func isAllowedContainerHost(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if allowedContainerHosts.contains(bare) || bare == "::1" { return true }
        let octets = bare.split(separator: ".")
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// EC2 instance metadata credentials (IMDSv2: token PUT, then GETs; 1 s timeout, 1 attempt), or nil when
    /// `AWS_EC2_METADATA_DISABLED=true` or nothing answers. `AWS_EC2_METADATA_SERVICE_ENDPOINT` overrides the address.
    public static func instance(environment: [String: String], httpClient: HTTPClient) async -> Credentials? {
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        var base = nonEmpty(environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"]) ?? "http://169.254.169.254"
        while base.hasSuffix("/") { base.removeLast() }
        let timeout = TimeAmount.seconds(1)
        do {
            var headers: [(String, String)] = []
            let token = try await HTTPFetch.send(
                httpClient, method: .PUT, url: base + "/latest/api/token",
                headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")], timeout: timeout)
            if token.status == 200 {
                headers.append(("X-aws-ec2-metadata-token", token.text))
            } else if ![403, 404, 405].contains(token.status) {
                return nil  // botocore falls back to IMDSv1 only for these answers
            }
            let path = base + "/latest/meta-data/iam/security-credentials/"
            let roles = try await HTTPFetch.send(
                httpClient, method: .GET, url: path, headers: headers, timeout: timeout)
            guard roles.status == 200, let role = roles.text.split(separator: "\n").first else { return nil }
            let credentials = try await HTTPFetch.send(
                httpClient, method: .GET, url: path + role, headers: headers, timeout: timeout)
            guard credentials.status == 200 else { return nil }
            return try decode(credentials.body, source: "instance metadata")
        } catch {
            return nil
        }
    }

    static func decode(_ body: [UInt8], source: String) throws(AWSAuthError) -> Credentials {
        struct Document: Decodable {
            var accessKeyID: String?
            var secretAccessKey: String?
            var token: String?
            var expiration: String?
            enum CodingKeys: String, CodingKey {
                case accessKeyID = "AccessKeyId"
                case secretAccessKey = "SecretAccessKey"
                case token = "Token"
                case expiration = "Expiration"
            }
        }
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(body)),
            let accessKeyID = nonEmpty(document.accessKeyID), let secret = nonEmpty(document.secretAccessKey)
        else { throw .invalidResponse("\(source): unexpected answer: \(QueryProtocolClient.preview(body))") }
        return Credentials(
            accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: nonEmpty(document.token),
            expiration: document.expiration.flatMap(AWSTimestamp.parse))
    }
}

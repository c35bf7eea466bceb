import AsyncHTTPClient
import Foundation
import NIOCore
import XMLCoder

/// The few Amazon S3 operations `package` and `deploy` need: does an object exist, put one (in parts when large).
/// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
public struct S3Client: Sendable {
    let rest: RESTClient
    /// The service endpoint (`https://s3.<region>.amazonaws.com`, or a configured one such as moto's).
    public let endpoint: URL
    /// Objects larger than this are uploaded in parts of this size (S3's smallest part is 5 MiB).
    public var multipartThreshold = 8 * 1024 * 1024

    /// How S3 encrypts an uploaded object.
    public enum Encryption: Sendable, Equatable {
        /// SSE-S3 (`AES256`), S3's default and `sam package`'s.
        case aes256
        /// SSE-KMS under this key (`--kms-key-id`).
        case kms(keyID: String)
    }

    /// Creates a client that signs with `credentials` for `region` and sends to `endpoint`.
    public init(
        credentials: Credentials, region: String, endpoint: URL, httpClient: HTTPClient,
        timeout: TimeAmount = .seconds(300)
    ) {
        rest = RESTClient(
            service: .s3, credentials: credentials, region: region, httpClient: httpClient, timeout: timeout)
        self.endpoint = endpoint
    }

    /// The object's URL. Path style (`endpoint/bucket/key`) always: it works on AWS's regional endpoints and on
    /// every local stand-in, and bucket names with dots need it for TLS.
    public func objectURL(bucket: String, key: String, query: String? = nil) -> URL {
        var text = endpoint.absoluteString
        if text.hasSuffix("/") { text.removeLast() }
        text += "/" + SigV4Signer.percentEncode(bucket, keepSlash: false) + "/"
            + SigV4Signer.percentEncode(key, keepSlash: true)
        if let query { text += "?" + query }
        return URL(string: text) ?? endpoint
    }

    /// `HeadObject`: true when `key` exists in `bucket`.
    /// - Throws: `AWSServiceError` for any answer but 200 and 404 (a missing bucket, access denied).
    public func objectExists(bucket: String, key: String) async throws -> Bool {
        let response = try await rest.send(
            .HEAD, url: objectURL(bucket: bucket, key: key), operation: "s3:HeadObject", quick: true)
        switch response.status {
        case 200: return true
        case 404: return false  // a missing bucket too (HEAD has no body to tell): the upload then says which
        default: throw Self.error(response, operation: "s3:HeadObject", bucket: bucket)
        }
    }

    /// Uploads `data` as `key`: one `PutObject`, or a multipart upload above ``multipartThreshold``.
    public func putObject(bucket: String, key: String, data: [UInt8], encryption: Encryption = .aes256) async throws {
        if data.count > multipartThreshold {
            try await putInParts(bucket: bucket, key: key, data: data, encryption: encryption)
            return
        }
        let response = try await rest.send(
            .PUT, url: objectURL(bucket: bucket, key: key), headers: Self.headers(for: encryption), body: data,
            operation: "s3:PutObject")
        guard response.status == 200 else { throw Self.error(response, operation: "s3:PutObject", bucket: bucket) }
    }

    /// `CreateMultipartUpload`, an `UploadPart` per ``multipartThreshold`` bytes, `CompleteMultipartUpload`;
    /// `AbortMultipartUpload` when a step fails, so no parts are left to pay for.
    func putInParts(bucket: String, key: String, data: [UInt8], encryption: Encryption) async throws {
        let created = try await rest.send(
            .POST, url: objectURL(bucket: bucket, key: key, query: "uploads"), headers: Self.headers(for: encryption),
            operation: "s3:CreateMultipartUpload")
        guard created.status == 200 else {
            throw Self.error(created, operation: "s3:CreateMultipartUpload", bucket: bucket)
        }
        let uploadID = try QueryProtocolClient.decode(
            InitiateMultipartUploadResult.self, from: created.body, operation: "s3:CreateMultipartUpload"
        ).uploadID
        let encodedID = SigV4Signer.percentEncode(uploadID, keepSlash: false)
        do {
            var etags: [String] = []
            var start = 0
            while start < data.count {
                let end = min(start + multipartThreshold, data.count)
                let part = etags.count + 1
                let response = try await rest.send(
                    .PUT, url: objectURL(bucket: bucket, key: key, query: "partNumber=\(part)&uploadId=\(encodedID)"),
                    body: Array(data[start..<end]), operation: "s3:UploadPart")
                guard response.status == 200, let etag = response.headers.first(name: "ETag") else {
                    throw Self.error(response, operation: "s3:UploadPart", bucket: bucket)
                }
                etags.append(etag)
                start = end
            }
            let parts = etags.enumerated().map { index, etag in
                "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(Self.escapeXML(etag))</ETag></Part>"
            }
            let document = "<CompleteMultipartUpload>\(parts.joined())</CompleteMultipartUpload>"
            let completed = try await rest.send(
                .POST, url: objectURL(bucket: bucket, key: key, query: "uploadId=\(encodedID)"),
                headers: [("Content-Type", "application/xml")], body: Array(document.utf8),
                operation: "s3:CompleteMultipartUpload")
            // S3 can answer 200 with an <Error> document when completing fails late.
            guard completed.status == 200, !String(decoding: completed.body.prefix(512), as: UTF8.self).contains("<Error>")
            else { throw Self.error(completed, operation: "s3:CompleteMultipartUpload", bucket: bucket) }
        } catch {
            _ = try? await rest.send(
                .DELETE, url: objectURL(bucket: bucket, key: key, query: "uploadId=\(encodedID)"),
                operation: "s3:AbortMultipartUpload")
            throw error
        }
    }

    static func headers(for encryption: Encryption) -> [(name: String, value: String)] {
        switch encryption {
        case .aes256: return [("x-amz-server-side-encryption", "AES256")]
        case .kms(let keyID):
            return [("x-amz-server-side-encryption", "aws:kms"), ("x-amz-server-side-encryption-aws-kms-key-id", keyID)]
        }
    }

    /// The error of an S3 answer: its `<Error><Code>` document, else (HEAD has no body) the status.
    static func error(_ response: RESTClient.Response, operation: String, bucket: String) -> AWSServiceError {
        let requestID = response.headers.first(name: "x-amz-request-id")
        if let detail = try? XMLDecoder().decode(QueryProtocolClient.ErrorDocument.Detail.self, from: Data(response.body)),
            let code = detail.code
        {
            return AWSServiceError(
                code: code, message: detail.message ?? "", httpStatus: response.status, requestID: requestID,
                operation: operation)
        }
        let code =
            response.headers.first(name: "x-amz-error-code")
            ?? (response.status == 404 ? "NoSuchBucket" : response.status == 403 ? "AccessDenied" : "HTTP\(response.status)")
        let message = code == "NoSuchBucket" ? "the bucket \(bucket) does not exist" : QueryProtocolClient.preview(response.body)
        return AWSServiceError(
            code: code, message: message, httpStatus: response.status, requestID: requestID, operation: operation)
    }

    static func escapeXML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

struct InitiateMultipartUploadResult: Decodable {
    var uploadID: String
    enum CodingKeys: String, CodingKey { case uploadID = "UploadId" }
}

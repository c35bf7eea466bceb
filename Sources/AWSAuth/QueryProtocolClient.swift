import AsyncHTTPClient
import Foundation
import NIOCore
import XMLCoder

/// The AWS Query protocol: a form-encoded POST signed with SigV4, answered with XML.
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html
struct QueryProtocolClient: Sendable {
    var service: AWSService
    /// nil sends the request unsigned (AssumeRoleWithWebIdentity).
    var credentials: Credentials?
    var region: String
    var endpoint: URL
    var apiVersion: String
    var httpClient: HTTPClient
    var timeout: TimeAmount = .seconds(30)

    /// Calls `action` and returns the XML body of a 2xx answer.
    /// - Parameter quick: the call answers at once, so a loopback endpoint where nothing listens is reported in
    ///   seconds (`Endpoints.deadline`); false for calls a local stand-in can take long over (moto creates a change
    ///   set's resources inside `ExecuteChangeSet`).
    /// - Throws: `AWSServiceError` for an error answer, `AWSAuthError` when the request could not be made.
    func call(_ action: String, _ parameters: [(String, String)], quick: Bool = true) async throws -> [UInt8] {
        let pairs = [("Action", action), ("Version", apiVersion)] + parameters
        let body = pairs.map {
            "\(SigV4Signer.percentEncode($0.0, keepSlash: false))=\(SigV4Signer.percentEncode($0.1, keepSlash: false))"
        }.joined(separator: "&")
        let bodyBytes = Array(body.utf8)
        var url = endpoint
        if url.path.isEmpty, let withSlash = URL(string: url.absoluteString + "/") { url = withSlash }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        ]
        if let credentials {
            let signer = SigV4Signer(credentials: credentials, region: region, service: service.signingName)
            headers = signer.sign(method: "POST", url: url, headers: headers, body: bodyBytes, date: Date()).headers
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        for (name, value) in headers where name.lowercased() != "host" { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: bodyBytes))
        let operation = "\(service.signingName):\(action)"
        let response: HTTPClientResponse
        let responseBody: ByteBuffer
        do {
            response = try await httpClient.execute(
                request, timeout: quick ? Endpoints.deadline(for: url, timeout) : timeout)
            responseBody = try await response.body.collect(upTo: 16 * 1024 * 1024)
        } catch {
            throw AWSAuthError.transport("\(operation) to \(url.absoluteString) failed: \(error)")
        }
        let bytes = Array(responseBody.readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw Self.serviceError(
                status: Int(response.status.code), body: bytes,
                headerRequestID: response.headers.first(
                    name: "x-amzn-RequestId"), operation: operation)
        }
        return bytes
    }

    /// Decodes a Query XML answer into `T` (the root element's children).
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], operation: String) throws(AWSAuthError) -> T {
        do {
            return try XMLDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw .invalidResponse("\(operation): cannot read the answer (\(error)): \(preview(bytes))")
        }
    }

    /// An `AWSServiceError` from an error answer: `<ErrorResponse><Error><Code>` (or EC2's `<Response><Errors>`),
    /// or a JSON error (moto answers some CloudFormation calls so), else the status and the start of the body.
    static func serviceError(
        status: Int, body: [UInt8], headerRequestID: String?, operation: String
    )
        -> AWSServiceError
    {
        if let parsed = try? XMLDecoder().decode(ErrorDocument.self, from: Data(body)),
            let error = parsed.error ?? parsed.errors?.error, let code = error.code
        {
            return AWSServiceError(
                code: code, message: error.message ?? "", httpStatus: status,
                requestID: parsed.requestID ?? parsed.requestIDUpper ?? headerRequestID, operation: operation)
        }
        if let json = AWSServiceError.fromJSON(
            status: status, body: body, typeHeader: nil, requestID: headerRequestID, operation: operation)
        {
            return json
        }
        let text = preview(body)
        return AWSServiceError(
            code: "HTTP\(status)", message: text.isEmpty ? "empty body" : "unexpected answer: \(text)",
            httpStatus: status, requestID: headerRequestID, operation: operation)
    }

    /// The first 200 characters of a body, on one line.
    static func preview(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let short = text.count > 200 ? String(text.prefix(200)) + "…" : text
        return short.replacingOccurrences(of: "\n", with: " ").trimmingWhitespace().description
    }

    struct ErrorDocument: Decodable {
        struct Detail: Decodable {
            var code: String?
            var message: String?
            enum CodingKeys: String, CodingKey {
                case code = "Code"
                case message = "Message"
            }
        }
        struct Errors: Decodable {
            var error: Detail?
            enum CodingKeys: String, CodingKey { case error = "Error" }
        }
        var error: Detail?
        var errors: Errors?
        var requestID: String?
        var requestIDUpper: String?
        enum CodingKeys: String, CodingKey {
            case error = "Error"
            case errors = "Errors"
            case requestID = "RequestId"
            case requestIDUpper = "RequestID"
        }
    }
}

/// Parses AWS timestamps: ISO 8601 with or without fractional seconds, `Z` or an offset, and botocore's cache form
/// `2026-08-24T12:00:00UTC`.
enum AWSTimestamp {
    /// The date, cut to whole seconds (the cache files keep whole seconds, so memory and disk agree).
    static func parse(_ text: String) -> Date? {
        parseExact(text).map { Date(timeIntervalSince1970: $0.timeIntervalSince1970.rounded(.down)) }
    }

    private static func parseExact(_ text: String) -> Date? {
        var value = text.trimmingWhitespace().description
        if value.hasSuffix("UTC") { value = String(value.dropLast(3)) + "Z" }
        if !value.hasSuffix("Z"), value.count == 19 { value += "Z" }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: value) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: value) { return date }
        // Microseconds (moto writes six digits): trim to milliseconds.
        if let dot = value.firstIndex(of: "."), let end = value[dot...].firstIndex(where: { !$0.isNumber && $0 != "." })
        {
            let digits = value[value.index(after: dot)..<end]
            if digits.count > 3 {
                let trimmed = String(value[..<dot]) + "." + digits.prefix(3) + String(value[end...])
                return fractional.date(from: trimmed)
            }
        }
        return nil
    }

    /// `2026-08-24T12:00:00Z`.
    static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}

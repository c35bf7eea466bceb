import Foundation

/// An error answer from an AWS service (or a local stand-in such as moto): the `<ErrorResponse>` code and message,
/// the HTTP status and the request id.
public struct AWSServiceError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The AWS error code, e.g. `AccessDenied`, `ValidationError`; `HTTP<status>` when the body held none.
    public var code: String
    /// The service's message (or the start of a body that was not an AWS error document).
    public var message: String
    /// The HTTP status code.
    public var httpStatus: Int
    /// The request id (`<RequestId>` or the `x-amzn-RequestId` header), when given.
    public var requestID: String?
    /// The service and operation that failed, e.g. `sts:AssumeRole`.
    public var operation: String?

    /// Creates a service error.
    public init(code: String, message: String, httpStatus: Int, requestID: String? = nil, operation: String? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.requestID = requestID
        self.operation = operation
    }

    /// True for `AccessDenied` / `AccessDeniedException`.
    public var isAccessDenied: Bool { code == "AccessDenied" || code == "AccessDeniedException" }

    /// `sts:AssumeRole failed (HTTP 403 AccessDenied): User: … is not authorized … [request id …]`.
    public var description: String {
        var text = operation.map { "\($0) failed" } ?? "AWS request failed"
        text += " (HTTP \(httpStatus) \(code))"
        if !message.isEmpty { text += ": \(message)" }
        if let requestID, !requestID.isEmpty { text += " [request id \(requestID)]" }
        return text
    }
}

extension AWSServiceError {
    /// A JSON error answer (REST-JSON services, and moto for some Query operations): the `x-amzn-ErrorType` header
    /// (`Code:uri`) or the body's `__type`/`code` (`namespace#Code` shortened), and its `message`/`Message`.
    /// Nil when neither names a code.
    static func fromJSON(
        status: Int, body: [UInt8], typeHeader: String?, requestID: String?, operation: String
    ) -> AWSServiceError? {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        let headerCode = typeHeader.map { String($0.prefix { $0 != ":" }) }
        let bodyCode = ((object?["__type"] ?? object?["code"] ?? object?["Code"]) as? String)
            .map { String($0.split(separator: "#").last ?? Substring($0)) }
        guard let code = headerCode ?? bodyCode, !code.isEmpty else { return nil }
        let message = (object?["message"] ?? object?["Message"]) as? String
        return AWSServiceError(
            code: code, message: message ?? QueryProtocolClient.preview(body), httpStatus: status,
            requestID: requestID, operation: operation)
    }
}

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

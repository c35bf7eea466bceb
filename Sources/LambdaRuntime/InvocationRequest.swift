import Foundation

/// One invocation to run: the event bytes and the context Lambda passes in `/next` headers.
public struct InvocationRequest: Sendable {
    /// The event, passed to the runtime as is.
    public var payload: [UInt8]
    /// `Lambda-Runtime-Aws-Request-Id`.
    public var requestID: String
    /// `Lambda-Runtime-Client-Context` (JSON, already base64-decoded), sent only when set.
    public var clientContext: String?
    /// `Lambda-Runtime-Cognito-Identity` (JSON), sent only when set.
    public var cognitoIdentity: String?
    /// `Lambda-Runtime-Trace-Id`; a fresh X-Ray id is made when nil.
    public var traceID: String?
    /// `Lambda-Runtime-Aws-Tenant-Id` (tenant isolation: `X-Amz-Tenant-Id` on Invoke, `--tenant-id`), sent only
    /// when set.
    public var tenantID: String?

    /// Creates a request; the request id defaults to a new lower-case UUID.
    public init(
        payload: [UInt8],
        requestID: String = UUID().uuidString.lowercased(),
        clientContext: String? = nil,
        cognitoIdentity: String? = nil,
        traceID: String? = nil,
        tenantID: String? = nil
    ) {
        self.payload = payload
        self.requestID = requestID
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
        self.traceID = traceID
        self.tenantID = tenantID
    }
}

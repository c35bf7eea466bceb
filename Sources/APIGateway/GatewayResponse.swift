/// An HTTP response the gateway sends, independent of the server library.
public struct GatewayResponse: Sendable, Equatable {
    /// The status code.
    public var status: Int
    /// Header lines in order; a name may repeat (`Set-Cookie`).
    public var headers: [HeaderField]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [HeaderField] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The last value of a header (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        headers.last { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// A JSON error body `{"message":"..."}` as API Gateway sends it (`message` null when nil).
    public static func message(_ status: Int, _ message: String?, key: String = "message") -> GatewayResponse {
        var writer = JSONWriter(capacity: 64)
        writer.beginObject()
        writer.field(key, message)
        writer.endObject()
        return GatewayResponse(
            status: status,
            headers: [HeaderField("Content-Type", "application/json")],
            body: writer.bytes
        )
    }

    /// REST: 403 `Missing Authentication Token`; HTTP API: 404 `Not Found`.
    public static func routeNotFound(httpAPI: Bool) -> GatewayResponse {
        httpAPI ? message(404, "Not Found") : message(403, "Missing Authentication Token")
    }

    /// REST: 502 `Internal server error`; HTTP API and function URLs: 500 `Internal Server Error`.
    public static func integrationFailure(_ kind: APIKind) -> GatewayResponse {
        kind == .rest ? message(502, "Internal server error") : message(500, "Internal Server Error")
    }

    /// 413 for a request body over API Gateway's 10 MB limit.
    public static let payloadTooLarge = message(413, "Request Too Long")
}

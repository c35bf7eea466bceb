/// An HTTP response of the Runtime API, as a value: status, headers and body.
struct RuntimeAPIResponse: Equatable, Sendable {
    /// The status code.
    var status: Int
    /// Header fields in order (`Content-Length` is added when written).
    var headers: [(String, String)]
    /// The body bytes.
    var body: [UInt8]

    static func == (lhs: RuntimeAPIResponse, rhs: RuntimeAPIResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { "\($0.0): \($0.1)" } == rhs.headers.map { "\($0.0): \($0.1)" }
    }

    /// The first value of a header, compared case-insensitively.
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The largest response or error body the Runtime API accepts: RIE's `MaxPayloadSize` (6 MiB + 100 bytes).
    static let maxPayloadSize = 6 * 1024 * 1024 + 100

    /// A JSON response.
    static func json(_ status: Int, _ text: String) -> RuntimeAPIResponse {
        RuntimeAPIResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(text.utf8))
    }

    /// `202 {"status":"OK"}`.
    static let accepted = json(202, #"{"status":"OK"}"#)

    /// `400 InvalidRequestID`: an id the runtime was never given.
    static let invalidRequestID = json(400, #"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#)

    /// `413 RequestEntityTooLarge`.
    static let payloadTooLarge = json(
        413,
        #"{"errorMessage":"Exceeded maximum allowed payload size (\#(maxPayloadSize) bytes).","#
            + #""errorType":"RequestEntityTooLarge"}"#)

    /// `403 InvalidStateTransition`, as RIE renders a second answer to one invocation.
    static func invalidStateTransition(from state: String, to target: String) -> RuntimeAPIResponse {
        json(
            403,
            #"{"errorMessage":"State transition from \#(state) to \#(target) failed for runtime. "#
                + #"Error: State transition is not allowed","errorType":"InvalidStateTransition"}"#)
    }

    /// `404` for unknown paths.
    static let notFound = json(404, #"{"errorMessage":"Not Found","errorType":"NotFound"}"#)

    /// `405` for a known path with another method.
    static let methodNotAllowed = json(
        405, #"{"errorMessage":"Method Not Allowed","errorType":"MethodNotAllowed"}"#)

    /// `500`, e.g. when the instance is gone.
    static let internalError = json(500, #"{"errorMessage":"Internal Server Error","errorType":"InternalServerError"}"#)

    /// The `/next` answer: `200`, the raw event, and the invocation headers.
    ///
    /// - Parameters:
    ///   - deadlineMilliseconds: Unix epoch milliseconds at which the invocation times out.
    static func nextInvocation(
        _ request: InvocationRequest, deadlineMilliseconds: Int64, functionARN: String, traceID: String
    ) -> RuntimeAPIResponse {
        var headers: [(String, String)] = [
            ("Content-Type", "application/json"),
            ("Lambda-Runtime-Aws-Request-Id", request.requestID),
            ("Lambda-Runtime-Deadline-Ms", String(deadlineMilliseconds)),
            ("Lambda-Runtime-Invoked-Function-Arn", functionARN),
            ("Lambda-Runtime-Trace-Id", traceID),
        ]
        if let clientContext = request.clientContext {
            headers.append(("Lambda-Runtime-Client-Context", clientContext))
        }
        if let cognitoIdentity = request.cognitoIdentity {
            headers.append(("Lambda-Runtime-Cognito-Identity", cognitoIdentity))
        }
        if let tenantID = request.tenantID {
            headers.append(("Lambda-Runtime-Aws-Tenant-Id", tenantID))
        }
        return RuntimeAPIResponse(status: 200, headers: headers, body: request.payload)
    }
}

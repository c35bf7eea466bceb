import AsyncHTTPClient
import Foundation
import NIOCore

/// AWS Lambda's `Invoke` (REST-JSON, API version 2015-03-31), for `standin invoke --remote`.
/// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
public struct LambdaClient: Sendable {
    let rest: RESTClient
    /// The service endpoint (`https://lambda.<region>.amazonaws.com`, or a configured one).
    public let endpoint: URL

    /// Creates a client that signs with `credentials` for `region` and sends to `endpoint`.
    /// - Parameter timeout: the deadline of one call: a synchronous invoke lasts as long as the function (15 min at most).
    public init(
        credentials: Credentials, region: String, endpoint: URL, httpClient: HTTPClient,
        timeout: TimeAmount = .seconds(16 * 60)
    ) {
        rest = RESTClient(
            service: .lambda, credentials: credentials, region: region, httpClient: httpClient, timeout: timeout)
        self.endpoint = endpoint
    }

    /// What `Invoke` answered.
    public struct InvokeResult: Sendable, Equatable {
        /// 200 for a synchronous invoke, 202 for `Event`, 204 for `DryRun`.
        public var statusCode: Int
        /// The function's result (or its error document).
        public var payload: [UInt8]
        /// `X-Amz-Function-Error`: `Unhandled` (or `Handled`) when the function failed.
        public var functionError: String?
        /// `X-Amz-Log-Result`, decoded: the last 4 KB of the invocation's log, with `LogType: Tail`.
        public var logTail: String?
        /// `X-Amz-Executed-Version`.
        public var executedVersion: String?
    }

    /// `Invoke`.
    /// - Parameters:
    ///   - function: a name, a partial or full ARN (`name:alias` too).
    ///   - invocationType: `RequestResponse`, `Event` or `DryRun`.
    ///   - logType: `Tail` to get the log tail back.
    /// - Throws: `AWSServiceError` for an error answer (`ResourceNotFoundException`, ...).
    public func invoke(
        function: String, payload: [UInt8], invocationType: String = "RequestResponse", logType: String? = nil,
        qualifier: String? = nil
    ) async throws -> InvokeResult {
        var text = endpoint.absoluteString
        if text.hasSuffix("/") { text.removeLast() }
        text += "/2015-03-31/functions/\(SigV4Signer.percentEncode(function, keepSlash: false))/invocations"
        if let qualifier { text += "?Qualifier=\(SigV4Signer.percentEncode(qualifier, keepSlash: false))" }
        guard let url = URL(string: text) else { throw AWSAuthError.invalidInput("cannot make a URL of \(text)") }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("X-Amz-Invocation-Type", invocationType),
        ]
        if let logType { headers.append(("X-Amz-Log-Type", logType)) }
        let response = try await rest.send(
            .POST, url: url, headers: headers, body: payload, operation: "lambda:Invoke",
            maximumResponseBytes: 7 * 1024 * 1024)
        guard (200..<300).contains(response.status) else {
            throw Self.error(response, operation: "lambda:Invoke")
        }
        let tail = response.headers.first(name: "X-Amz-Log-Result").flatMap { Data(base64Encoded: $0) }
            .map { String(decoding: $0, as: UTF8.self) }
        return InvokeResult(
            statusCode: response.status, payload: response.body,
            functionError: response.headers.first(name: "X-Amz-Function-Error"), logTail: tail,
            executedVersion: response.headers.first(name: "X-Amz-Executed-Version"))
    }

    /// A REST-JSON error, else the status and the start of the body.
    static func error(_ response: RESTClient.Response, operation: String) -> AWSServiceError {
        let requestID = response.headers.first(name: "x-amzn-RequestId")
        return AWSServiceError.fromJSON(
            status: response.status, body: response.body, typeHeader: response.headers.first(name: "x-amzn-ErrorType"),
            requestID: requestID, operation: operation)
            ?? AWSServiceError(
                code: "HTTP\(response.status)", message: QueryProtocolClient.preview(response.body),
                httpStatus: response.status, requestID: requestID, operation: operation)
    }
}

import Foundation

/// A request to the Lambda Runtime API (version `2018-06-01`), parsed from its method and path.
///
/// See https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html. Paths carry no prefix:
/// `http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/...`.
enum RuntimeAPIRoute: Equatable, Sendable {
    /// `GET /2018-06-01/runtime/invocation/next`.
    case next
    /// `POST /2018-06-01/runtime/invocation/{id}/response`.
    case response(requestID: String)
    /// `POST /2018-06-01/runtime/invocation/{id}/error`.
    case error(requestID: String)
    /// `POST /2018-06-01/runtime/init/error`.
    case initError
    /// A known path with the wrong method.
    case methodNotAllowed
    /// Anything else.
    case notFound

    /// Parses a request line's method and target (a query string is ignored).
    init(method: String, uri: String) {
        var path = Substring(uri)
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        // ["", "2018-06-01", "runtime", ...]
        guard parts.count >= 4, parts[0].isEmpty, parts[1] == "2018-06-01", parts[2] == "runtime" else {
            self = .notFound
            return
        }
        let rest = Array(parts[3...])
        switch (rest.count, rest.first) {
        case (2, "invocation") where rest[1] == "next":
            self = method == "GET" ? .next : .methodNotAllowed
        case (2, "init") where rest[1] == "error":
            self = method == "POST" ? .initError : .methodNotAllowed
        case (3, "invocation") where !rest[1].isEmpty && (rest[2] == "response" || rest[2] == "error"):
            guard method == "POST" else {
                self = .methodNotAllowed
                return
            }
            let raw = String(rest[1])
            let id = raw.removingPercentEncoding ?? raw
            self = rest[2] == "response" ? .response(requestID: id) : .error(requestID: id)
        default:
            self = .notFound
        }
    }
}

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
            let id = String(rest[1]).removingPercentEncodingIfNeeded
            self = rest[2] == "response" ? .response(requestID: id) : .error(requestID: id)
        default:
            self = .notFound
        }
    }
}

extension String {
    /// Decodes `%XX` escapes; a malformed escape leaves the string as is.
    fileprivate var removingPercentEncodingIfNeeded: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else { return self }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// What mapping a function's answer produced: the response, and why it is an error response when it is one.
public struct ResponseMapping: Sendable {
    /// The HTTP response to send.
    public var response: GatewayResponse
    /// Set when the function's answer was malformed or the function failed: names what was wrong (log it with the
    /// function's name). Nil for a well-formed answer.
    public var diagnostic: String?
}

/// Turns a function's answer into the HTTP response API Gateway would send.
///
/// Format 1.0 (REST, HTTP API 1.0): `statusCode` (integer, required), `headers` and `multiValueHeaders` (merged
/// into one list; a name and value given in both appears once), `body` (string), `isBase64Encoded` (REST also
/// `base64Encoded`, checked first). REST rejects unknown keys; HTTP API ignores them. REST decodes a base64 body
/// only when the request's `Accept` or the response's `Content-Type` matches the API's binary media types
/// (otherwise the base64 text is sent as is, as in AWS); HTTP API decodes whenever `isBase64Encoded` is true.
/// Format 2.0: JSON without `statusCode` is the body of a 200 `application/json` response (a JSON string is sent
/// unquoted); with `statusCode`, `headers`, `body`, `isBase64Encoded` and `cookies` (one `Set-Cookie` each).
/// A missing `Content-Type` becomes `application/json` (REST's default, and what `sam local` does for all APIs).
/// Malformed answers and function errors give REST 502 `{"message":"Internal server error"}` and HTTP API 500
/// `{"message":"Internal Server Error"}`.
public enum ResponseMapper {
    /// Maps one invocation outcome for `route` (the request supplies `Accept` for REST binary decoding).
    public static func map(
        _ outcome: FunctionInvocationOutcome,
        route: APIRoute,
        request: APIRequest
    ) -> ResponseMapping {
        if let errorType = outcome.errorType {
            let message = JSON.parse(outcome.payload)?["errorMessage"]?.stringValue
            return failure(route, "function failed with \(errorType)" + (message.map { ": \($0)" } ?? ""))
        }
        guard let json = JSON.parse(outcome.payload) else {
            if route.usesPayloadV2 { return failure(route, "function returned invalid JSON") }
            return failure(route, "function returned invalid JSON; a proxy response must be a JSON object")
        }
        if route.usesPayloadV2 {
            return mapV2(json, outcome.payload, route)
        }
        return mapV1(json, route, request)
    }

    private static func failure(_ route: APIRoute, _ diagnostic: String) -> ResponseMapping {
        ResponseMapping(response: .integrationFailure(route.kind), diagnostic: diagnostic)
    }

    private static let v1Keys: Set<String> = [
        "statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded", "cookies", "base64Encoded",
    ]

    private static func statusCode(_ value: JSON?) -> Result<Int, Diagnostic> {
        guard let value else { return .failure(Diagnostic("statusCode is missing")) }
        guard case .number(let number, _) = value, number == number.rounded(), number >= 100, number <= 599
        else {
            return .failure(
                Diagnostic("statusCode must be an integer HTTP status, got \(value.typeName) \(render(value))")
            )
        }
        return .success(Int(number))
    }

    private struct Diagnostic: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    private static func render(_ value: JSON) -> String {
        let text = String(decoding: value.bytes, as: UTF8.self)
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    private static func base64Flag(_ json: JSON, rest: Bool) -> Result<Bool, Diagnostic> {
        let legacy = json["base64Encoded"]
        let name = rest && legacy != nil && legacy != .null ? "base64Encoded" : "isBase64Encoded"
        switch json[name] {
        case nil, .null?: return .success(false)
        case .bool(let flag)?: return .success(flag)
        case .string(let text)? where ["true", "True", "false", "False"].contains(text):
            return .success(text.lowercased() == "true")
        case let other?: return .failure(Diagnostic("\(name) must be a boolean, got \(other.typeName)"))
        }
    }

    private static func mapV1(_ json: JSON, _ route: APIRoute, _ request: APIRequest) -> ResponseMapping {
        guard let members = json.objectMembers else {
            return failure(route, "a proxy response must be a JSON object, got \(json.typeName)")
        }
        let rest = route.kind == .rest
        if rest {
            let unknown = members.map(\.0).filter { !v1Keys.contains($0) }
            if !unknown.isEmpty {
                return failure(route, "unknown keys in proxy response: \(unknown.joined(separator: ", "))")
            }
        }
        let status: Int
        switch statusCode(json["statusCode"]) {
        case .success(let code): status = code
        case .failure(let problem): return failure(route, problem.text)
        }
        var headers: [HeaderField] = []
        // API Gateway merges `headers` into `multiValueHeaders`; a name and value in both appears once.
        var multiPairs = Set<String>()
        switch json["multiValueHeaders"] {
        case nil, .null?: break
        case .object(let entries)?:
            for (name, value) in entries {
                guard case .array(let values) = value else {
                    return failure(route, "multiValueHeaders.\(name) must be an array, got \(value.typeName)")
                }
                for item in values {
                    guard let text = item.scalarText else {
                        return failure(route, "multiValueHeaders.\(name) must hold strings, got \(item.typeName)")
                    }
                    multiPairs.insert(name.asciiLowercased + "\n" + text)
                    headers.append(HeaderField(name, text))
                }
            }
        case let other?: return failure(route, "multiValueHeaders must be an object, got \(other.typeName)")
        }
        switch json["headers"] {
        case nil, .null?: break
        case .object(let entries)?:
            var single: [HeaderField] = []
            for (name, value) in entries {
                guard let text = value.scalarText else {
                    return failure(route, "headers.\(name) must be a string, got \(value.typeName)")
                }
                if multiPairs.contains(name.asciiLowercased + "\n" + text) { continue }
                single.append(HeaderField(name, text))
            }
            headers.insert(contentsOf: single, at: 0)
        case let other?: return failure(route, "headers must be an object, got \(other.typeName)")
        }
        var body: [UInt8] = []
        switch json["body"] {
        case nil, .null?: break
        case .string(let text)?: body = Array(text.utf8)
        case let other?: return failure(route, "body must be a string, got \(other.typeName)")
        }
        let isBase64: Bool
        switch base64Flag(json, rest: rest) {
        case .success(let flag): isBase64 = flag
        case .failure(let problem): return failure(route, problem.text)
        }
        if !headers.contains(where: { $0.name.caseInsensitiveEquals("Content-Type") }) {
            headers.append(HeaderField("Content-Type", "application/json"))
        }
        if isBase64 {
            let decode: Bool
            if rest {
                let contentType = headers.last { $0.name.caseInsensitiveEquals("Content-Type") }?.value ?? ""
                let accept = request.header("Accept") ?? ""
                decode =
                    acceptMatches(accept, route.binaryMediaTypes)
                    || MediaTypes.matches(contentType, route.binaryMediaTypes)
            } else {
                decode = true
            }
            if decode {
                guard let decoded = Base64.decode(String(decoding: body, as: UTF8.self)) else {
                    return failure(route, "body is not valid base64 although isBase64Encoded is true")
                }
                body = decoded
            }
        }
        return ResponseMapping(response: GatewayResponse(status: status, headers: headers, body: body), diagnostic: nil)
    }

    /// True when the first media range of `Accept` matches a binary media type (API Gateway looks at the first).
    private static func acceptMatches(_ accept: String, _ binaryTypes: [String]) -> Bool {
        guard !binaryTypes.isEmpty, let first = accept.split(separator: ",").first else { return false }
        let range = MediaTypes.essence(String(first))
        if range == "*/*" { return false }
        return MediaTypes.matches(range, binaryTypes)
    }

    private static func mapV2(_ json: JSON, _ raw: [UInt8], _ route: APIRoute) -> ResponseMapping {
        guard case .object = json, json["statusCode"] != nil else {
            let body: [UInt8]
            if case .string(let text) = json {
                body = Array(text.utf8)
            } else {
                body = trimmed(raw)
            }
            return ResponseMapping(
                response: GatewayResponse(
                    status: 200,
                    headers: [HeaderField("Content-Type", "application/json")],
                    body: body
                ),
                diagnostic: nil
            )
        }
        let status: Int
        switch statusCode(json["statusCode"]) {
        case .success(let code): status = code
        case .failure(let problem): return failure(route, problem.text)
        }
        var headers: [HeaderField] = []
        switch json["headers"] {
        case nil, .null?: break
        case .object(let entries)?:
            for (name, value) in entries {
                guard let text = value.scalarText else {
                    return failure(route, "headers.\(name) must be a string, got \(value.typeName)")
                }
                headers.append(HeaderField(name, text))
            }
        case let other?: return failure(route, "headers must be an object, got \(other.typeName)")
        }
        switch json["cookies"] {
        case nil, .null?: break
        case .array(let cookies)?:
            for cookie in cookies {
                guard let text = cookie.stringValue else {
                    return failure(route, "cookies must hold strings, got \(cookie.typeName)")
                }
                headers.append(HeaderField("Set-Cookie", text))
            }
        case let other?: return failure(route, "cookies must be an array, got \(other.typeName)")
        }
        var body: [UInt8] = []
        switch json["body"] {
        case nil, .null?: break
        case .string(let text)?: body = Array(text.utf8)
        case let other?: return failure(route, "body must be a string, got \(other.typeName)")
        }
        switch base64Flag(json, rest: false) {
        case .success(true):
            guard let decoded = Base64.decode(String(decoding: body, as: UTF8.self)) else {
                return failure(route, "body is not valid base64 although isBase64Encoded is true")
            }
            body = decoded
        case .success(false): break
        case .failure(let problem): return failure(route, problem.text)
        }
        if !headers.contains(where: { $0.name.caseInsensitiveEquals("Content-Type") }) {
            headers.append(HeaderField("Content-Type", "application/json"))
        }
        return ResponseMapping(response: GatewayResponse(status: status, headers: headers, body: body), diagnostic: nil)
    }

    private static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return [] }
        return Array(bytes[first...last])
    }
}

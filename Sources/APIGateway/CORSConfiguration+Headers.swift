/// CORS the way API Gateway HTTP APIs do it
/// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html): preflight `OPTIONS`
/// requests are answered by the gateway without invoking a function, and actual responses get
/// `Access-Control-Allow-Origin` / `-Expose-Headers` / `-Allow-Credentials` from the configuration (the
/// function's own CORS headers are replaced). For REST APIs the preflight is answered the same way (what SAM's
/// generated `OPTIONS` mock integration does), but actual responses are left alone, as in AWS: there the
/// function must add CORS headers itself.
extension CORSConfiguration {
    /// True when `request` is a preflight this configuration answers. HTTP APIs: `OPTIONS` with both `Origin` and
    /// `Access-Control-Request-Method` (any other `OPTIONS` is routed like any request: to an `OPTIONS`, `ANY` or
    /// `$default` route, else 404). REST APIs: any `OPTIONS`, as SAM's generated mock `OPTIONS` method answers it.
    public func isPreflight(_ request: APIRequest, kind: APIKind) -> Bool {
        guard request.method == "OPTIONS" else { return false }
        return kind == .rest
            || (request.header("Origin") != nil && request.header("Access-Control-Request-Method") != nil)
    }

    /// The value for `Access-Control-Allow-Origin` for this request's `Origin`, or nil when it is not allowed.
    public func allowedOrigin(for origin: String?) -> String? {
        if allowOrigins.contains("*") {
            if allowCredentials, let origin { return origin }
            return "*"
        }
        guard let origin else { return nil }
        for pattern in allowOrigins where Self.origin(origin, matches: pattern) { return origin }
        return nil
    }

    private static func origin(_ origin: String, matches pattern: String) -> Bool {
        if pattern.caseInsensitiveEquals(origin) { return true }
        guard let star = pattern.firstIndex(of: "*") else { return false }
        let prefix = String(pattern[..<star]).asciiLowercased
        let suffix = String(pattern[pattern.index(after: star)...]).asciiLowercased
        let candidate = origin.asciiLowercased
        return candidate.count >= prefix.count + suffix.count && candidate.hasPrefix(prefix)
            && candidate.hasSuffix(suffix)
    }

    /// The gateway's answer to a preflight: 204 (HTTP API) or 200 (REST) with the `Access-Control-Allow-*`
    /// headers when the origin is allowed, and without them when it is not.
    public func preflightResponse(for request: APIRequest, kind: APIKind) -> GatewayResponse {
        var response = GatewayResponse(status: kind == .rest ? 200 : 204)
        guard let origin = allowedOrigin(for: request.header("Origin")) else { return response }
        response.headers.append(HeaderField("Access-Control-Allow-Origin", origin))
        if !allowMethods.isEmpty {
            response.headers.append(HeaderField("Access-Control-Allow-Methods", allowMethods.joined(separator: ",")))
        }
        if allowHeaders.contains("*"), let requested = request.header("Access-Control-Request-Headers") {
            response.headers.append(HeaderField("Access-Control-Allow-Headers", requested))
        } else if !allowHeaders.isEmpty {
            response.headers.append(HeaderField("Access-Control-Allow-Headers", allowHeaders.joined(separator: ",")))
        }
        if let maxAge { response.headers.append(HeaderField("Access-Control-Max-Age", String(maxAge))) }
        if allowCredentials { response.headers.append(HeaderField("Access-Control-Allow-Credentials", "true")) }
        if origin != "*" { response.headers.append(HeaderField("Vary", "Origin")) }
        return response
    }

    /// Puts the CORS headers of an actual (non-preflight) response in place, replacing the function's own.
    public func apply(to response: inout GatewayResponse, for request: APIRequest) {
        response.headers.removeAll { $0.name.asciiLowercased.hasPrefix("access-control-") }
        guard let origin = allowedOrigin(for: request.header("Origin")) else { return }
        response.headers.append(HeaderField("Access-Control-Allow-Origin", origin))
        if !exposeHeaders.isEmpty {
            response.headers.append(HeaderField("Access-Control-Expose-Headers", exposeHeaders.joined(separator: ",")))
        }
        if allowCredentials { response.headers.append(HeaderField("Access-Control-Allow-Credentials", "true")) }
    }
}

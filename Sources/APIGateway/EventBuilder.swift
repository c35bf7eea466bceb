/// Builds the Lambda events API Gateway sends: REST (1.0, no `version`), HTTP API 1.0 and 2.0, function URLs,
/// and Lambda authorizer events.
///
/// JSON is written by hand into a byte buffer, keys in the order of AWS's examples
/// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html,
/// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
public enum EventBuilder {
    /// The event for the route's own payload format (REST 1.0, HTTP API 1.0 or 2.0, function URL 2.0).
    public static func event(
        for request: APIRequest,
        match: RouteMatch,
        context: EventContext,
        authorizer: AuthorizerOutput? = nil
    ) -> [UInt8] {
        if match.route.usesPayloadV2 {
            return v2Event(for: request, match: match, context: context, authorizer: authorizer)
        }
        return v1Event(for: request, match: match, context: context, authorizer: authorizer)
    }

    /// A payload 1.0 event (REST API, or HTTP API with `"version":"1.0"`).
    public static func v1Event(
        for request: APIRequest,
        match: RouteMatch,
        context: EventContext,
        authorizer: AuthorizerOutput? = nil
    ) -> [UInt8] {
        let route = match.route
        var writer = JSONWriter(capacity: 1024 + request.body.count * 4 / 3)
        writer.beginObject()
        if route.kind != .rest { writer.field("version", "1.0") }
        writeV1Request(&writer, request, match, context, multiValue: true, emptyAsNull: true)
        writeV1RequestContext(&writer, request, match, context, authorizer: authorizer)
        let body = bodyText(request, route)
        writer.field("body", body.text)
        writer.key("isBase64Encoded")
        writer.bool(body.isBase64)
        writer.endObject()
        return writer.bytes
    }

    /// A payload 2.0 event (HTTP API, or a function URL).
    public static func v2Event(
        for request: APIRequest,
        match: RouteMatch,
        context: EventContext,
        authorizer: AuthorizerOutput? = nil
    ) -> [UInt8] {
        let route = match.route
        var writer = JSONWriter(capacity: 1024 + request.body.count * 4 / 3)
        writer.beginObject()
        writer.field("version", "2.0")
        writeV2Request(&writer, request, match, context, authorizer: authorizer, includeStage: true)
        let body = bodyText(request, route)
        if let text = body.text { writer.field("body", text) }
        writePathParameters(&writer, match, emptyAs: .omit)
        writeStageVariables(&writer, route, emptyAs: .omit)
        writer.key("isBase64Encoded")
        writer.bool(body.isBase64)
        writer.endObject()
        return writer.bytes
    }

    /// The `methodArn` / `routeArn`: `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`.
    public static func methodARN(for request: APIRequest, route: APIRoute, context: EventContext) -> String {
        let path = request.path.hasPrefix("/") ? String(request.path.dropFirst()) : request.path
        return "arn:aws:execute-api:\(context.region):\(context.accountID):\(route.apiID)/\(route.stage)/"
            + "\(request.method)/\(path)"
    }

    /// A REST `TOKEN` authorizer event.
    public static func tokenAuthorizerEvent(token: String, methodARN: String) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.field("type", "TOKEN")
        writer.field("authorizationToken", token)
        writer.field("methodArn", methodARN)
        writer.endObject()
        return writer.bytes
    }

    /// A `REQUEST` authorizer event: REST (v1 fields, no body), HTTP API payload 1.0 or 2.0.
    public static func requestAuthorizerEvent(
        for request: APIRequest,
        match: RouteMatch,
        context: EventContext,
        identityValues: [String]
    ) -> [UInt8] {
        let route = match.route
        let arn = methodARN(for: request, route: route, context: context)
        var writer = JSONWriter(capacity: 2048)
        writer.beginObject()
        if route.kind == .rest {
            writer.field("type", "REQUEST")
            writer.field("methodArn", arn)
            writeV1Request(&writer, request, match, context, multiValue: true, emptyAsNull: false)
            writeV1RequestContext(&writer, request, match, context, authorizer: nil)
        } else if route.authorizer?.payloadFormatVersion == "1.0" {
            writer.field("version", "1.0")
            writer.field("type", "REQUEST")
            writer.field("methodArn", arn)
            let joined = identityValues.joined(separator: ",")
            writer.field("identitySource", joined)
            writer.field("authorizationToken", joined)
            writeV1Request(&writer, request, match, context, multiValue: false, emptyAsNull: false)
            writeV1RequestContext(&writer, request, match, context, authorizer: nil)
        } else {
            writer.field("version", "2.0")
            writer.field("type", "REQUEST")
            writer.field("routeArn", arn)
            writer.key("identitySource")
            writer.beginArray()
            for value in identityValues { writer.string(value) }
            writer.endArray()
            writeV2Request(&writer, request, match, context, authorizer: nil, includeStage: true)
            writePathParameters(&writer, match, emptyAs: .empty)
            writeStageVariables(&writer, match.route, emptyAs: .empty)
        }
        writer.endObject()
        return writer.bytes
    }

    // MARK: - Pieces

    enum EmptyMap { case omit, null, empty }

    /// Headers the client sent plus the forwarding headers API Gateway adds.
    static func effectiveHeaders(_ request: APIRequest, _ context: EventContext) -> [HeaderField] {
        var headers = request.headers
        if request.header("X-Forwarded-For") == nil { headers.append(HeaderField("X-Forwarded-For", request.sourceIP)) }
        if let port = context.serverPort, request.header("X-Forwarded-Port") == nil {
            headers.append(HeaderField("X-Forwarded-Port", String(port)))
        }
        if request.header("X-Forwarded-Proto") == nil { headers.append(HeaderField("X-Forwarded-Proto", "http")) }
        return headers
    }

    /// Groups values by name (first-seen order); names compared case-insensitively, first spelling kept.
    static func grouped(_ fields: [HeaderField], lowercase: Bool) -> [(name: String, values: [String])] {
        var groups: [(name: String, values: [String])] = []
        var positions: [String: Int] = [:]
        for field in fields {
            let key = field.name.asciiLowercased
            if let position = positions[key] {
                groups[position].values.append(field.value)
            } else {
                positions[key] = groups.count
                groups.append((lowercase ? key : field.name, [field.value]))
            }
        }
        return groups
    }

    static func groupedQuery(_ request: APIRequest) -> [(name: String, values: [String])] {
        var groups: [(name: String, values: [String])] = []
        var positions: [String: Int] = [:]
        for item in request.queryItems {
            if let position = positions[item.name] {
                groups[position].values.append(item.value)
            } else {
                positions[item.name] = groups.count
                groups.append((item.name, [item.value]))
            }
        }
        return groups
    }

    private static func writeV1Request(
        _ writer: inout JSONWriter,
        _ request: APIRequest,
        _ match: RouteMatch,
        _ context: EventContext,
        multiValue: Bool,
        emptyAsNull: Bool
    ) {
        let route = match.route
        writer.field("resource", route.path == "$default" ? request.path : route.path)
        writer.field("path", request.path)
        writer.field("httpMethod", request.method)
        let headers = grouped(effectiveHeaders(request, context), lowercase: route.kind != .rest)
        writer.key("headers")
        writer.beginObject()
        for header in headers { writer.field(header.name, header.values.last ?? "") }
        writer.endObject()
        if multiValue {
            writer.key("multiValueHeaders")
            writer.beginObject()
            for header in headers {
                writer.key(header.name)
                writer.beginArray()
                for value in header.values { writer.string(value) }
                writer.endArray()
            }
            writer.endObject()
        }
        let query = groupedQuery(request)
        writer.key("queryStringParameters")
        if query.isEmpty && emptyAsNull {
            writer.null()
        } else {
            writer.beginObject()
            for item in query { writer.field(item.name, item.values.last ?? "") }
            writer.endObject()
        }
        if multiValue {
            writer.key("multiValueQueryStringParameters")
            if query.isEmpty && emptyAsNull {
                writer.null()
            } else {
                writer.beginObject()
                for item in query {
                    writer.key(item.name)
                    writer.beginArray()
                    for value in item.values { writer.string(value) }
                    writer.endArray()
                }
                writer.endObject()
            }
        }
        writePathParameters(&writer, match, emptyAs: emptyAsNull ? .null : .empty)
        writeStageVariables(&writer, route, emptyAs: emptyAsNull ? .null : .empty)
    }

    /// `stageVariables`: the stage's variables; without any, null in 1.0 events, absent in 2.0 events (as API Gateway
    /// sends them), `{}` in authorizer events.
    static func writeStageVariables(_ writer: inout JSONWriter, _ route: APIRoute, emptyAs: EmptyMap) {
        if route.stageVariables.isEmpty {
            switch emptyAs {
            case .omit: return
            case .null:
                writer.key("stageVariables")
                writer.null()
                return
            case .empty: break
            }
        }
        writer.key("stageVariables")
        writer.beginObject()
        for (name, value) in route.stageVariables.sorted(by: { $0.key < $1.key }) { writer.field(name, value) }
        writer.endObject()
    }

    private static func writePathParameters(_ writer: inout JSONWriter, _ match: RouteMatch, emptyAs: EmptyMap) {
        if match.pathParameters.isEmpty {
            switch emptyAs {
            case .omit: return
            case .null:
                writer.key("pathParameters")
                writer.null()
                return
            case .empty: break
            }
        }
        writer.key("pathParameters")
        writer.beginObject()
        for parameter in match.pathParameters { writer.field(parameter.name, parameter.value) }
        writer.endObject()
    }

    private static func domainName(_ request: APIRequest, _ route: APIRoute, _ context: EventContext) -> String {
        if route.kind == .functionURL { return "\(route.apiID).lambda-url.\(context.region).on.aws" }
        guard let host = request.header("Host"), !host.isEmpty else { return "localhost" }
        // A domain name has no port (`127.0.0.1:3000` -> `127.0.0.1`, `[::1]:3000` -> `[::1]`).
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") { return String(host[...close]) }
        return host.split(separator: ":", maxSplits: 1).first.map(String.init) ?? host
    }

    private static func domainPrefix(_ domain: String, _ route: APIRoute) -> String {
        if route.kind == .functionURL { return route.apiID }
        // An IP address has no first label to speak of: the whole address is the prefix.
        if domain.hasPrefix("[") || domain.allSatisfy({ $0.isNumber || $0 == "." }) { return domain }
        return domain.split(separator: ".", maxSplits: 1).first.map(String.init) ?? domain
    }

    private static func writeV1RequestContext(
        _ writer: inout JSONWriter,
        _ request: APIRequest,
        _ match: RouteMatch,
        _ context: EventContext,
        authorizer: AuthorizerOutput?
    ) {
        let route = match.route
        let domain = domainName(request, route, context)
        writer.key("requestContext")
        writer.beginObject()
        writer.field("accountId", context.accountID)
        writer.field("apiId", route.apiID)
        if let authorizer {
            writer.key("authorizer")
            writer.beginObject()
            if let principal = authorizer.principalID { writer.field("principalId", principal) }
            for (name, value) in authorizer.context where !(name == "principalId" && authorizer.principalID != nil) {
                writer.key(name)
                writer.value(value)
            }
            if route.kind == .rest {
                writer.key("integrationLatency")
                writer.int(0)
            }
            writer.endObject()
        }
        writer.field("domainName", domain)
        writer.field("domainPrefix", domainPrefix(domain, route))
        writer.field("extendedRequestId", context.requestID)
        writer.field("httpMethod", request.method)
        writer.key("identity")
        writer.beginObject()
        for name in [
            "accessKey", "accountId", "apiKey", "apiKeyId", "caller", "cognitoAuthenticationProvider",
            "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId",
        ] {
            writer.key(name)
            writer.null()
        }
        writer.field("sourceIp", request.sourceIP)
        writer.key("user")
        writer.null()
        writer.field("userAgent", request.header("User-Agent") ?? "")
        writer.key("userArn")
        writer.null()
        writer.endObject()
        let resourcePath = route.path == "$default" ? request.path : route.path
        writer.field("path", route.kind == .rest ? "/\(route.stage)\(request.path)" : request.path)
        writer.field("protocol", request.protocolVersion)
        writer.field("requestId", context.requestID)
        writer.field("requestTime", context.formattedTime)
        writer.key("requestTimeEpoch")
        writer.int(Int(context.timeEpochMilliseconds))
        if route.kind == .rest {
            writer.field("resourceId", resourceID(route))
        } else {
            writer.key("resourceId")
            writer.null()
        }
        writer.field("resourcePath", resourcePath)
        writer.field("stage", route.stage)
        writer.endObject()
    }

    /// A stable 6-character resource id derived from the route (REST `requestContext.resourceId`).
    static func resourceID(_ route: APIRoute) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(route.apiID) \(route.path)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var out: [UInt8] = []
        for _ in 0..<6 {
            out.append(alphabet[Int(hash % 36)])
            hash /= 36
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func writeV2Request(
        _ writer: inout JSONWriter,
        _ request: APIRequest,
        _ match: RouteMatch,
        _ context: EventContext,
        authorizer: AuthorizerOutput?,
        includeStage: Bool
    ) {
        let route = match.route
        writer.field("routeKey", route.routeKey)
        writer.field("rawPath", request.path)
        writer.field("rawQueryString", request.rawQuery)
        var cookies: [String] = []
        var others: [HeaderField] = []
        for field in effectiveHeaders(request, context) {
            if field.name.caseInsensitiveEquals("Cookie") {
                for cookie in field.value.split(separator: ";") {
                    let trimmed = String(cookie).trimmingSpaces
                    if !trimmed.isEmpty { cookies.append(trimmed) }
                }
            } else {
                others.append(field)
            }
        }
        if !cookies.isEmpty {
            writer.key("cookies")
            writer.beginArray()
            for cookie in cookies { writer.string(cookie) }
            writer.endArray()
        }
        writer.key("headers")
        writer.beginObject()
        for header in grouped(others, lowercase: true) {
            writer.field(header.name, header.values.joined(separator: ","))
        }
        writer.endObject()
        let query = groupedQuery(request)
        if !query.isEmpty {
            writer.key("queryStringParameters")
            writer.beginObject()
            for item in query { writer.field(item.name, item.values.joined(separator: ",")) }
            writer.endObject()
        }
        let domain = domainName(request, route, context)
        writer.key("requestContext")
        writer.beginObject()
        writer.field("accountId", context.accountID)
        writer.field("apiId", route.apiID)
        if let authorizer {
            writer.key("authorizer")
            writer.beginObject()
            writer.key("lambda")
            writer.beginObject()
            for (name, value) in authorizer.context {
                writer.key(name)
                writer.value(value)
            }
            writer.endObject()
            writer.endObject()
        }
        writer.field("domainName", domain)
        writer.field("domainPrefix", domainPrefix(domain, route))
        writer.key("http")
        writer.beginObject()
        writer.field("method", request.method)
        writer.field("path", request.path)
        writer.field("protocol", request.protocolVersion)
        writer.field("sourceIp", request.sourceIP)
        writer.field("userAgent", request.header("User-Agent") ?? "")
        writer.endObject()
        writer.field("requestId", context.requestID)
        writer.field("routeKey", route.routeKey)
        if includeStage { writer.field("stage", route.stage) }
        writer.field("time", context.formattedTime)
        writer.key("timeEpoch")
        writer.int(Int(context.timeEpochMilliseconds))
        writer.endObject()
    }

    /// The body as the event carries it: text, or base64 when the content type is binary for this API kind
    /// (REST: it matches `binaryMediaTypes`; HTTP API and function URLs: it is not a textual type). Bytes that
    /// are not valid UTF-8 are always sent as base64.
    static func bodyText(_ request: APIRequest, _ route: APIRoute) -> (text: String?, isBase64: Bool) {
        guard !request.body.isEmpty else { return (nil, false) }
        let contentType = request.header("Content-Type")
        let binary: Bool
        if route.kind == .rest {
            binary = contentType.map { MediaTypes.matches($0, route.binaryMediaTypes) } ?? false
        } else {
            binary = !MediaTypes.isTextual(contentType)
        }
        if !binary, let text = String(validating: request.body, as: UTF8.self) { return (text, false) }
        return (Base64.encode(request.body), true)
    }
}

import Foundation

extension ServerlessLoader {
    /// Event keys and the SAM event type names they are listed under.
    static let eventTypes: [String: String] = [
        "http": "Api", "httpApi": "HttpApi", "sqs": "SQS", "s3": "S3", "schedule": "Schedule", "sns": "SNS",
        "eventBridge": "EventBridgeRule", "cloudwatchEvent": "CloudWatchEvent", "cloudwatchLog": "CloudWatchLogs",
        "alb": "ALB", "websocket": "WebSocket", "iot": "IoTRule", "cognitoUserPool": "Cognito",
        "alexaSkill": "AlexaSkill", "kafka": "SelfManagedKafka", "msk": "MSK", "activemq": "MQ", "rabbitmq": "MQ",
    ]
    /// Headers the framework allows when `cors: true` (REST and HTTP APIs).
    static let defaultCORSHeaders = [
        "Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token", "X-Amz-User-Agent",
        "X-Amzn-Trace-Id",
    ]

    /// A function's `events`: one `EventSpec` each (named `<key>[<index>]`, e.g. `http[0]`), and the API routes.
    func events(_ node: TemplateNode?, functionKey: String) throws(ProjectError) -> ([EventSpec], [Route]) {
        guard let node, !node.isNull else { return ([], []) }
        guard let elements = node.elements else { throw error(.invalidValue, node, "events must be a list") }
        var events: [EventSpec] = []
        var routes: [Route] = []
        for (index, element) in elements.enumerated() {
            guard let entries = element.entries, entries.count == 1 else {
                throw error(.invalidValue, element, "an event must be a map with one key (http, httpApi, sqs, ...)")
            }
            let key = entries[0].key
            let value = entries[0].value
            let name = "\(key)[\(index)]"
            var type = Self.eventTypes[key] ?? key
            var properties = try resolver.resolve(value) ?? .null
            if case .string(let text) = properties {
                properties = Self.shorthand(key, text)
            }
            if key == "stream" {
                let arn = properties["arn"]?.stringValue ?? ""
                let declared = properties["type"]?.stringValue?.lowercased()
                type = declared == "kinesis" || arn.contains(":kinesis:") ? "Kinesis" : "DynamoDB"
            }
            events.append(EventSpec(name: name, type: type, properties: properties))
            switch key {
            case "http":
                routes.append(try restRoute(value, properties: properties, functionKey: functionKey, name: name))
            case "httpApi":
                routes.append(try httpRoute(value, properties: properties, functionKey: functionKey, name: name))
            default: break
            }
        }
        return (events, routes)
    }

    /// The map a string-valued event stands for (`sqs: arn` -> `{arn}`, `http: GET /x` -> `{method, path}`).
    static func shorthand(_ key: String, _ text: String) -> JSONValue {
        switch key {
        case "http", "httpApi":
            if text.trimmingCharacters(in: .whitespaces) == "*" {
                return .object(["method": .string("*"), "path": .string("*")])
            }
            let parts = text.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return .object(["method": .string(parts.first ?? ""), "path": .string(parts.count > 1 ? parts[1] : "")])
        case "sqs", "stream": return .object(["arn": .string(text)])
        case "s3": return .object(["bucket": .string(text)])
        case "schedule": return .object(["rate": .string(text)])
        case "sns": return .object([text.hasPrefix("arn:") ? "arn" : "topicName": .string(text)])
        default: return .string(text)
        }
    }

    /// "ANY" for `any` and `*`, else upper case.
    static func method(_ text: String) -> String {
        let lower = text.lowercased()
        return lower == "any" || lower == "*" ? "ANY" : text.uppercased()
    }

    // MARK: - REST (`http`)

    /// An `http` event: a REST API route with payload 1.0 on stage `<stage>`.
    func restRoute(
        _ node: TemplateNode,
        properties: JSONValue,
        functionKey: String,
        name: String
    ) throws(ProjectError) -> Route {
        guard let pathText = properties["path"]?.scalarString, !pathText.isEmpty else {
            throw error(.missingProperty, node, "an http event needs a path (for example GET /hello or {path, method})")
        }
        guard let methodText = properties["method"]?.scalarString, !methodText.isEmpty else {
            throw error(
                .missingProperty,
                node,
                "an http event needs a method (for example GET /hello or {path, method})"
            )
        }
        let method = Self.method(methodText)
        let path = pathText.hasPrefix("/") ? pathText : "/" + pathText
        let binaryMediaTypes = try stringList(provider["apiGateway"]?["binaryMediaTypes"]) ?? []
        return Route(
            method: method,
            path: path,
            kind: .rest,
            payloadFormatVersion: "1.0",
            functionLogicalID: functionKey,
            apiLogicalID: "ApiGatewayRestApi",
            stageName: stage,
            cors: try restCORS(properties["cors"], method: method, node: node),
            authorizer: try restAuthorizer(properties["authorizer"], node: node),
            binaryMediaTypes: binaryMediaTypes,
            eventName: name
        )
    }

    /// `cors: true` or `cors: {origin(s), headers, methods, allowCredentials, maxAge}` of an `http` event.
    func restCORS(_ value: JSONValue?, method: String, node: TemplateNode) throws(ProjectError) -> CORSSpec? {
        guard let value else { return nil }
        let methods =
            method == "ANY" ? SAMTemplateLoader.corsMethods : Array(Set(["OPTIONS", method])).sorted()
        switch value {
        case .bool(let enabled):
            guard enabled else { return nil }
            return CORSSpec(allowOrigins: ["*"], allowMethods: methods, allowHeaders: Self.defaultCORSHeaders)
        case .string(let text) where text == "true" || text == "false":
            guard text == "true" else { return nil }
            return CORSSpec(allowOrigins: ["*"], allowMethods: methods, allowHeaders: Self.defaultCORSHeaders)
        case .object(let members):
            var origins = Self.strings(members["origins"]) ?? []
            if let origin = members["origin"]?.scalarString { origins = [origin] }
            var allowMethods = methods
            if let listed = Self.strings(members["methods"]) {
                allowMethods = Array(Set(listed.map { $0.uppercased() } + ["OPTIONS"])).sorted()
            }
            var maxAge: Int?
            if let text = members["maxAge"]?.scalarString { maxAge = Int(text) }
            return CORSSpec(
                allowOrigins: origins.isEmpty ? ["*"] : origins,
                allowMethods: allowMethods,
                allowHeaders: Self.strings(members["headers"]) ?? Self.defaultCORSHeaders,
                maxAge: maxAge,
                allowCredentials: members["allowCredentials"]?.scalarString == "true"
            )
        default:
            throw error(.invalidValue, node, "cors must be true or a map")
        }
    }

    /// A list of strings, or a comma-separated string.
    static func strings(_ value: JSONValue?) -> [String]? {
        guard let value else { return nil }
        if let text = value.scalarString {
            return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return value.arrayValue?.compactMap(\.scalarString)
    }

    /// An `http` event's `authorizer`: the name of a function of this service (a TOKEN authorizer on the
    /// Authorization header unless `type: request`); ARNs, `aws_iam` and Cognito authorizers give nil.
    func restAuthorizer(_ value: JSONValue?, node: TemplateNode) throws(ProjectError) -> AuthorizerSpec? {
        guard let value else { return nil }
        var name: String?
        var type = "token"
        var identitySource: String?
        switch value {
        case .string(let text): name = text
        case .object(let members):
            if members["arn"] != nil { return nil }
            name = members["name"]?.scalarString
            type = members["type"]?.scalarString?.lowercased() ?? "token"
            identitySource = members["identitySource"]?.scalarString
        default: throw error(.invalidValue, node, "authorizer must be a function name or a map")
        }
        guard let name, !name.hasPrefix("arn:"), name.lowercased() != "aws_iam", type == "token" || type == "request"
        else { return nil }
        guard functionEntries.contains(where: { $0.key == name }) else {
            throw error(.unknownReference, node, "authorizer \"\(name)\" is not a function of this service")
        }
        if type == "request" {
            let sources = (identitySource ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            return AuthorizerSpec(name: name, functionLogicalID: name, type: .request, identitySources: sources)
        }
        return AuthorizerSpec(
            name: name,
            functionLogicalID: name,
            type: .token,
            identitySources: [identitySource ?? "method.request.header.Authorization"]
        )
    }

    // MARK: - HTTP API (`httpApi`)

    /// An `httpApi` event: an HTTP API route (`*` is `$default`), payload from `provider.httpApi.payload`.
    func httpRoute(
        _ node: TemplateNode,
        properties: JSONValue,
        functionKey: String,
        name: String
    ) throws(ProjectError) -> Route {
        let httpAPI = provider["httpApi"]
        // `payload: 2.0` unquoted is a YAML number: keep its text.
        var payload = "2.0"
        if let node = httpAPI?["payload"], let text = try resolver.stringified(node) { payload = text }
        guard payload == "1.0" || payload == "2.0" else {
            throw error(.invalidValue, httpAPI?["payload"] ?? provider, "provider.httpApi.payload must be 1.0 or 2.0")
        }
        let pathText = properties["path"]?.scalarString ?? "*"
        let methodText = properties["method"]?.scalarString ?? "*"
        let isDefault = pathText == "*"
        guard isDefault || !pathText.isEmpty else {
            throw error(.missingProperty, node, "an httpApi event needs a path (for example GET /hello, or *)")
        }
        return Route(
            method: Self.method(methodText),
            path: isDefault ? "$default" : (pathText.hasPrefix("/") ? pathText : "/" + pathText),
            kind: .http,
            payloadFormatVersion: payload,
            functionLogicalID: functionKey,
            apiLogicalID: "HttpApi",
            stageName: "$default",
            cors: try httpCORS(httpAPI?["cors"]),
            authorizer: try httpAuthorizer(properties["authorizer"], node: node),
            eventName: name
        )
    }

    /// `provider.httpApi.cors`: true, or `{allowedOrigins, allowedHeaders, allowedMethods, allowCredentials,
    /// exposedResponseHeaders, maxAge}`.
    func httpCORS(_ node: TemplateNode?) throws(ProjectError) -> CORSSpec? {
        guard let node, !node.isNull, let value = try resolver.resolve(node) else { return nil }
        switch value {
        case .bool(let enabled):
            guard enabled else { return nil }
            return CORSSpec(
                allowOrigins: ["*"],
                allowMethods: SAMTemplateLoader.corsMethods,
                allowHeaders: Self.defaultCORSHeaders
            )
        case .object(let members):
            var methods = SAMTemplateLoader.corsMethods
            if let listed = Self.strings(members["allowedMethods"]), !listed.contains("*") {
                methods = Array(Set(listed.map { $0.uppercased() } + ["OPTIONS"])).sorted()
            }
            return CORSSpec(
                allowOrigins: Self.strings(members["allowedOrigins"]) ?? ["*"],
                allowMethods: methods,
                allowHeaders: Self.strings(members["allowedHeaders"]) ?? Self.defaultCORSHeaders,
                exposeHeaders: Self.strings(members["exposedResponseHeaders"]) ?? [],
                maxAge: members["maxAge"]?.scalarString.flatMap { Int($0) },
                allowCredentials: members["allowCredentials"]?.scalarString == "true"
            )
        default:
            throw error(.invalidValue, node, "provider.httpApi.cors must be true or a map")
        }
    }

    /// An `httpApi` event's `authorizer` (`{name}` or a name) of `provider.httpApi.authorizers`; only Lambda
    /// (`type: request`) authorizers with a `functionName` of this service give one.
    func httpAuthorizer(_ value: JSONValue?, node: TemplateNode) throws(ProjectError) -> AuthorizerSpec? {
        guard let value else { return nil }
        let name: String?
        switch value {
        case .string(let text): name = text
        case .object(let members): name = members["name"]?.scalarString
        default: throw error(.invalidValue, node, "authorizer must be a name or {name}")
        }
        guard let name, name.lowercased() != "aws_iam" else { return nil }
        guard let definitionNode = provider["httpApi"]?["authorizers"]?[name],
            let definition = try resolver.resolve(definitionNode)
        else {
            throw error(.unknownReference, node, "no authorizer named \"\(name)\" in provider.httpApi.authorizers")
        }
        guard definition["type"]?.scalarString?.lowercased() == "request",
            let functionName = definition["functionName"]?.scalarString
        else { return nil }
        guard functionEntries.contains(where: { $0.key == functionName }) else {
            throw error(
                .unknownReference,
                definitionNode,
                "authorizer \(name): functionName \"\(functionName)\" is not a function of this service"
            )
        }
        return AuthorizerSpec(
            name: name,
            functionLogicalID: functionName,
            type: .request,
            identitySources: Self.strings(definition["identitySource"]) ?? ["$request.header.Authorization"],
            payloadFormatVersion: definition["payloadVersion"]?.scalarString ?? "2.0",
            enableSimpleResponses: definition["enableSimpleResponses"]?.scalarString == "true"
        )
    }
}

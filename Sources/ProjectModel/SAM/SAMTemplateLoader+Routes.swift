import Foundation

extension SAMTemplateLoader {
    /// The route of an `Api` or `HttpApi` event; nil for other event types.
    func route(function: FunctionSpec, event: TemplateEntry) throws(ProjectError) -> Route? {
        let type = try string(event.value["Type"])
        guard type == "Api" || type == "HttpApi" else { return nil }
        let kind: APIKind = type == "Api" ? .rest : .http
        let props =
            event.value["Properties"]
            ?? TemplateNode(
                kind: .mapping([]),
                location: event.value.location,
                path: TemplateNode.join(event.value.path, "Properties")
            )
        if props.entries == nil {
            throw error(.invalidValue, props, "Properties must be a map")
        }
        var path = try string(props["Path"])
        var method = try string(props["Method"])
        if kind == .rest {
            for key in ["Path", "Method"] where props[key] == nil {
                throw ProjectError(
                    .missingProperty,
                    at: props.location,
                    path: TemplateNode.join(props.path, key),
                    message: "missing \(key) (required for an Api event)"
                )
            }
        } else if path == nil {
            path = "$default"
            method = method ?? "ANY"
        }
        let normalizedMethod = (method ?? "ANY").lowercased() == "any" ? "ANY" : (method ?? "ANY").uppercased()
        let api = try apiResource(props[kind == .rest ? "RestApiId" : "ApiId"], kind: kind)
        let context = try apiContext(api)
        // `PayloadFormatVersion: 2.0` unquoted is a YAML number: keep its text.
        var payloadFormatVersion = kind == .rest ? "1.0" : "2.0"
        if kind == .http, let node = props["PayloadFormatVersion"], let text = try resolver.stringified(node) {
            payloadFormatVersion = text
        }
        guard payloadFormatVersion == "1.0" || payloadFormatVersion == "2.0" else {
            throw error(
                .invalidValue,
                props["PayloadFormatVersion"] ?? props,
                "PayloadFormatVersion must be 1.0 or 2.0"
            )
        }
        let apiProps = try properties(of: api, globalsSection: kind == .rest ? "Api" : "HttpApi")
        return Route(
            method: normalizedMethod,
            path: path ?? "/",
            kind: kind,
            payloadFormatVersion: payloadFormatVersion,
            functionLogicalID: function.id,
            apiLogicalID: scopedID(api.logicalID),
            stageName: context.stageName,
            cors: context.cors,
            authorizer: try authorizer(api: apiProps, event: props, kind: kind),
            binaryMediaTypes: context.binaryMediaTypes,
            eventName: event.key,
            stageVariables: context.stageVariables
        )
    }

    /// The stage, CORS and binary media types of an API resource of any kind: SAM's `AWS::Serverless::Api` /
    /// `HttpApi` (with Globals), or a raw `AWS::ApiGateway::RestApi` / `AWS::ApiGatewayV2::Api` with its stage
    /// resources.
    func apiContext(_ api: TemplateResource) throws(ProjectError) -> APIDefinitionContext {
        switch api.type {
        case "AWS::Serverless::Api":
            let props = try properties(of: api, globalsSection: "Api")
            return APIDefinitionContext(
                api: api, kind: .rest,
                stageName: (api.isImplicit ? nil : try string(props["StageName"])) ?? "Prod",
                stageVariables: api.isImplicit ? [:] : try stringMap(props["Variables"]),
                cors: try restCORS(props["Cors"]),
                binaryMediaTypes: try binaryMediaTypes(props["BinaryMediaTypes"]))
        case "AWS::Serverless::HttpApi":
            let props = try properties(of: api, globalsSection: "HttpApi")
            return APIDefinitionContext(
                api: api, kind: .http,
                stageName: (api.isImplicit ? nil : try string(props["StageName"])) ?? "$default",
                stageVariables: api.isImplicit ? [:] : try stringMap(props["StageVariables"]),
                cors: try httpCORS(props["CorsConfiguration"]),
                binaryMediaTypes: [])
        case "AWS::ApiGatewayV2::Api":
            let props = try properties(of: api, globalsSection: nil)
            let stage = try stageResource(of: api, type: "AWS::ApiGatewayV2::Stage", apiKey: "ApiId")
            return APIDefinitionContext(
                api: api, kind: .http,
                stageName: try string(stage?["StageName"]) ?? "$default",
                stageVariables: try stringMap(stage?["StageVariables"]),
                cors: try httpCORS(props["CorsConfiguration"]),
                binaryMediaTypes: [])
        default:
            let props = try properties(of: api, globalsSection: nil)
            var stage = try stageResource(of: api, type: "AWS::ApiGateway::Stage", apiKey: "RestApiId")
            var variables = stage?["Variables"]
            if stage == nil {
                stage = try stageResource(of: api, type: "AWS::ApiGateway::Deployment", apiKey: "RestApiId")
                variables = stage?["StageDescription"]?["Variables"]
            }
            return APIDefinitionContext(
                api: api, kind: .rest,
                stageName: try string(stage?["StageName"]) ?? "Prod",
                stageVariables: try stringMap(variables),
                cors: nil,
                binaryMediaTypes: try binaryMediaTypes(props["BinaryMediaTypes"]))
        }
    }

    /// `BinaryMediaTypes`, with SAM's `~1` turned back into `/`.
    func binaryMediaTypes(_ node: TemplateNode?) throws(ProjectError) -> [String] {
        (try stringList(node) ?? []).map { $0.replacingOccurrences(of: "~1", with: "/") }
    }

    /// The `Properties` of the first stage (or deployment) resource of `type` whose `apiKey` refers to `api`.
    func stageResource(of api: TemplateResource, type: String, apiKey: String) throws(ProjectError) -> TemplateNode? {
        for resource in resources where resource.type == type {
            guard let properties = resource.properties, let reference = properties[apiKey],
                try referenceTarget(reference)?.logicalID == api.logicalID
            else { continue }
            if type.hasSuffix("Deployment"), properties["StageName"] == nil { continue }
            return properties
        }
        return nil
    }

    /// A logical id of this template as the project knows it: prefixed with the nested stacks' path.
    func scopedID(_ logicalID: String) -> String {
        stackPath.isEmpty ? logicalID : "\(stackPath)/\(logicalID)"
    }

    /// A map of strings (stage variables), resolved; empty when absent.
    func stringMap(_ node: TemplateNode?) throws(ProjectError) -> [String: String] {
        guard let node, let value = try resolver.resolve(node) else { return [:] }
        guard case .object(let members) = value else { throw error(.invalidValue, node, "must be a map of strings") }
        var result: [String: String] = [:]
        for (key, member) in members {
            guard let text = member.scalarString else {
                throw error(.invalidValue, node, "\(key) must be a string")
            }
            result[key] = text
        }
        return result
    }

    /// The API resource a `RestApiId` / `ApiId` names, or the implicit one.
    func apiResource(_ node: TemplateNode?, kind: APIKind) throws(ProjectError) -> TemplateResource {
        let expectedType = kind == .rest ? "AWS::Serverless::Api" : "AWS::Serverless::HttpApi"
        let implicitID = kind == .rest ? "ServerlessRestApi" : "ServerlessHttpApi"
        guard let node, !node.isNull else {
            return resourcesByID[implicitID]
                ?? TemplateResource(
                    logicalID: implicitID,
                    type: expectedType,
                    properties: nil,
                    node: root,
                    condition: nil,
                    isImplicit: true
                )
        }
        var target = try referenceTarget(node)
        if target == nil, let name = try string(node) {
            target = resourcesByID[name]
            if target == nil {
                throw error(.unknownReference, node, "\"\(name)\" is not an \(expectedType) of this template")
            }
        }
        guard let target, target.type == expectedType else {
            let what = target.map { "\($0.logicalID), which is a \($0.type)" } ?? "nothing"
            throw error(.invalidValue, node, "must refer to an \(expectedType) of this template, not \(what)")
        }
        return target
    }

    // MARK: - CORS

    /// Every method API Gateway CORS can allow, sorted (SAM CLI's `Route.ANY_HTTP_METHODS`).
    static let corsMethods = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]

    /// Normalizes `AllowMethods` as SAM CLI does: unset or `*` -> every method; else upper-cased, checked, with
    /// OPTIONS added, sorted.
    func corsMethods(_ methods: [String]?, node: TemplateNode) throws(ProjectError) -> [String] {
        guard let methods, !methods.isEmpty, !methods.contains("*") else { return Self.corsMethods }
        var normalized: Set<String> = ["OPTIONS"]
        for method in methods {
            let upper = method.trimmingCharacters(in: .whitespaces).uppercased()
            guard Self.corsMethods.contains(upper) else {
                throw error(.invalidValue, node, "\(upper) is not a valid CORS method")
            }
            normalized.insert(upper)
        }
        return normalized.sorted()
    }

    /// SAM's REST `Cors`: a quoted origin string (`"'*'"`), or a map of quoted strings.
    func restCORS(_ node: TemplateNode?) throws(ProjectError) -> CORSSpec? {
        guard let node, let value = try resolver.resolve(node) else { return nil }
        func unquote(_ text: String, _ name: String) throws(ProjectError) -> String {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard trimmed.count >= 2, trimmed.hasPrefix("'"), trimmed.hasSuffix("'") else {
                throw error(
                    .invalidValue, node,
                    "\(name) must be a quoted string (\"'\(trimmed)'\" is correct, \"\(trimmed)\" is not)")
            }
            return String(trimmed.dropFirst().dropLast())
        }
        func list(_ member: JSONValue?, _ name: String) throws(ProjectError) -> [String]? {
            guard let text = member?.scalarString else { return nil }
            return try unquote(text, name).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        switch value {
        case .string(let origin):
            return CORSSpec(allowOrigins: [try unquote(origin, "Cors")], allowMethods: Self.corsMethods)
        case .object(let members):
            guard let origin = members["AllowOrigin"]?.scalarString else {
                throw error(.missingProperty, node, "Cors needs AllowOrigin (for example \"'*'\")")
            }
            var maxAge: Int?
            if let text = members["MaxAge"]?.scalarString {
                guard let seconds = Int(try unquote(text, "Cors.MaxAge")) else {
                    throw error(.invalidValue, node, "Cors.MaxAge must be an integer")
                }
                maxAge = seconds
            }
            var credentials = false
            if let flag = members["AllowCredentials"] {
                guard let text = flag.scalarString,
                    ["true", "false", "'true'", "'false'"].contains(text.lowercased())
                else {
                    throw error(.invalidValue, node, "Cors.AllowCredentials must be true or false")
                }
                credentials = text.lowercased().contains("true")
            }
            return CORSSpec(
                allowOrigins: [try unquote(origin, "Cors.AllowOrigin")],
                allowMethods: try corsMethods(try list(members["AllowMethods"], "Cors.AllowMethods"), node: node),
                allowHeaders: try list(members["AllowHeaders"], "Cors.AllowHeaders") ?? [],
                maxAge: maxAge,
                allowCredentials: credentials
            )
        default:
            throw error(.invalidValue, node, "Cors must be a string or a map")
        }
    }

    /// HTTP API `CorsConfiguration`: `true` (any origin, every method) or a map of lists.
    func httpCORS(_ node: TemplateNode?) throws(ProjectError) -> CORSSpec? {
        guard let node, let value = try resolver.resolve(node) else { return nil }
        switch value {
        case .bool(let enabled):
            return enabled ? CORSSpec(allowOrigins: ["*"], allowMethods: Self.corsMethods) : nil
        case .object:
            func list(_ key: String) throws(ProjectError) -> [String] {
                try stringList(node[key]) ?? []
            }
            return CORSSpec(
                allowOrigins: try list("AllowOrigins"),
                allowMethods: try corsMethods(try stringList(node["AllowMethods"]), node: node),
                allowHeaders: try list("AllowHeaders"),
                exposeHeaders: try list("ExposeHeaders"),
                maxAge: try integer(node["MaxAge"]),
                allowCredentials: try boolean(node["AllowCredentials"]) ?? false
            )
        default:
            throw error(.invalidValue, node, "CorsConfiguration must be true or a map")
        }
    }

    // MARK: - Authorizers

    /// The Lambda authorizer for a route: the event's `Auth.Authorizer`, else the API's `DefaultAuthorizer`.
    /// `NONE` and `AWS_IAM`, and authorizers without a `FunctionArn` (Cognito, JWT), give nil.
    func authorizer(api: TemplateNode, event: TemplateNode, kind: APIKind) throws(ProjectError) -> AuthorizerSpec? {
        let auth = api["Auth"]
        var nameNode = event["Auth"]?["Authorizer"]
        if nameNode == nil { nameNode = auth?["DefaultAuthorizer"] }
        guard let nameNode, let name = try string(nameNode), name != "NONE", name != "AWS_IAM" else { return nil }
        guard let definition = auth?["Authorizers"]?[name] else {
            throw error(.unknownReference, nameNode, "no authorizer named \"\(name)\" in the API's Auth.Authorizers")
        }
        guard let arnNode = definition["FunctionArn"] else { return nil }
        let functionID = try authorizerFunction(arnNode)
        let identity = definition["Identity"]
        var sources: [String] = []
        if kind == .rest {
            let payloadType = (try string(definition["FunctionPayloadType"]) ?? "TOKEN").uppercased()
            guard payloadType == "TOKEN" || payloadType == "REQUEST" else {
                throw error(
                    .invalidValue,
                    definition["FunctionPayloadType"] ?? definition,
                    "FunctionPayloadType must be TOKEN or REQUEST"
                )
            }
            if payloadType == "TOKEN" {
                let header = try string(identity?["Header"]) ?? "Authorization"
                return AuthorizerSpec(
                    name: name,
                    functionLogicalID: functionID,
                    type: .token,
                    identitySources: ["method.request.header.\(header)"]
                )
            }
            sources += (try stringList(identity?["Headers"]) ?? []).map { "method.request.header.\($0)" }
            sources += (try stringList(identity?["QueryStrings"]) ?? []).map { "method.request.querystring.\($0)" }
            sources += (try stringList(identity?["StageVariables"]) ?? []).map { "stageVariables.\($0)" }
            sources += (try stringList(identity?["Context"]) ?? []).map { "context.\($0)" }
            return AuthorizerSpec(name: name, functionLogicalID: functionID, type: .request, identitySources: sources)
        }
        let version = try string(definition["AuthorizerPayloadFormatVersion"]) ?? "2.0"
        guard version == "1.0" || version == "2.0" else {
            throw error(
                .invalidValue,
                definition["AuthorizerPayloadFormatVersion"] ?? definition,
                "AuthorizerPayloadFormatVersion must be 1.0 or 2.0"
            )
        }
        sources += (try stringList(identity?["Headers"]) ?? []).map { "$request.header.\($0)" }
        sources += (try stringList(identity?["QueryStrings"]) ?? []).map { "$request.querystring.\($0)" }
        sources += (try stringList(identity?["StageVariables"]) ?? []).map { "$stageVariables.\($0)" }
        sources += (try stringList(identity?["Context"]) ?? []).map { "$context.\($0)" }
        return AuthorizerSpec(
            name: name,
            functionLogicalID: functionID,
            type: .request,
            identitySources: sources,
            payloadFormatVersion: version,
            enableSimpleResponses: try boolean(definition["EnableSimpleResponses"]) ?? false
        )
    }

    /// The logical id of the function behind an authorizer's `FunctionArn`.
    func authorizerFunction(_ node: TemplateNode) throws(ProjectError) -> String {
        if let target = try referenceTarget(node) {
            guard Self.functionTypes.contains(target.type) else {
                throw error(.invalidValue, node, "FunctionArn refers to \(target.logicalID), which is not a function")
            }
            return scopedID(target.logicalID)
        }
        if let arn = try string(node) {
            for resource in resources where Self.functionTypes.contains(resource.type) {
                if try resolver.getAtt(resource.logicalID, "Arn", at: node) == arn { return scopedID(resource.logicalID) }
            }
        }
        throw error(.invalidValue, node, "FunctionArn must be !GetAtt <Function>.Arn of a function in this template")
    }
}

import Foundation

/// An API resource of the template with its front-door settings, as OpenAPI and raw-resource routes need them.
struct APIDefinitionContext {
    var api: TemplateResource
    var kind: APIKind
    var stageName: String
    var stageVariables: [String: String]
    var cors: CORSSpec?
    var binaryMediaTypes: [String]
}

extension SAMTemplateLoader {
    /// HTTP methods an OpenAPI path item may have, and the extension key API Gateway reads as ANY.
    static let openAPIMethods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch"]
    static let anyMethodKey = "x-amazon-apigateway-any-method"

    /// Adds the routes of every API's OpenAPI definition (`DefinitionBody` / `DefinitionUri` of
    /// `AWS::Serverless::Api` and `AWS::Serverless::HttpApi`; `Body` / `BodyS3Location` of `AWS::ApiGateway::RestApi`
    /// and `AWS::ApiGatewayV2::Api`) to the routes of the functions' events. As the SAM transform merges events into
    /// the definition, an event's route wins over the definition's route for the same method and path.
    func mergeDefinitionRoutes(
        _ eventRoutes: [Route],
        functions: [FunctionSpec],
        notes: inout [Diagnostic]
    ) -> [Route] {
        var routes = eventRoutes
        var taken = Set(eventRoutes.map { "\($0.apiLogicalID) \($0.method) \($0.path)" })
        for resource in resources where !resource.isImplicit {
            guard let keys = Self.definitionKeys[resource.type], included(resource, notes: &notes) else { continue }
            do {
                guard let document = try definition(resource, keys: keys) else { continue }
                let context = try apiContext(resource)
                for route in try openAPIRoutes(document, context: context, functions: functions, notes: &notes) {
                    guard taken.insert("\(route.apiLogicalID) \(route.method) \(route.path)").inserted else { continue }
                    routes.append(route)
                }
            } catch {
                notes.append(Diagnostic(.error, error, suffix: " (the API's definition is not served)"))
            }
        }
        return routes
    }

    /// The inline and file properties that hold an API's OpenAPI definition, by resource type.
    static let definitionKeys: [String: (inline: String, file: String)] = [
        "AWS::Serverless::Api": ("DefinitionBody", "DefinitionUri"),
        "AWS::Serverless::HttpApi": ("DefinitionBody", "DefinitionUri"),
        "AWS::ApiGateway::RestApi": ("Body", "BodyS3Location"),
        "AWS::ApiGatewayV2::Api": ("Body", "BodyS3Location"),
    ]

    /// An API's OpenAPI document: inline (an `AWS::Include` transform of a local file is read), or a local file;
    /// nil when the API has none.
    /// - Throws: `ProjectError` when the definition is on S3 or cannot be read.
    func definition(_ resource: TemplateResource, keys: (inline: String, file: String)) throws(ProjectError)
        -> TemplateNode?
    {
        let props = try properties(of: resource, globalsSection: nil)
        if let body = props[keys.inline], !body.isNull { return try includedNode(body) }
        if let asset = try cdkAsset(resource, property: keys.file) { return try definitionFile(asset.url) }
        guard let location = props[keys.file], !location.isNull else { return nil }
        if location.entries != nil, location.intrinsic == nil {
            throw error(.unsupported, location, "\(keys.file) points at S3 (Bucket/Key); give a local file")
        }
        guard let path = try string(location) else { return nil }
        if path.contains("://") {
            throw error(.unsupported, location, "\(path) is not a local file; give a path relative to the template")
        }
        return try definitionFile(ProjectLoader.resolvePath(path, relativeTo: templateDirectory), node: location)
    }

    /// `node`, or, when it is `Fn::Transform` of `AWS::Include`, the included local file (whose intrinsic functions
    /// are then resolved like the template's own, as CloudFormation does).
    func includedNode(_ node: TemplateNode) throws(ProjectError) -> TemplateNode {
        guard let (name, argument) = node.intrinsic, name == "Fn::Transform" else { return node }
        guard try string(argument["Name"]) == "AWS::Include", let locationNode = argument["Parameters"]?["Location"]
        else {
            throw error(.unsupported, node, "only the AWS::Include transform is read locally")
        }
        guard let location = try string(locationNode) else {
            throw error(.invalidValue, locationNode, "Location is empty")
        }
        if location.contains("://") {
            throw error(.unsupported, locationNode, "\(location) is not a local file; give a path relative to the template")
        }
        return try definitionFile(ProjectLoader.resolvePath(location, relativeTo: templateDirectory), node: locationNode)
    }

    /// Reads an OpenAPI (or included) file.
    func definitionFile(_ url: URL, node: TemplateNode? = nil) throws(ProjectError) -> TemplateNode {
        guard FileManager.default.fileExists(atPath: url.path) else {
            if let node { throw error(.invalidValue, node, "no such file: \(url.path)") }
            throw ProjectError(.invalidValue, file: file, message: "no such file: \(url.path)")
        }
        readFiles.urls.append(url)
        return try ProjectLoader.parseFile(url, workingDirectory: options.workingDirectory, what: "definition").root
    }

    // MARK: - Routes of a document

    /// The Lambda proxy routes of an OpenAPI 2.0 / 3.0 document: every operation whose
    /// `x-amazon-apigateway-integration` is `aws_proxy` and names a function of this template. Other integrations
    /// (mock, http, AWS service) have nothing to run locally and are skipped with a note.
    func openAPIRoutes(
        _ document: TemplateNode,
        context: APIDefinitionContext,
        functions: [FunctionSpec],
        notes: inout [Diagnostic]
    ) throws(ProjectError) -> [Route] {
        guard let paths = document["paths"]?.entries else { return [] }
        var context = context
        context.binaryMediaTypes += try stringList(document["x-amazon-apigateway-binary-media-types"]) ?? []
        if context.cors == nil, context.kind == .http, let cors = document["x-amazon-apigateway-cors"] {
            context.cors = try openAPICORS(cors)
        }
        var routes: [Route] = []
        for pathEntry in paths {
            guard let operations = pathEntry.value.entries else { continue }
            for operation in operations {
                let key = operation.key.lowercased()
                guard Self.openAPIMethods.contains(key) || key == Self.anyMethodKey else { continue }
                guard let integration = operation.value["x-amazon-apigateway-integration"] else { continue }
                do throws(ProjectError) {
                    let type = (try string(integration["type"]) ?? "").lowercased()
                    guard type == "aws_proxy" else {
                        notes.append(
                            Diagnostic(
                                .warning, at: integration.location, path: integration.path,
                                message: "a \(type.isEmpty ? "typeless" : type) integration has no function to run"
                                    + " locally; \(operation.key.uppercased()) \(pathEntry.key) is not served"))
                        continue
                    }
                    guard let uriNode = integration["uri"], let uri = try string(uriNode) else {
                        throw error(.missingProperty, integration, "an aws_proxy integration needs a uri")
                    }
                    let function = try integrationFunction(uri, node: uriNode, functions: functions)
                    var version = context.kind == .rest ? "1.0" : "2.0"
                    if context.kind == .http, let node = integration["payloadFormatVersion"],
                        let text = try resolver.stringified(node)
                    {
                        version = text
                    }
                    let security = operation.value["security"] ?? document["security"]
                    routes.append(
                        Route(
                            method: key == Self.anyMethodKey ? "ANY" : key.uppercased(),
                            path: pathEntry.key,
                            kind: context.kind,
                            payloadFormatVersion: version,
                            functionLogicalID: function,
                            apiLogicalID: scopedID(context.api.logicalID),
                            stageName: context.stageName,
                            cors: context.cors,
                            authorizer: try openAPIAuthorizer(
                                security, document: document, kind: context.kind, functions: functions),
                            binaryMediaTypes: context.binaryMediaTypes,
                            stageVariables: context.stageVariables,
                            location: operation.keyLocation
                        ))
                } catch {
                    notes.append(Diagnostic(.error, error, suffix: " (the route is not served)"))
                }
            }
        }
        return routes
    }

    /// The id of the function an integration URI invokes:
    /// `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`, or the function
    /// ARN itself (HTTP APIs); the function is matched by its name (a qualifier is ignored).
    func integrationFunction(_ uri: String, node: TemplateNode, functions: [FunctionSpec]) throws(ProjectError)
        -> String
    {
        guard let name = Self.functionName(inInvocationURI: uri) else {
            throw error(.invalidValue, node, "\(uri) is not a Lambda invocation URI or function ARN")
        }
        let local = functions.filter { $0.stackPath == stackPath }
        guard let function = local.first(where: { $0.functionName == name }) ?? local.first(where: { $0.logicalID == name })
        else {
            throw error(.unknownReference, node, "\(uri) invokes the function \"\(name)\", which is not in this template")
        }
        return function.id
    }

    /// The function name in an invocation URI or function ARN (`...:function:NAME[:qualifier][/invocations]`).
    static func functionName(inInvocationURI uri: String) -> String? {
        guard let range = uri.range(of: ":function:") else { return nil }
        let name = uri[range.upperBound...].prefix { $0 != ":" && $0 != "/" }
        return name.isEmpty ? nil : String(name)
    }

    /// `x-amazon-apigateway-cors` of an HTTP API definition.
    func openAPICORS(_ node: TemplateNode) throws(ProjectError) -> CORSSpec {
        CORSSpec(
            allowOrigins: try stringList(node["allowOrigins"]) ?? [],
            allowMethods: try corsMethods(try stringList(node["allowMethods"]), node: node),
            allowHeaders: try stringList(node["allowHeaders"]) ?? [],
            exposeHeaders: try stringList(node["exposeHeaders"]) ?? [],
            maxAge: try integer(node["maxAge"]),
            allowCredentials: try boolean(node["allowCredentials"]) ?? false
        )
    }

    /// The Lambda authorizer named by an operation's `security` requirement, from the document's
    /// `securityDefinitions` (2.0) or `components.securitySchemes` (3.0) with `x-amazon-apigateway-authorizer`;
    /// nil for no requirement and for authorizers without a function (JWT, Cognito, IAM).
    func openAPIAuthorizer(
        _ security: TemplateNode?,
        document: TemplateNode,
        kind: APIKind,
        functions: [FunctionSpec]
    ) throws(ProjectError) -> AuthorizerSpec? {
        guard let requirements = security?.elements else { return nil }
        let schemes = document["securityDefinitions"] ?? document["components"]?["securitySchemes"]
        for requirement in requirements {
            for entry in requirement.entries ?? [] {
                guard let scheme = schemes?[entry.key], let authorizer = scheme["x-amazon-apigateway-authorizer"]
                else { continue }
                let type = (try string(authorizer["type"]) ?? "token").lowercased()
                guard type == "token" || type == "request", let uriNode = authorizer["authorizerUri"],
                    let uri = try string(uriNode)
                else { continue }
                let function = try integrationFunction(uri, node: uriNode, functions: functions)
                var sources = try identitySources(authorizer["identitySource"])
                if kind == .rest, type == "token" {
                    if sources.isEmpty, let header = try string(scheme["name"]) {
                        sources = ["method.request.header.\(header)"]
                    }
                    return AuthorizerSpec(
                        name: entry.key, functionLogicalID: function, type: .token,
                        identitySources: sources.isEmpty ? ["method.request.header.Authorization"] : sources)
                }
                if kind == .rest {
                    return AuthorizerSpec(
                        name: entry.key, functionLogicalID: function, type: .request, identitySources: sources)
                }
                return AuthorizerSpec(
                    name: entry.key,
                    functionLogicalID: function,
                    type: .request,
                    identitySources: sources,
                    payloadFormatVersion: try resolver.stringified(authorizer["authorizerPayloadFormatVersion"]
                        ?? TemplateNode(kind: .scalar("2.0", plain: false), location: authorizer.location, path: ""))
                        ?? "2.0",
                    enableSimpleResponses: try boolean(authorizer["enableSimpleResponses"]) ?? false
                )
            }
        }
        return nil
    }

    /// Identity sources written as a comma-separated string or a list.
    func identitySources(_ node: TemplateNode?) throws(ProjectError) -> [String] {
        guard let node, let list = try stringList(node) else { return [] }
        return list.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}

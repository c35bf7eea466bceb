import Foundation

extension SAMTemplateLoader {
    /// The routes of APIs written as plain CloudFormation, as CDK and the Serverless Framework write them:
    /// `AWS::ApiGateway::Method`s (their path from the `AWS::ApiGateway::Resource` tree), `AWS::ApiGatewayV2::Route`s
    /// with their `Integration`, and quick-create HTTP APIs (`AWS::ApiGatewayV2::Api` with `Target`). Only Lambda
    /// proxy integrations run locally; `AWS::Lambda::Permission`s are not needed.
    func cloudFormationRoutes(functions: [FunctionSpec], notes: inout [Diagnostic]) -> [Route] {
        var routes: [Route] = []
        for resource in resources where Self.routeResourceTypes.contains(resource.type) {
            guard included(resource, notes: &notes) else { continue }
            do {
                let route: Route?
                switch resource.type {
                case "AWS::ApiGateway::Method": route = try restMethodRoute(resource, functions: functions)
                case "AWS::ApiGatewayV2::Route": route = try httpRoute(resource, functions: functions)
                default: route = try quickCreateRoute(resource, functions: functions)
                }
                if let route { routes.append(route) }
            } catch {
                notes.append(Diagnostic(.error, error, suffix: " (the route is not served)"))
            }
        }
        return routes
    }

    /// The resource types that make a route on their own.
    static let routeResourceTypes: Set<String> = [
        "AWS::ApiGateway::Method", "AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Api",
    ]

    // MARK: - REST

    /// An `AWS::ApiGateway::Method` with an `AWS_PROXY` integration; nil for other integrations (CDK's CORS
    /// preflight methods are `MOCK`).
    func restMethodRoute(_ resource: TemplateResource, functions: [FunctionSpec]) throws(ProjectError) -> Route? {
        let props = try properties(of: resource, globalsSection: nil)
        guard let integration = props["Integration"],
            (try string(integration["Type"]))?.uppercased() == "AWS_PROXY"
        else { return nil }
        let api = try referencedResource(props["RestApiId"], type: "AWS::ApiGateway::RestApi", in: props, key: "RestApiId")
        guard let uriNode = integration["Uri"], let uri = try string(uriNode) else {
            throw error(.missingProperty, integration, "an AWS_PROXY integration needs a Uri")
        }
        guard let methodNode = props["HttpMethod"], let method = try string(methodNode)?.uppercased() else {
            throw error(.missingProperty, props, "missing HttpMethod")
        }
        let context = try apiContext(api)
        var authorizer: AuthorizerSpec?
        if (try string(props["AuthorizationType"]))?.uppercased() == "CUSTOM" {
            let target = try referencedResource(
                props["AuthorizerId"], type: "AWS::ApiGateway::Authorizer", in: props, key: "AuthorizerId")
            authorizer = try restAuthorizer(target, functions: functions)
        }
        return Route(
            method: method,
            path: try resourcePath(props["ResourceId"], owner: props),
            kind: .rest,
            payloadFormatVersion: "1.0",
            functionLogicalID: try integrationFunction(uri, node: uriNode, functions: functions),
            apiLogicalID: scopedID(api.logicalID),
            stageName: context.stageName,
            cors: context.cors,
            authorizer: authorizer,
            binaryMediaTypes: context.binaryMediaTypes,
            stageVariables: context.stageVariables,
            location: resource.node.location
        )
    }

    /// The path of a REST resource: `/` for the API's `RootResourceId`, else its parents' path parts joined.
    func resourcePath(_ node: TemplateNode?, owner: TemplateNode) throws(ProjectError) -> String {
        var parts: [String] = []
        var current = node
        for _ in 0..<64 {
            guard let reference = current else {
                throw error(.missingProperty, owner, "missing ResourceId / ParentId")
            }
            if let (name, argument) = reference.intrinsic, name == "Fn::GetAtt",
                try resolver.getAttArguments(argument, at: reference).1 == "RootResourceId"
            {
                return "/" + parts.reversed().joined(separator: "/")
            }
            let resource = try referencedResource(reference, type: "AWS::ApiGateway::Resource", in: owner, key: "ResourceId")
            let props = try properties(of: resource, globalsSection: nil)
            guard let part = try string(props["PathPart"]) else {
                throw error(.missingProperty, props, "missing PathPart")
            }
            parts.append(part)
            current = props["ParentId"]
        }
        throw error(.invalidValue, owner, "the resource tree is deeper than 64 levels (a ParentId cycle?)")
    }

    /// An `AWS::ApiGateway::Authorizer` of type TOKEN or REQUEST; nil for Cognito authorizers.
    func restAuthorizer(_ resource: TemplateResource, functions: [FunctionSpec]) throws(ProjectError) -> AuthorizerSpec? {
        let props = try properties(of: resource, globalsSection: nil)
        let type = (try string(props["Type"]) ?? "TOKEN").uppercased()
        guard type == "TOKEN" || type == "REQUEST", let uriNode = props["AuthorizerUri"], let uri = try string(uriNode)
        else { return nil }
        var sources = try identitySources(props["IdentitySource"])
        if type == "TOKEN", sources.isEmpty { sources = ["method.request.header.Authorization"] }
        return AuthorizerSpec(
            name: try string(props["Name"]) ?? resource.logicalID,
            functionLogicalID: try integrationFunction(uri, node: uriNode, functions: functions),
            type: type == "TOKEN" ? .token : .request,
            identitySources: sources
        )
    }

    // MARK: - HTTP

    /// An `AWS::ApiGatewayV2::Route` whose `Target` is an `AWS_PROXY` integration of a function.
    func httpRoute(_ resource: TemplateResource, functions: [FunctionSpec]) throws(ProjectError) -> Route? {
        let props = try properties(of: resource, globalsSection: nil)
        let api = try referencedResource(props["ApiId"], type: "AWS::ApiGatewayV2::Api", in: props, key: "ApiId")
        guard let routeKeyNode = props["RouteKey"], let routeKey = try string(routeKeyNode) else {
            throw error(.missingProperty, props, "missing RouteKey")
        }
        guard let targetNode = props["Target"], let target = try string(targetNode) else { return nil }
        guard target.hasPrefix("integrations/"), let integration = resourcesByID[String(target.dropFirst(13))],
            integration.type == "AWS::ApiGatewayV2::Integration"
        else {
            throw error(.unknownReference, targetNode, "Target \(target) is not integrations/<an integration of this template>")
        }
        let integrationProps = try properties(of: integration, globalsSection: nil)
        guard (try string(integrationProps["IntegrationType"]))?.uppercased() == "AWS_PROXY" else { return nil }
        guard let uriNode = integrationProps["IntegrationUri"], let uri = try string(uriNode) else {
            throw error(.missingProperty, integrationProps, "an AWS_PROXY integration needs an IntegrationUri")
        }
        var authorizer: AuthorizerSpec?
        if (try string(props["AuthorizationType"]))?.uppercased() == "CUSTOM" {
            let target = try referencedResource(
                props["AuthorizerId"], type: "AWS::ApiGatewayV2::Authorizer", in: props, key: "AuthorizerId")
            authorizer = try httpAuthorizer(target, functions: functions)
        }
        let version = try integrationProps["PayloadFormatVersion"].flatMap { node throws(ProjectError) in
            try resolver.stringified(node)
        }
        return try httpAPIRoute(
            routeKey, api: api, version: version ?? "2.0",
            function: try integrationFunction(uri, node: uriNode, functions: functions),
            authorizer: authorizer, node: routeKeyNode, location: resource.node.location)
    }

    /// The route of a quick-create HTTP API (`Target` on the `AWS::ApiGatewayV2::Api`): `RouteKey`, default
    /// `$default`, with payload format 2.0.
    func quickCreateRoute(_ resource: TemplateResource, functions: [FunctionSpec]) throws(ProjectError) -> Route? {
        let props = try properties(of: resource, globalsSection: nil)
        guard let targetNode = props["Target"], let target = try string(targetNode) else { return nil }
        let routeKeyNode = props["RouteKey"] ?? targetNode
        return try httpAPIRoute(
            try string(props["RouteKey"]) ?? "$default", api: resource, version: "2.0",
            function: try integrationFunction(target, node: targetNode, functions: functions),
            authorizer: nil, node: routeKeyNode, location: resource.node.location)
    }

    /// An HTTP API route from its route key (`GET /items/{id}`, `ANY /{proxy+}` or `$default`).
    func httpAPIRoute(
        _ routeKey: String,
        api: TemplateResource,
        version: String,
        function: String,
        authorizer: AuthorizerSpec?,
        node: TemplateNode,
        location: SourceLocation
    ) throws(ProjectError) -> Route {
        var method = "ANY"
        var path = "$default"
        if routeKey != "$default" {
            let parts = routeKey.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw error(.invalidValue, node, "RouteKey \"\(routeKey)\" must be \"METHOD /path\" or $default")
            }
            (method, path) = (parts[0].uppercased(), parts[1])
        }
        guard version == "1.0" || version == "2.0" else {
            throw error(.invalidValue, node, "PayloadFormatVersion must be 1.0 or 2.0, not \(version)")
        }
        let context = try apiContext(api)
        return Route(
            method: method,
            path: path,
            kind: .http,
            payloadFormatVersion: version,
            functionLogicalID: function,
            apiLogicalID: scopedID(api.logicalID),
            stageName: context.stageName,
            cors: context.cors,
            authorizer: authorizer,
            stageVariables: context.stageVariables,
            location: location
        )
    }

    /// An `AWS::ApiGatewayV2::Authorizer` of type REQUEST (a Lambda authorizer); nil for JWT authorizers.
    func httpAuthorizer(_ resource: TemplateResource, functions: [FunctionSpec]) throws(ProjectError) -> AuthorizerSpec? {
        let props = try properties(of: resource, globalsSection: nil)
        guard (try string(props["AuthorizerType"]))?.uppercased() == "REQUEST", let uriNode = props["AuthorizerUri"],
            let uri = try string(uriNode)
        else { return nil }
        let version = try props["AuthorizerPayloadFormatVersion"].flatMap { node throws(ProjectError) in
            try resolver.stringified(node)
        }
        return AuthorizerSpec(
            name: try string(props["Name"]) ?? resource.logicalID,
            functionLogicalID: try integrationFunction(uri, node: uriNode, functions: functions),
            type: .request,
            identitySources: try identitySources(props["IdentitySource"]),
            payloadFormatVersion: version ?? "2.0",
            enableSimpleResponses: try boolean(props["EnableSimpleResponses"]) ?? false
        )
    }

    // MARK: - References

    /// The resource of `type` that `node` (`Ref`, `Fn::GetAtt`, or a logical id) refers to.
    func referencedResource(
        _ node: TemplateNode?,
        type: String,
        in owner: TemplateNode,
        key: String
    ) throws(ProjectError) -> TemplateResource {
        guard let node else { throw error(.missingProperty, owner, "missing \(key)") }
        var target = try referenceTarget(node)
        if target == nil, let name = node.scalarText { target = resourcesByID[name] }
        guard let target, target.type == type else {
            let what = target.map { "\($0.logicalID), which is a \($0.type)" } ?? "nothing in this template"
            throw error(.invalidValue, node, "\(key) must refer to an \(type) of this template, not \(what)")
        }
        return target
    }
}

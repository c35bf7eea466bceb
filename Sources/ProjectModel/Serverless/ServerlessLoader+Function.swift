import Foundation

extension ServerlessLoader {
    /// One entry of `functions`, with provider settings merged (the function wins), and its API routes.
    func function(key: String, node: TemplateNode, raw: TemplateNode) throws(ProjectError) -> (FunctionSpec, [Route]) {
        guard node.entries != nil else {
            throw error(.invalidValue, node, "a function must be a map with a handler")
        }
        let imageNode = node["image"]
        var handler = try string(node["handler"])
        var runtime = try string(node["runtime"])
        if runtime == nil { runtime = try string(provider["runtime"]) }
        var packageType = "Zip"
        var imageURI: String?
        let code: CodeLocation
        if let imageNode, !imageNode.isNull {
            packageType = "Image"
            runtime = nil
            handler = nil
            imageURI = try string(imageNode["uri"] ?? imageNode["name"] ?? imageNode)
            code = .directory(serviceDirectory)
        } else {
            guard handler != nil else {
                throw ProjectError(
                    .missingProperty,
                    at: node.location,
                    path: TemplateNode.join(node.path, "handler"),
                    message: "missing handler (for example handler.hello for handler.js exporting hello)"
                )
            }
            runtime = runtime ?? Self.defaultRuntime
            code = try functionCode(node)
        }
        var environment: [String: String] = [:]
        for source in [try variables.value(atPath: ["provider", "environment"]), node["environment"]] {
            guard let source, !source.isNull else { continue }
            guard let entries = source.entries else {
                throw error(.invalidValue, source, "environment must be a map")
            }
            for entry in entries {
                if let value = try resolver.stringified(entry.value) { environment[entry.key] = value }
            }
        }
        var layerSpecs: [LayerSpec] = []
        var remoteLayers: [String] = []
        try readFunctionLayers(node["layers"] ?? provider["layers"], into: &layerSpecs, remote: &remoteLayers)
        let iamRole = provider["iam"]?["role"]
        let statements = iamRole?.entries != nil ? iamRole?["statements"] : provider["iamRoleStatements"]
        let architecture = try firstString(node["architecture"], provider["architecture"]) ?? "x86_64"
        let functionName = try string(node["name"]) ?? "\(service)-\(stage)-\(key)"
        let (events, routes) = try self.events(node["events"], functionKey: key)
        var spec = FunctionSpec(
            logicalID: key,
            functionName: functionName,
            runtime: runtime,
            handler: handler,
            code: code,
            timeout: try firstInteger(node["timeout"], provider["timeout"]) ?? Self.defaultTimeout,
            memorySize: try firstInteger(node["memorySize"], provider["memorySize"]) ?? Self.defaultMemorySize,
            environment: environment,
            role: try role(node),
            policies: try statements.flatMap { node throws(ProjectError) in try resolver.resolve(node) },
            events: events,
            layers: layerSpecs,
            remoteLayers: remoteLayers,
            architectures: [architecture],
            functionURL: try node["url"].flatMap { node throws(ProjectError) in try resolver.resolve(node) },
            packageType: packageType,
            imageURI: imageURI,
            resourceType: "AWS::Lambda::Function",
            location: raw.location
        )
        if let runtime, let runtimeNode = node["runtime"] ?? provider["runtime"], !LambdaRuntimes.isSupported(runtime) {
            spec.problems.append(error(.unsupported, runtimeNode, LambdaRuntimes.unsupportedMessage(runtime)))
        }
        return (spec, routes)
    }

    /// The first of `nodes` that is set, as a string.
    func firstString(_ nodes: TemplateNode?...) throws(ProjectError) -> String? {
        for node in nodes {
            if let value = try string(node) { return value }
        }
        return nil
    }

    /// The first of `nodes` that is set, as an integer.
    func firstInteger(_ nodes: TemplateNode?...) throws(ProjectError) -> Int? {
        for node in nodes {
            if let value = try integer(node) { return value }
        }
        return nil
    }

    /// The function's `package.artifact`, else the service's `package.artifact` (unless packaged individually), else
    /// the service folder (the framework packages the whole folder).
    func functionCode(_ node: TemplateNode) throws(ProjectError) -> CodeLocation {
        if let artifact = node["package"]?["artifact"], !artifact.isNull {
            return try Self.localCode(artifact, resolver: resolver, serviceDirectory: serviceDirectory)
        }
        let servicePackage = try variables.value(atPath: ["package"])
        // Packaged individually, each function gets its own artifact (built from the service folder).
        let individually = try boolean(servicePackage?["individually"]) ?? false
        if !individually, let artifact = servicePackage?["artifact"], !artifact.isNull {
            return try Self.localCode(artifact, resolver: resolver, serviceDirectory: serviceDirectory)
        }
        return .directory(serviceDirectory)
    }

    // MARK: - Role

    /// The function's `role`, else `provider.iam.role`, else `provider.role`, else the framework's default role.
    func role(_ node: TemplateNode) throws(ProjectError) -> RoleReference {
        let defaultRole = RoleReference.templateRole(
            logicalID: Self.defaultRoleLogicalID,
            roleName: "\(service)-\(stage)-\(region)-lambdaRole"
        )
        if let role = node["role"], !role.isNull { return try roleReference(role) }
        if let role = provider["iam"]?["role"], !role.isNull {
            if role.entries != nil, role.intrinsic == nil {
                // `iam.role: {name, statements, managedPolicies...}` customizes the default role.
                guard let name = try string(role["name"]) else { return defaultRole }
                return .templateRole(logicalID: Self.defaultRoleLogicalID, roleName: name)
            }
            return try roleReference(role)
        }
        if let role = provider["role"], !role.isNull { return try roleReference(role) }
        return defaultRole
    }

    /// A role value: an ARN, `Fn::GetAtt [R, Arn]` / `Ref R` or the logical id of a role in `resources`, or a name.
    func roleReference(_ node: TemplateNode) throws(ProjectError) -> RoleReference {
        if let (name, argument) = node.intrinsic, name == "Fn::GetAtt" || name == "Ref" {
            let logicalID: String
            if name == "Ref" {
                guard let id = argument.scalarText else { throw error(.invalidValue, node, "Ref needs a name") }
                logicalID = id
            } else {
                logicalID = try resolver.getAttArguments(argument, at: node).0
            }
            guard let resource = resourcesByID[logicalID] else {
                throw error(
                    .unknownReference,
                    node,
                    "role refers to \"\(logicalID)\", which is not a resource in resources.Resources"
                )
            }
            return try templateRole(resource, node: node)
        }
        guard let value = try string(node), !value.isEmpty else {
            throw error(.invalidValue, node, "role must be a role ARN, a role name or a logical id in resources")
        }
        if value.hasPrefix("arn:") { return .arn(value) }
        if let resource = resourcesByID[value], resource.type == "AWS::IAM::Role" {
            return try templateRole(resource, node: node)
        }
        return .name(value)
    }

    func templateRole(_ resource: TemplateResource, node: TemplateNode) throws(ProjectError) -> RoleReference {
        guard resource.type == "AWS::IAM::Role" else {
            throw error(
                .invalidValue,
                node,
                "role refers to \(resource.logicalID), which is a \(resource.type), not an AWS::IAM::Role"
            )
        }
        return .templateRole(logicalID: resource.logicalID, roleName: try resolver.nameProperty(resource, "RoleName"))
    }

    // MARK: - Layers

    /// A function's `layers`: `{Ref: <Key>LambdaLayer}` of the service's own layers, or layer ARNs.
    func readFunctionLayers(
        _ node: TemplateNode?,
        into specs: inout [LayerSpec],
        remote: inout [String]
    ) throws(ProjectError) {
        guard let node, !node.isNull else { return }
        guard let elements = node.elements else { throw error(.invalidValue, node, "layers must be a list") }
        for element in elements {
            if let (name, argument) = element.intrinsic, name == "Ref", let id = argument.scalarText {
                guard let layer = layers[id] else {
                    let known = layers.keys.sorted()
                    throw error(
                        .unknownReference,
                        element,
                        "Ref to \"\(id)\", which is not a layer of this service"
                            + (known.isEmpty
                                ? " (it has no layers)" : " (its layers are \(known.joined(separator: ", ")))")
                    )
                }
                specs.append(layer)
            } else if let arn = try string(element) {
                if let layer = layers[arn] {
                    specs.append(layer)
                } else {
                    remote.append(arn)
                }
            }
        }
    }
}

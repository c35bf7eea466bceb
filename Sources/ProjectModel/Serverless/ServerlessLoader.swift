import Foundation

/// Turns a parsed serverless.yml (Serverless Framework, provider aws) into a `Project`.
///
/// Functions get the names the framework deploys them under (`<service>-<stage>-<key>` unless `name` is set) and keep
/// their key as logical id. Variables are resolved by `ServerlessVariableResolver`; CloudFormation intrinsics in
/// values are resolved against `resources.Resources` plus the resources the framework generates
/// (`<Key>LambdaFunction`, `<Key>LambdaLayer`, `IamRoleLambdaExecution`, `ApiGatewayRestApi`, `HttpApi`).
struct ServerlessLoader {
    /// The framework's default role (naming.js `getRoleLogicalId`).
    static let defaultRoleLogicalID = "IamRoleLambdaExecution"
    /// Defaults the framework applies (`provider.memorySize`, `provider.timeout`, `provider.runtime`).
    static let defaultMemorySize = 1024
    static let defaultTimeout = 6
    static let defaultRuntime = "nodejs20.x"

    let raw: TemplateNode
    let templateURL: URL
    let file: String
    let options: ProjectLoadOptions
    let variables: ServerlessVariableResolver
    let service: String
    let stage: String
    let region: String
    /// `provider`, variables resolved (an empty map when absent).
    let provider: TemplateNode
    let parameters: [String: TemplateParameter]
    let resourcesByID: [String: TemplateResource]
    let resolver: IntrinsicResolver
    /// Top-level `layers:` by their CloudFormation logical id (`<Key>LambdaLayer`).
    let layers: [String: LayerSpec]
    /// `functions` entries (variables not resolved yet, unless `functions` itself was a variable).
    let functionEntries: [TemplateEntry]

    var serviceDirectory: URL { templateURL.deletingLastPathComponent() }

    init(root: TemplateNode, templateURL: URL, file: String, options: ProjectLoadOptions) throws(ProjectError) {
        guard root.entries != nil else {
            throw ProjectError(.invalidValue, at: root.location, path: nil, message: "serverless.yml must be a map")
        }
        raw = root
        self.templateURL = templateURL
        self.file = file
        self.options = options
        let variables = ServerlessVariableResolver(
            root: root,
            serviceDirectory: templateURL.deletingLastPathComponent(),
            file: file,
            options: options
        )
        self.variables = variables
        guard let serviceNode = try variables.value(atPath: ["service"]) else {
            throw ProjectError(
                .missingProperty,
                at: root.location,
                path: "service",
                message: "missing service (the service name)"
            )
        }
        let serviceName = serviceNode["name"] ?? serviceNode
        guard let name = serviceName.scalarText, !serviceName.isNull, !name.isEmpty else {
            throw ProjectError(
                .invalidValue,
                at: serviceNode.location,
                path: "service",
                message: "service must be a name, or a map with name"
            )
        }
        service = name
        stage = try variables.stage()
        region = try variables.region()
        let provider = try Self.resolveProvider(root["provider"], root: root, variables: variables)
        guard provider.entries != nil else {
            throw ProjectError(
                .invalidValue,
                at: provider.location,
                path: "provider",
                message: "provider must be a map"
            )
        }
        if let providerName = provider["name"], let text = providerName.scalarText, text != "aws" {
            throw ProjectError(
                .unsupported,
                at: providerName.location,
                path: providerName.path,
                message: "provider \(text) is not supported; standin runs AWS Lambda functions (provider.name: aws)"
            )
        }
        self.provider = provider

        let sections = try Self.resourceSections(try variables.value(atPath: ["resources"]))
        parameters = try SAMTemplateLoader.readParameters(
            sections["Parameters"],
            root: root,
            overrides: options.parameterOverrides
        )
        let layerNodes = try variables.value(atPath: ["layers"])
        var resources = try Self.userResources(sections["Resources"])
        functionEntries = try Self.functionEntries(root["functions"], variables: variables)
        var functionNames: [(key: String, name: String, node: TemplateNode)] = []
        for entry in functionEntries {
            // A `name` that does not resolve is reported when its function loads.
            let given = (try? variables.value(atPath: ["functions", entry.key, "name"]))?.scalarText
            functionNames.append((entry.key, given ?? "\(name)-\(stage)-\(entry.key)", entry.value))
        }
        resources += Self.generatedResources(
            functions: functionNames,
            layers: layerNodes,
            service: name,
            stage: stage,
            region: region,
            provider: provider,
            known: Set(resources.map(\.logicalID))
        )
        var byID: [String: TemplateResource] = [:]
        for resource in resources where byID[resource.logicalID] == nil { byID[resource.logicalID] = resource }
        resourcesByID = byID
        resolver = IntrinsicResolver(
            parameters: parameters,
            region: region,
            accountID: options.accountID,
            stackName: options.stackName ?? "\(name)-\(stage)",
            conditions: sections["Conditions"],
            mappings: sections["Mappings"],
            resources: byID
        )
        layers = try Self.readLayers(
            layerNodes,
            serviceDirectory: templateURL.deletingLastPathComponent(),
            resolver: resolver
        )
    }

    /// `provider` with its variables resolved, except `environment` (resolved for each function, so that one bad
    /// variable there is reported without hiding the functions' own problems).
    static func resolveProvider(
        _ raw: TemplateNode?,
        root: TemplateNode,
        variables: ServerlessVariableResolver
    ) throws(ProjectError) -> TemplateNode {
        guard let raw, !raw.isNull else {
            return TemplateNode(kind: .mapping([]), location: root.location, path: "provider")
        }
        let node = try variables.expand(raw)
        guard case .mapping(let entries) = node.kind else { return try variables.resolveCached(node) }
        var resolved = node
        var values: [TemplateEntry] = []
        for entry in entries {
            var copy = entry
            if entry.key != "environment" { copy.value = try variables.resolveCached(entry.value) }
            values.append(copy)
        }
        resolved.kind = .mapping(values)
        return resolved
    }

    /// `functions`: a map, a list of maps, or a variable (`${file(./functions.yml)}`) giving one.
    static func functionEntries(
        _ raw: TemplateNode?,
        variables: ServerlessVariableResolver
    ) throws(ProjectError) -> [TemplateEntry] {
        guard let raw, !raw.isNull else { return [] }
        let node = try variables.expand(raw)
        if let entries = node.entries { return entries }
        if let elements = node.elements {
            var entries: [TemplateEntry] = []
            for element in elements {
                entries += try variables.expand(element).entries ?? []
            }
            if entries.count > 0 || elements.isEmpty { return entries }
        }
        if node.isNull { return [] }
        throw ProjectError(.invalidValue, at: node.location, path: node.path, message: "functions must be a map")
    }

    // MARK: - Resources

    /// `resources` (a map, or a list of maps as `file()` includes give): its Resources, Conditions, Mappings and
    /// Parameters sections, merged.
    static func resourceSections(_ node: TemplateNode?) throws(ProjectError) -> [String: TemplateNode] {
        guard let node, !node.isNull else { return [:] }
        let parts: [TemplateNode]
        if let elements = node.elements {
            parts = elements
        } else {
            parts = [node]
        }
        var merged: [String: TemplateNode] = [:]
        for part in parts {
            guard let entries = part.entries else {
                throw ProjectError(
                    .invalidValue,
                    at: part.location,
                    path: part.path,
                    message: "resources must be a map"
                )
            }
            for entry in entries where ["Resources", "Conditions", "Mappings", "Parameters"].contains(entry.key) {
                guard let members = entry.value.entries else {
                    if entry.value.isNull { continue }
                    throw ProjectError(
                        .invalidValue,
                        at: entry.value.location,
                        path: entry.value.path,
                        message: "\(entry.key) must be a map"
                    )
                }
                if var existing = merged[entry.key], case .mapping(let old) = existing.kind {
                    existing.kind = .mapping(old + members)
                    merged[entry.key] = existing
                } else {
                    merged[entry.key] = entry.value
                }
            }
        }
        return merged
    }

    /// The CloudFormation resources of `resources.Resources`.
    static func userResources(_ node: TemplateNode?) throws(ProjectError) -> [TemplateResource] {
        guard let entries = node?.entries else { return [] }
        var resources: [TemplateResource] = []
        for entry in entries {
            guard entry.value.entries != nil, let type = entry.value["Type"]?.scalarText else {
                throw ProjectError(
                    .missingProperty,
                    at: entry.value.location,
                    path: TemplateNode.join(entry.value.path, "Type"),
                    message: "a resource must be a map with a Type"
                )
            }
            resources.append(TemplateResource(logicalID: entry.key, type: type, node: entry.value))
        }
        return resources
    }

    /// The resources the framework generates, so that `!Ref` / `!GetAtt` of them resolve.
    static func generatedResources(
        functions: [(key: String, name: String, node: TemplateNode)],
        layers: TemplateNode?,
        service: String,
        stage: String,
        region: String,
        provider: TemplateNode,
        known: Set<String>
    ) -> [TemplateResource] {
        func resource(
            _ id: String,
            _ type: String,
            _ properties: [(String, String)],
            at node: TemplateNode
        )
            -> TemplateResource
        {
            let entries = properties.map { key, value in
                TemplateEntry(
                    key: key,
                    keyLocation: node.location,
                    value: TemplateNode(kind: .scalar(value, plain: false), location: node.location, path: node.path)
                )
            }
            let props = TemplateNode(kind: .mapping(entries), location: node.location, path: node.path)
            return TemplateResource(
                logicalID: id,
                type: type,
                properties: props,
                node: node,
                condition: nil,
                isImplicit: true
            )
        }
        var generated: [TemplateResource] = []
        for function in functions {
            generated.append(
                resource(
                    normalizedName(function.key) + "LambdaFunction",
                    "AWS::Lambda::Function",
                    [("FunctionName", function.name)],
                    at: function.node
                )
            )
        }
        for entry in layers?.entries ?? [] {
            let name = entry.value["name"]?.scalarText ?? "\(service)-\(stage)-\(entry.key)"
            generated.append(
                resource(
                    normalizedName(entry.key) + "LambdaLayer",
                    "AWS::Lambda::LayerVersion",
                    [("LayerName", name)],
                    at: entry.value
                )
            )
        }
        let roleName =
            provider["iam"]?["role"]?["name"]?.scalarText ?? "\(service)-\(stage)-\(region)-lambdaRole"
        generated.append(resource(defaultRoleLogicalID, "AWS::IAM::Role", [("RoleName", roleName)], at: provider))
        generated.append(resource("ApiGatewayRestApi", "AWS::ApiGateway::RestApi", [], at: provider))
        generated.append(resource("HttpApi", "AWS::ApiGatewayV2::Api", [], at: provider))
        return generated.filter { !known.contains($0.logicalID) }
    }

    /// The framework's normalized name: first letter upper-cased, `-` -> `Dash`, `_` -> `Underscore`
    /// (naming.js `getNormalizedFunctionName`).
    static func normalizedName(_ name: String) -> String {
        let replaced = name.replacingOccurrences(of: "-", with: "Dash").replacingOccurrences(
            of: "_",
            with: "Underscore"
        )
        return replaced.prefix(1).uppercased() + replaced.dropFirst()
    }

    /// Top-level `layers:` with local content (`path`, or `package.artifact`).
    static func readLayers(
        _ node: TemplateNode?,
        serviceDirectory: URL,
        resolver: IntrinsicResolver
    ) throws(ProjectError) -> [String: LayerSpec] {
        guard let node, !node.isNull else { return [:] }
        guard let entries = node.entries else {
            throw ProjectError(.invalidValue, at: node.location, path: node.path, message: "layers must be a map")
        }
        var layers: [String: LayerSpec] = [:]
        for entry in entries {
            let logicalID = normalizedName(entry.key) + "LambdaLayer"
            let code: CodeLocation
            if let artifact = entry.value["package"]?["artifact"] {
                code = try localCode(artifact, resolver: resolver, serviceDirectory: serviceDirectory)
            } else if let path = entry.value["path"] {
                code = try localCode(path, resolver: resolver, serviceDirectory: serviceDirectory)
            } else {
                throw ProjectError(
                    .missingProperty,
                    at: entry.value.location,
                    path: TemplateNode.join(entry.value.path, "path"),
                    message: "missing path (the layer's folder)"
                )
            }
            layers[logicalID] = LayerSpec(logicalID: logicalID, code: code)
        }
        return layers
    }

    /// A folder or zip, relative to the service folder; it must exist.
    static func localCode(
        _ node: TemplateNode,
        resolver: IntrinsicResolver,
        serviceDirectory: URL
    ) throws(ProjectError) -> CodeLocation {
        guard let path = try resolver.string(node), !path.isEmpty else {
            throw ProjectError(.invalidValue, at: node.location, path: node.path, message: "expected a path")
        }
        if path.hasPrefix("s3://") || path.hasPrefix("https://") {
            throw ProjectError(
                .unsupported,
                at: node.location,
                path: node.path,
                message: "\(path) is not local code; give a local folder or zip"
            )
        }
        let url = ProjectLoader.resolvePath(path, relativeTo: serviceDirectory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ProjectError(
                .invalidValue,
                at: node.location,
                path: node.path,
                message: "no such file or folder: \(url.path)"
            )
        }
        if isDirectory.boolValue { return .directory(url) }
        guard ["zip", "jar"].contains(url.pathExtension.lowercased()) else {
            throw ProjectError(
                .invalidValue,
                at: node.location,
                path: node.path,
                message: "\(url.path) is a file but not a .zip; give a folder or an archive"
            )
        }
        return .zipFile(url)
    }

    // MARK: - Project

    /// Loads every function; a function that cannot be loaded is kept, unavailable, with its error as its problem.
    func project() throws(ProjectError) -> Project {
        var functions: [FunctionSpec] = []
        var routes: [Route] = []
        for entry in functionEntries {
            do {
                let node = try variables.resolveCached(entry.value)
                let (function, functionRoutes) = try self.function(key: entry.key, node: node, raw: entry.value)
                functions.append(function)
                routes += functionRoutes
            } catch {
                var function = FunctionSpec(
                    logicalID: entry.key,
                    functionName: "\(service)-\(stage)-\(entry.key)",
                    runtime: nil,
                    handler: nil,
                    code: .directory(templateURL.deletingLastPathComponent()),
                    resourceType: "AWS::Lambda::Function",
                    location: entry.keyLocation
                )
                function.problems = [error]
                functions.append(function)
            }
        }
        var project = Project(
            templateURL: templateURL,
            format: .serverless,
            functions: functions,
            routes: routes,
            parameters: TemplateParameter.values(of: parameters),
            serviceName: service,
            stage: stage,
            region: region
        )
        project.sourceFiles = [templateURL]
        return project
    }

    // MARK: - Value helpers

    func error(_ kind: ProjectError.Kind, _ node: TemplateNode, _ message: String) -> ProjectError {
        ProjectError(kind, at: node.location, path: node.path, message: message)
    }

    func string(_ node: TemplateNode?) throws(ProjectError) -> String? {
        guard let node, !node.isNull else { return nil }
        return try resolver.string(node)
    }

    func integer(_ node: TemplateNode?) throws(ProjectError) -> Int? {
        guard let node, !node.isNull else { return nil }
        return try resolver.integer(node)
    }

    func boolean(_ node: TemplateNode?) throws(ProjectError) -> Bool? {
        guard let node, !node.isNull else { return nil }
        return try resolver.boolean(node)
    }

    /// A string, number, boolean or a list of them.
    func stringList(_ node: TemplateNode?) throws(ProjectError) -> [String]? {
        guard let node, !node.isNull else { return nil }
        return try resolver.stringList(node, anyLoneScalar: true)
    }
}

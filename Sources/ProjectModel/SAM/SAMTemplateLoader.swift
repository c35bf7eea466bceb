import Foundation

/// Turns a parsed SAM / CloudFormation template into a `Project`.
struct SAMTemplateLoader {
    static let functionTypes: Set<String> = ["AWS::Serverless::Function", "AWS::Lambda::Function"]
    static let layerTypes: Set<String> = ["AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"]

    let root: TemplateNode
    let templateURL: URL
    let file: String
    let options: ProjectLoadOptions
    let parameters: [String: TemplateParameter]
    /// Resources in template order (implicit SAM resources last).
    let resources: [TemplateResource]
    let resourcesByID: [String: TemplateResource]
    let globals: SAMGlobals
    let resolver: IntrinsicResolver
    /// The nested stacks that lead to this template (`ChildApp/Grandchild`); empty for the top template.
    let stackPath: String
    /// The templates that include this one, outermost first (a nested stack must not include an ancestor).
    let ancestors: [URL]
    /// Where the parameter values came from, for the unknown-name warning.
    let overrideSource: String
    /// The files read besides the template (OpenAPI definitions, included files), for `Project.sourceFiles`.
    let readFiles = ReadFiles()

    /// A list the loader's non-mutating readers add to.
    final class ReadFiles {
        var urls: [URL] = []
    }

    var templateDirectory: URL { templateURL.deletingLastPathComponent() }

    init(
        root: TemplateNode,
        templateURL: URL,
        file: String,
        options: ProjectLoadOptions,
        stackPath: String = "",
        ancestors: [URL] = [],
        overrideSource: String = "--parameter-overrides"
    ) throws(ProjectError) {
        guard root.entries != nil else {
            throw ProjectError(.invalidValue, at: root.location, path: nil, message: "the template must be a map")
        }
        self.root = root
        self.templateURL = templateURL
        self.file = file
        self.options = options
        self.stackPath = stackPath
        self.ancestors = ancestors
        self.overrideSource = overrideSource
        parameters = try Self.readParameters(root["Parameters"], root: root, overrides: options.parameterOverrides)
        resources = try Self.readResources(root)
        var byID: [String: TemplateResource] = [:]
        for resource in resources where byID[resource.logicalID] == nil { byID[resource.logicalID] = resource }
        resourcesByID = byID
        globals = try SAMGlobals(root["Globals"])
        for key in ["Conditions", "Mappings"] {
            if let node = root[key], node.entries == nil {
                throw ProjectError(.invalidValue, at: node.location, path: node.path, message: "\(key) must be a map")
            }
        }
        resolver = IntrinsicResolver(
            parameters: parameters,
            region: options.region,
            accountID: options.accountID,
            stackName: options.stackName ?? "standin",
            conditions: root["Conditions"],
            mappings: root["Mappings"],
            resources: byID
        )
    }

    // MARK: - Sections

    static func readParameters(
        _ node: TemplateNode?,
        root: TemplateNode,
        overrides: [String: String]
    )
        throws(ProjectError) -> [String: TemplateParameter]
    {
        var result: [String: TemplateParameter] = [:]
        if let node {
            guard let entries = node.entries else {
                throw ProjectError(
                    .invalidValue,
                    at: node.location,
                    path: node.path,
                    message: "Parameters must be a map"
                )
            }
            for entry in entries {
                let declaration = entry.value
                guard declaration.entries != nil else {
                    throw ProjectError(
                        .invalidValue,
                        at: declaration.location,
                        path: declaration.path,
                        message: "a parameter declaration must be a map with Type"
                    )
                }
                let type = declaration["Type"]?.scalarText ?? "String"
                var value = overrides[entry.key]
                if value == nil, let defaultNode = declaration["Default"] {
                    value = try Self.literalText(defaultNode)
                }
                let parameter = TemplateParameter(name: entry.key, type: type, value: value, node: declaration)
                if let value {
                    try checkAllowed(parameter, value: value, entry: entry, overridden: overrides[entry.key] != nil)
                }
                result[entry.key] = parameter
            }
        }
        return result
    }

    /// The warning for `--parameter-overrides` (or a parent stack's `Parameters`) naming parameters the template does
    /// not declare: SAM ignores them, and so does standin, saying so.
    static func unknownOverrides(
        _ overrides: [String: String],
        declared: [String: TemplateParameter],
        root: TemplateNode,
        source: String
    ) -> ProjectError? {
        let unknown = overrides.keys.filter { declared[$0] == nil }.sorted()
        guard !unknown.isEmpty else { return nil }
        let node = root["Parameters"]
        let names = declared.keys.sorted()
        return ProjectError(
            .parameter,
            at: node?.location ?? root.location,
            path: "Parameters",
            message: "\(source) names \(unknown.joined(separator: ", ")), which the template does not declare"
                + (names.isEmpty ? " (it declares no parameters)" : " (it declares \(names.joined(separator: ", ")))")
                + "; ignored"
        )
    }

    /// The text of a literal parameter value (a list is joined with commas).
    static func literalText(_ node: TemplateNode) throws(ProjectError) -> String {
        switch node.kind {
        case .scalar(let text, _): return text
        case .sequence(let elements):
            var parts: [String] = []
            for element in elements {
                guard let text = element.scalarText else {
                    throw ProjectError(
                        .invalidValue,
                        at: element.location,
                        path: element.path,
                        message: "expected a string"
                    )
                }
                parts.append(text)
            }
            return parts.joined(separator: ",")
        case .mapping:
            throw ProjectError(.invalidValue, at: node.location, path: node.path, message: "a Default must be a string")
        }
    }

    static func checkAllowed(
        _ parameter: TemplateParameter,
        value: String,
        entry: TemplateEntry,
        overridden: Bool
    )
        throws(ProjectError)
    {
        let source = overridden ? " (from --parameter-overrides)" : " (its Default)"
        let values =
            parameter.isList
            ? value.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            } : [value]
        if let allowedNode = parameter.node["AllowedValues"] {
            guard let elements = allowedNode.elements else {
                throw ProjectError(
                    .invalidValue,
                    at: allowedNode.location,
                    path: allowedNode.path,
                    message: "must be a list"
                )
            }
            let allowed = elements.compactMap(\.scalarText)
            for item in values where !allowed.contains(item) {
                throw ProjectError(
                    .parameter,
                    at: entry.keyLocation,
                    path: entry.value.path,
                    message: "parameter \(parameter.name): value \"\(item)\"\(source) is not one of the AllowedValues"
                        + " \(allowed.joined(separator: ", "))"
                )
            }
        }
        if let pattern = parameter.node["AllowedPattern"]?.scalarText,
            let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$")
        {
            for item in values {
                let range = NSRange(item.startIndex..., in: item)
                if regex.firstMatch(in: item, range: range) == nil {
                    throw ProjectError(
                        .parameter,
                        at: entry.keyLocation,
                        path: entry.value.path,
                        message: "parameter \(parameter.name): value \"\(item)\"\(source) does not match the"
                            + " AllowedPattern \(pattern)"
                    )
                }
            }
        }
    }

    static func readResources(_ root: TemplateNode) throws(ProjectError) -> [TemplateResource] {
        guard let node = root["Resources"] else {
            throw ProjectError(
                .missingProperty,
                at: root.location,
                path: "Resources",
                message: "the template has no Resources section"
            )
        }
        guard let entries = node.entries else {
            throw ProjectError(.invalidValue, at: node.location, path: node.path, message: "Resources must be a map")
        }
        var resources: [TemplateResource] = []
        var hasServerless = false
        for entry in entries {
            let resource = entry.value
            guard resource.entries != nil else {
                throw ProjectError(
                    .invalidValue,
                    at: resource.location,
                    path: resource.path,
                    message: "a resource must be a map"
                )
            }
            guard let typeNode = resource["Type"] else {
                throw ProjectError(
                    .missingProperty,
                    at: resource.location,
                    path: TemplateNode.join(resource.path, "Type"),
                    message: "the resource has no Type"
                )
            }
            guard let type = typeNode.scalarText else {
                throw ProjectError(
                    .invalidValue,
                    at: typeNode.location,
                    path: typeNode.path,
                    message: "Type must be a string"
                )
            }
            let properties = resource["Properties"]
            if let properties, properties.entries == nil, properties.intrinsic == nil, !properties.isNull {
                throw ProjectError(
                    .invalidValue,
                    at: properties.location,
                    path: properties.path,
                    message: "Properties must be a map"
                )
            }
            hasServerless = hasServerless || type.hasPrefix("AWS::Serverless::")
            resources.append(TemplateResource(logicalID: entry.key, type: type, node: resource))
        }
        // Resources the SAM transform adds, so that templates can refer to them.
        var implicit: [TemplateResource] = []
        let known = Set(resources.map(\.logicalID))
        for resource in resources where resource.type == "AWS::Serverless::Function" {
            let roleID = resource.logicalID + "Role"
            if resource.properties?["Role"] == nil, !known.contains(roleID) {
                implicit.append(
                    TemplateResource(
                        logicalID: roleID,
                        type: "AWS::IAM::Role",
                        properties: nil,
                        node: resource.node,
                        condition: resource.condition,
                        isImplicit: true
                    )
                )
            }
        }
        if hasServerless {
            for (id, type) in [
                ("ServerlessRestApi", "AWS::Serverless::Api"), ("ServerlessHttpApi", "AWS::Serverless::HttpApi"),
            ]
            where !known.contains(id) {
                implicit.append(
                    TemplateResource(
                        logicalID: id,
                        type: type,
                        properties: nil,
                        node: node,
                        condition: nil,
                        isImplicit: true
                    )
                )
            }
        }
        return resources + implicit
    }

    // MARK: - Project

    /// Loads every function, route and nested stack. A function that cannot run is kept, unavailable, with its
    /// problems; a route, API or nested stack that cannot be read is left out with a note (`Project.notes`).
    func project() throws(ProjectError) -> Project {
        var notes: [Diagnostic] = []
        if let warning = Self.unknownOverrides(
            options.parameterOverrides, declared: parameters, root: root, source: overrideSource)
        {
            notes.append(Diagnostic(.warning, warning))
        }
        var functions: [FunctionSpec] = []
        var pendingRoutes: [(function: FunctionSpec, event: TemplateEntry)] = []
        for resource in resources where !resource.isImplicit && Self.functionTypes.contains(resource.type) {
            guard included(resource, notes: &notes) else { continue }
            do {
                let loaded = try function(resource)
                functions.append(loaded.spec)
                notes += loaded.notes
                for event in loaded.eventEntries { pendingRoutes.append((loaded.spec, event)) }
            } catch {
                functions.append(unreadableFunction(resource, error))
            }
        }
        var routes: [Route] = []
        for (function, event) in pendingRoutes {
            do {
                if let route = try self.route(function: function, event: event) { routes.append(route) }
            } catch {
                notes.append(Diagnostic(.error, error, suffix: " (the route is not served)"))
            }
        }
        routes = mergeDefinitionRoutes(routes, functions: functions, notes: &notes)
        routes += cloudFormationRoutes(functions: functions, notes: &notes)
        var project = Project(
            templateURL: templateURL,
            format: .sam,
            functions: functions,
            routes: routes,
            parameters: TemplateParameter.values(of: parameters)
        )
        project.notes = notes
        project.sourceFiles = [templateURL] + readFiles.urls
        project.stackTemplates[stackPath] = root
        for resource in resources where Self.nestedStackTypes.contains(resource.type) {
            guard included(resource, notes: &notes) else { continue }
            do {
                project.include(try nestedStack(resource))
            } catch {
                project.notes.append(Diagnostic(.error, error, suffix: " (the nested stack is not loaded)"))
            }
        }
        return project
    }

    /// False when the resource's `Condition` is false; a condition that cannot be evaluated counts as true, with a
    /// note.
    func included(_ resource: TemplateResource, notes: inout [Diagnostic]) -> Bool {
        guard let condition = resource.condition, let conditionNode = resource.node["Condition"] else { return true }
        do {
            return try resolver.condition(condition, at: conditionNode)
        } catch {
            notes.append(Diagnostic(.warning, error, suffix: "; \(resource.logicalID) is loaded as if it were true"))
            return true
        }
    }

    func error(_ kind: ProjectError.Kind, _ node: TemplateNode, _ message: String) -> ProjectError {
        ProjectError(kind, at: node.location, path: node.path, message: message)
    }

    /// The properties of a resource with the matching Globals section merged in.
    func properties(of resource: TemplateResource, globalsSection: String?) throws(ProjectError) -> TemplateNode {
        var properties = resource.properties
        if let properties, properties.intrinsic != nil {
            throw error(.unsupported, properties, "Properties must be a literal map, not an intrinsic function")
        }
        if let globalsSection, resource.type.hasPrefix("AWS::Serverless::") {
            properties = globals.merged(globalsSection, into: properties)
        }
        return properties
            ?? TemplateNode(
                kind: .mapping([]),
                location: resource.node.location,
                path: TemplateNode.join(resource.node.path, "Properties")
            )
    }

    // MARK: - Value helpers

    func string(_ node: TemplateNode?) throws(ProjectError) -> String? {
        guard let node else { return nil }
        return try resolver.string(node)
    }

    func integer(_ node: TemplateNode?) throws(ProjectError) -> Int? {
        guard let node else { return nil }
        return try resolver.integer(node)
    }

    func boolean(_ node: TemplateNode?) throws(ProjectError) -> Bool? {
        guard let node else { return nil }
        return try resolver.boolean(node)
    }

    /// A string or a list of strings.
    func stringList(_ node: TemplateNode?) throws(ProjectError) -> [String]? {
        guard let node else { return nil }
        return try resolver.stringList(node, anyLoneScalar: false)
    }

    /// The template resource a `Ref` / `Fn::GetAtt` (possibly inside `Fn::If`) points at, if any.
    func referenceTarget(_ node: TemplateNode) throws(ProjectError) -> TemplateResource? {
        guard let (name, argument) = node.intrinsic else { return nil }
        switch name {
        case "Ref":
            return argument.scalarText.flatMap { resourcesByID[$0] }
        case "Fn::GetAtt":
            let (logicalID, _) = try resolver.getAttArguments(argument, at: node)
            guard let resource = resourcesByID[logicalID] else {
                throw error(
                    .unknownReference,
                    node,
                    "Fn::GetAtt of \"\(logicalID)\", which is not a resource of this template"
                )
            }
            return resource
        case "Fn::If":
            guard let elements = argument.elements, elements.count == 3, let condition = elements[0].scalarText else {
                return nil
            }
            return try referenceTarget(try resolver.condition(condition, at: elements[0]) ? elements[1] : elements[2])
        default:
            return nil
        }
    }
}

import Foundation

extension SAMTemplateLoader {
    /// Resource types whose template is loaded as a nested stack.
    static let nestedStackTypes: Set<String> = ["AWS::Serverless::Application", "AWS::CloudFormation::Stack"]
    /// How deep nested stacks may go (CloudFormation's own limit is far deeper; this stops include cycles early).
    static let maximumNesting = 10

    /// A nested stack whose template is a local file (`Location` of an `AWS::Serverless::Application`, `TemplateURL`
    /// of an `AWS::CloudFormation::Stack`, or the CDK asset recorded for either), loaded with the `Parameters` the
    /// parent passes. Its functions are addressed as `<LogicalId>/<Function>` (SAM's full path).
    /// - Throws: `ProjectError` when the template is not local (S3, https, the Serverless Application Repository),
    ///   cannot be read, or includes one of its ancestors.
    func nestedStack(_ resource: TemplateResource) throws(ProjectError) -> Project {
        let props = try properties(of: resource, globalsSection: nil)
        let key = resource.type == "AWS::Serverless::Application" ? "Location" : "TemplateURL"
        let url: URL
        if let asset = try cdkAsset(resource, property: key) {
            url = asset.url
        } else {
            guard let node = props[key] else {
                throw ProjectError(
                    .missingProperty,
                    at: props.location,
                    path: TemplateNode.join(props.path, key),
                    message: "missing \(key)"
                )
            }
            if node.entries != nil, node.intrinsic == nil {
                throw error(
                    .unsupported,
                    node,
                    "the application is in the Serverless Application Repository (ApplicationId), not in a local file"
                )
            }
            guard let location = try string(node) else { throw error(.invalidValue, node, "\(key) is empty") }
            if location.contains("://") {
                throw error(.unsupported, node, "\(location) is not a local file; give a path relative to the template")
            }
            url = try templateFile(ProjectLoader.resolvePath(location, relativeTo: templateDirectory), node: node)
        }
        let chain = ancestors + [templateURL]
        if chain.contains(where: { $0.standardizedFileURL == url.standardizedFileURL }) {
            throw error(.invalidValue, resource.node, "\(url.lastPathComponent) includes itself (a nested stack cycle)")
        }
        guard chain.count < Self.maximumNesting else {
            throw error(.invalidValue, resource.node, "nested stacks deeper than \(Self.maximumNesting) levels")
        }
        var childOptions = options
        childOptions.parameterOverrides = try nestedParameters(props["Parameters"])
        let (file, root) = try ProjectLoader.parseFile(url, workingDirectory: options.workingDirectory, what: "template")
        let loader = try SAMTemplateLoader(
            root: root,
            templateURL: url,
            file: file,
            options: childOptions,
            stackPath: scopedID(resource.logicalID),
            ancestors: chain,
            overrideSource: "\(resource.logicalID).Parameters"
        )
        return try loader.project()
    }

    /// A nested template's file: the path itself, or the template in it when it is a folder.
    func templateFile(_ url: URL, node: TemplateNode) throws(ProjectError) -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw error(.invalidValue, node, "no such file: \(url.path)")
        }
        guard isDirectory.boolValue else { return url }
        for name in ["template.yaml", "template.yml", "template.json"] {
            let candidate = url.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        throw error(.invalidValue, node, "\(url.path) is a folder without a template.yaml")
    }

    /// The values a parent passes to a nested stack, as the child's parameter overrides (lists joined with commas,
    /// as CloudFormation passes them). A value that needs a parameter without a value is left out, so the child's own
    /// Default applies.
    func nestedParameters(_ node: TemplateNode?) throws(ProjectError) -> [String: String] {
        guard let node, !node.isNull else { return [:] }
        guard let entries = node.entries, node.intrinsic == nil else {
            throw error(.invalidValue, node, "Parameters must be a map")
        }
        var values: [String: String] = [:]
        for entry in entries {
            do {
                if let list = entry.value.elements {
                    var items: [String] = []
                    for element in list { if let item = try resolver.stringified(element) { items.append(item) } }
                    values[entry.key] = items.joined(separator: ",")
                } else if let value = try resolver.resolve(entry.value) {
                    if case .array(let items) = value {
                        values[entry.key] = items.compactMap(\.scalarString).joined(separator: ",")
                    } else if let text = try resolver.stringified(entry.value) {
                        values[entry.key] = text
                    }
                }
            } catch where error.kind == .parameterWithoutValue {
                continue
            }
        }
        return values
    }
}

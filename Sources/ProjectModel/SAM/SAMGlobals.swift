/// The template's `Globals` section, merged into resources the way the SAM translator merges it.
///
/// Maps merge recursively (the resource wins on each key); lists concatenate, globals first
/// (SAM's `GlobalProperties._merge_lists`); scalars, intrinsic functions and mismatched types take the
/// resource's value.
struct SAMGlobals {
    /// Properties each Globals section may set (SAM's `Globals.supported_properties`).
    static let supportedProperties: [String: Set<String>] = [
        "Function": [
            "Handler", "Runtime", "CodeUri", "DeadLetterQueue", "Description", "MemorySize", "Timeout", "VpcConfig",
            "Environment", "Tags", "PropagateTags", "Tracing", "KmsKeyArn", "AutoPublishAlias",
            "AutoPublishAliasAllProperties", "Layers", "DeploymentPreference", "RolePath", "PermissionsBoundary",
            "ReservedConcurrentExecutions", "ProvisionedConcurrencyConfig", "AssumeRolePolicyDocument",
            "EventInvokeConfig", "FileSystemConfigs", "CodeSigningConfigArn", "Architectures", "SnapStart",
            "EphemeralStorage", "FunctionUrlConfig", "RuntimeManagementConfig", "LoggingConfig", "RecursiveLoop",
            "SourceKMSKeyArn",
        ],
        "Api": [
            "Auth", "Name", "DefinitionUri", "CacheClusterEnabled", "CacheClusterSize", "MergeDefinitions",
            "Variables", "EndpointConfiguration", "MethodSettings", "BinaryMediaTypes", "MinimumCompressionSize",
            "Cors", "GatewayResponses", "AccessLogSetting", "CanarySetting", "TracingEnabled", "OpenApiVersion",
            "Domain", "AlwaysDeploy", "PropagateTags",
        ],
        "HttpApi": [
            "Auth", "AccessLogSettings", "StageVariables", "Tags", "CorsConfiguration", "DefaultRouteSettings",
            "Domain", "RouteSettings", "FailOnWarnings", "PropagateTags",
        ],
    ]
    /// Sections SAM accepts whose properties standin does not use.
    static let otherSections: Set<String> = [
        "SimpleTable", "StateMachine", "LayerVersion", "CapacityProvider",
    ]

    var sections: [String: TemplateNode] = [:]

    /// Reads and checks a `Globals` node.
    init(_ node: TemplateNode?) throws(ProjectError) {
        guard let node else { return }
        guard let entries = node.entries else {
            throw ProjectError(.invalidValue, at: node.location, path: node.path, message: "Globals must be a map")
        }
        for entry in entries {
            let section = entry.value
            if let supported = Self.supportedProperties[entry.key] {
                guard let properties = section.entries else {
                    throw ProjectError(
                        .invalidValue,
                        at: section.location,
                        path: section.path,
                        message: "must be a map"
                    )
                }
                for property in properties where !supported.contains(property.key) {
                    throw ProjectError(
                        .invalidValue,
                        at: property.keyLocation,
                        path: property.value.path,
                        message: "\(property.key) is not a supported property of Globals.\(entry.key)"
                    )
                }
                sections[entry.key] = section
            } else if !Self.otherSections.contains(entry.key) {
                let known = (Array(Self.supportedProperties.keys) + Self.otherSections).sorted()
                throw ProjectError(
                    .invalidValue,
                    at: entry.keyLocation,
                    path: section.path,
                    message:
                        "Globals section \(entry.key) is not supported; use one of \(known.joined(separator: ", "))"
                )
            }
        }
    }

    /// The resource's properties with the section's globals merged in; nil when both are absent.
    func merged(_ section: String, into properties: TemplateNode?) -> TemplateNode? {
        guard let global = sections[section] else { return properties }
        guard let properties else { return global }
        return Self.merge(global: global, local: properties)
    }

    static func merge(global: TemplateNode, local: TemplateNode) -> TemplateNode {
        switch (global.kind, local.kind) {
        case (.mapping(let globalEntries), .mapping(let localEntries))
        where global.intrinsic == nil && local.intrinsic == nil:
            var entries = globalEntries
            for entry in localEntries {
                if let index = entries.firstIndex(where: { $0.key == entry.key }) {
                    entries[index].value = merge(global: entries[index].value, local: entry.value)
                } else {
                    entries.append(entry)
                }
            }
            var result = local
            result.kind = .mapping(entries)
            return result
        case (.sequence(let globalElements), .sequence(let localElements)):
            var result = local
            result.kind = .sequence(globalElements + localElements)
            return result
        default:
            return local
        }
    }
}

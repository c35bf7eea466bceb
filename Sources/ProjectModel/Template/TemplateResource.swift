/// A resource of the template, as the resolver and loaders see it.
struct TemplateResource: Sendable {
    var logicalID: String
    var type: String
    /// `Properties` (nil when absent).
    var properties: TemplateNode?
    /// The whole resource node.
    var node: TemplateNode
    /// The resource's `Condition`, when it has one.
    var condition: String?
    /// True for resources SAM creates implicitly (`<Function>Role`, `ServerlessRestApi`...).
    var isImplicit: Bool = false
}

extension TemplateResource {
    /// A resource as the template declares it: `Properties` (an explicit null counts as absent) and `Condition` are
    /// read from its node.
    init(logicalID: String, type: String, node: TemplateNode) {
        let properties = node["Properties"]
        self.init(
            logicalID: logicalID,
            type: type,
            properties: properties?.isNull == true ? nil : properties,
            node: node,
            condition: node["Condition"]?.scalarText
        )
    }
}

/// A declared template parameter and the value it got.
struct TemplateParameter: Sendable {
    var name: String
    var type: String
    /// The override, else the Default; nil when neither is given.
    var value: String?
    var node: TemplateNode

    /// True for `CommaDelimitedList` and `List<...>` types: `Ref` gives a list.
    var isList: Bool {
        type == "CommaDelimitedList" || type.hasPrefix("List<")
            || (type.hasPrefix("AWS::SSM::Parameter::Value<List<"))
    }

    /// The value each parameter got, by name; parameters without a value are left out.
    static func values(of parameters: [String: TemplateParameter]) -> [String: String] {
        parameters.compactMapValues(\.value)
    }
}

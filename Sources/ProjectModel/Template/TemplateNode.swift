/// A parsed template value with its position and field path (internal; built from Yams nodes).
struct TemplateNode: Sendable {
    /// The shape of a node.
    indirect enum Kind: Sendable {
        /// A scalar and its text; `plain` when unquoted (so it may be a number, bool or null).
        case scalar(String, plain: Bool)
        case sequence([TemplateNode])
        case mapping([TemplateEntry])
    }

    var kind: Kind
    var location: SourceLocation
    /// The field path from the document root, e.g. `Resources.Hello.Properties.Layers[0]`.
    var path: String

    /// The entries, when this is a mapping.
    var entries: [TemplateEntry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    /// The elements, when this is a sequence.
    var elements: [TemplateNode]? {
        if case .sequence(let elements) = kind { return elements }
        return nil
    }

    /// The text, when this is a scalar.
    var scalarText: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// The member `key`, when this is a mapping that has it.
    subscript(key: String) -> TemplateNode? {
        entries?.first { $0.key == key }?.value
    }

    /// True for a plain scalar that YAML reads as null (`~`, `null`, empty).
    var isNull: Bool {
        if case .scalar(let text, let plain) = kind, plain {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// A one-word description of the node's type, for error messages.
    var typeName: String {
        switch kind {
        case .scalar: return isNull ? "null" : "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a map"
        }
    }

    /// When the node is a single-key mapping `Ref` or `Fn::*`: the function name and its argument.
    var intrinsic: (name: String, argument: TemplateNode)? {
        guard let entries, entries.count == 1 else { return nil }
        let key = entries[0].key
        guard key == "Ref" || key.hasPrefix("Fn::") else { return nil }
        return (key, entries[0].value)
    }

    /// `parent.key`, or `key` at the root.
    static func join(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }
}

/// One key/value pair of a mapping, in document order.
struct TemplateEntry: Sendable {
    var key: String
    var keyLocation: SourceLocation
    var value: TemplateNode
}

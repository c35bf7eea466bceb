import Yams

/// Reads YAML or JSON text into `TemplateNode`s, turning CloudFormation short-form tags into their long forms.
public enum TemplateParser {
    /// Short-form tags and the long-form key each stands for.
    static let shortForms: [String: String] = [
        "!Ref": "Ref", "!Condition": "Condition",
        "!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!Join": "Fn::Join", "!If": "Fn::If", "!Select": "Fn::Select",
        "!Split": "Fn::Split", "!FindInMap": "Fn::FindInMap", "!Equals": "Fn::Equals", "!Not": "Fn::Not",
        "!And": "Fn::And", "!Or": "Fn::Or", "!ImportValue": "Fn::ImportValue", "!Base64": "Fn::Base64",
        "!GetAZs": "Fn::GetAZs", "!Cidr": "Fn::Cidr", "!Transform": "Fn::Transform", "!Length": "Fn::Length",
        "!ToJsonString": "Fn::ToJsonString",
    ]

    /// Parses a whole document.
    /// - Parameter file: the file name shown in diagnostics.
    /// - Throws: `ProjectError` (`.syntax`) with libyaml's position.
    static func parse(_ text: String, file: String) throws(ProjectError) -> TemplateNode {
        guard let root = try compose(text, file: file) else {
            throw ProjectError(.syntax, file: file, line: 1, column: 1, message: "the file is empty")
        }
        var budget = maximumNodes
        return try convert(root, path: "", file: file, budget: &budget)
    }

    /// Checks that a YAML document does not expand past ``maximumNodes`` values (through aliases) before a caller
    /// loads it with `Yams.load`, which would build every copy.
    /// - Throws: `ProjectError` (`.syntax`) located at the value where the limit was passed.
    public static func checkExpansion(_ text: String, file: String) throws(ProjectError) {
        guard let root = try compose(text, file: file) else { return }
        var budget = maximumNodes
        func visit(_ node: Node) throws(ProjectError) {
            budget -= 1
            guard budget >= 0 else {
                throw expansionError(
                    at: SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1), path: nil)
            }
            switch node {
            case .sequence(let sequence): for element in sequence { try visit(element) }
            case .mapping(let mapping): for (key, value) in mapping { try visit(key); try visit(value) }
            default: break
            }
        }
        try visit(root)
    }

    /// The YAML node tree of `text` (nil for an empty document), its syntax errors located.
    static func compose(_ text: String, file: String) throws(ProjectError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw ProjectError(.syntax, file: file, line: 1, column: 1, message: "cannot parse: \(error)")
        }
    }

    /// The error for a document that expands past ``maximumNodes`` values.
    static func expansionError(at location: SourceLocation, path: String?) -> ProjectError {
        ProjectError(
            .syntax, at: location, path: path,
            message: "the document expands to more than \(maximumNodes) values through YAML aliases (an alias bomb?)")
    }

    /// The most values a document may expand to. YAML aliases let a few lines stand for billions of values (an
    /// "alias bomb"); a real template has thousands.
    static let maximumNodes = 1_000_000

    static func syntaxError(_ error: YamlError, file: String) -> ProjectError {
        func located(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> ProjectError {
            var message = problem
            if let context { message += " (\(context.text) at \(context.mark.line):\(context.mark.column))" }
            return ProjectError(.syntax, file: file, line: mark.line, column: mark.column, message: message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return located(mark, problem, context)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ProjectError(
                .syntax,
                file: file,
                line: context.mark.line,
                column: context.mark.column,
                message: "duplicate key \(duplicates.joined(separator: ", ")) in a mapping"
            )
        case .reader(let problem, _, _, _):
            return ProjectError(.syntax, file: file, line: 1, column: 1, message: "cannot read: \(problem)")
        default:
            return ProjectError(.syntax, file: file, line: 1, column: 1, message: "cannot parse: \(error)")
        }
    }

    static func convert(_ node: Node, path: String, file: String, budget: inout Int) throws(ProjectError)
        -> TemplateNode
    {
        let location = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        budget -= 1
        guard budget >= 0 else { throw expansionError(at: location, path: path) }
        let tagName: String
        let converted: TemplateNode
        switch node {
        case .scalar(let scalar):
            tagName = scalar.tag.rawValue
            let plain = scalar.style == .plain && tagName.isEmpty
            converted = TemplateNode(kind: .scalar(scalar.string, plain: plain), location: location, path: path)
        case .sequence(let sequence):
            tagName = sequence.tag.rawValue
            var elements: [TemplateNode] = []
            for (index, element) in sequence.enumerated() {
                elements.append(try convert(element, path: "\(path)[\(index)]", file: file, budget: &budget))
            }
            converted = TemplateNode(kind: .sequence(elements), location: location, path: path)
        case .mapping(let mapping):
            tagName = mapping.tag.rawValue
            var entries: [TemplateEntry] = []
            for (key, value) in mapping {
                let keyLocation =
                    key.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? location
                guard case .scalar(let keyScalar) = key else {
                    throw ProjectError(.syntax, at: keyLocation, path: path, message: "mapping keys must be scalars")
                }
                let keyText = keyScalar.string
                let child = try convert(value, path: TemplateNode.join(path, keyText), file: file, budget: &budget)
                entries.append(TemplateEntry(key: keyText, keyLocation: keyLocation, value: child))
            }
            converted = TemplateNode(kind: .mapping(entries), location: location, path: path)
        case .alias:
            throw ProjectError(.syntax, at: location, path: path, message: "unresolved YAML alias")
        }
        return try applyTag(tagName, to: converted)
    }

    /// Wraps a short-form node (`!Ref X`) into its long form (`{Ref: X}`); other tags leave the node as it is.
    static func applyTag(_ tagName: String, to node: TemplateNode) throws(ProjectError) -> TemplateNode {
        guard tagName.hasPrefix("!"), tagName != "!" else { return node }
        guard let key = shortForms[tagName] else {
            throw ProjectError(.syntax, at: node.location, path: node.path, message: "unknown tag \(tagName)")
        }
        var argument = node
        if key == "Fn::GetAtt", case .scalar(let text, _) = node.kind {
            // `!GetAtt A.B` (or `A.B.C`: the attribute is everything after the first dot).
            guard let dot = text.firstIndex(of: ".") else {
                throw ProjectError(
                    .invalidValue,
                    at: node.location,
                    path: node.path,
                    message: "!GetAtt needs LogicalId.Attribute, got \"\(text)\""
                )
            }
            let parts = [String(text[..<dot]), String(text[text.index(after: dot)...])]
            argument.kind = .sequence(
                parts.map {
                    TemplateNode(kind: .scalar($0, plain: false), location: node.location, path: node.path)
                }
            )
        }
        let entry = TemplateEntry(key: key, keyLocation: node.location, value: argument)
        return TemplateNode(kind: .mapping([entry]), location: node.location, path: node.path)
    }
}

import Foundation

/// Resolves Serverless Framework variables (`${source:address, fallback, ...}`) in a parsed serverless.yml.
///
/// Sources: `self:` (any path into the document), `opt:stage` / `opt:region`, `sls:stage` / `sls:instanceId`,
/// `env:`, `aws:region` / `aws:accountId`, `file(path)` / `file(path):key.path` (YAML or JSON, relative to the
/// service folder) and `strToBool(...)`. Fallbacks are quoted strings, numbers, booleans or other variables, tried in
/// order. A string that is exactly one variable takes the variable's value, whatever its type (a map, a number);
/// otherwise values are put into the string. `${...}` whose content names no known source (CloudFormation's
/// `${AWS::Region}` or `${MyBucket.Arn}` in `Fn::Sub`) is left as it is. Sources that need AWS (`ssm:`, `cf:`,
/// `s3:`, `param:`) resolve only through a fallback.
final class ServerlessVariableResolver {
    /// Sources that start a variable (the text before the first `:` or `(`).
    static let knownSources: Set<String> = [
        "self", "opt", "sls", "env", "aws", "file", "ssm", "cf", "s3", "param", "strToBool", "sm",
    ]
    /// Sources that need AWS: without a fallback they are an error.
    static let remoteSources: Set<String> = ["ssm", "cf", "s3", "sm"]

    let root: TemplateNode
    let serviceDirectory: URL
    let options: ProjectLoadOptions
    let file: String
    /// `${sls:instanceId}`: one random id per load, as the framework makes one per command.
    let instanceID: String

    private var cache: [String: TemplateNode] = [:]
    private var inProgress: [String] = []
    private var files: [String: TemplateNode] = [:]

    init(root: TemplateNode, serviceDirectory: URL, file: String, options: ProjectLoadOptions) {
        self.root = root
        self.serviceDirectory = serviceDirectory
        self.file = file
        self.options = options
        instanceID = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    // MARK: - Stage and region

    /// The stage: `--stage`, else `provider.stage`, else "dev".
    func stage() throws(ProjectError) -> String {
        if let stage = options.stage, !stage.isEmpty { return stage }
        if let node = try value(atPath: ["provider", "stage"]), let text = node.scalarText, !node.isNull {
            return text
        }
        return "dev"
    }

    /// The region: `--region`, else `provider.region` when set, else the options' region.
    func region() throws(ProjectError) -> String {
        if let explicit = options.regionOption, !explicit.isEmpty { return explicit }
        if let node = try value(atPath: ["provider", "region"]), let text = node.scalarText, !node.isNull {
            return text
        }
        return options.region
    }

    // MARK: - Nodes

    /// The node at `path` from the document root, with its variables resolved; nil when there is none.
    func value(atPath components: [String]) throws(ProjectError) -> TemplateNode? {
        var current = root
        for component in components {
            current = try expand(current)
            if let child = current[component] {
                current = child
            } else if let elements = current.elements, let index = Int(component), elements.indices.contains(index) {
                current = elements[index]
            } else {
                return nil
            }
        }
        return try resolveCached(current)
    }

    /// A node to look into: a string that is exactly `${file(...)}` gives the file's (or key's) node with its
    /// variables not resolved yet, so that a path below it resolves only what it reaches; other strings with
    /// variables are resolved; anything else is returned as it is.
    func expand(_ node: TemplateNode) throws(ProjectError) -> TemplateNode {
        guard case .scalar(let text, _) = node.kind, text.contains("${") else { return node }
        let segments = Self.segments(text)
        if segments.count == 1, case .variable(let content) = segments[0] {
            let parts = Self.splitFallbacks(content)
            if parts.count == 1, parts[0].hasPrefix("file("),
                case .value(let value) = try functionSource(parts[0], node: node, resolving: false)
            {
                return value
            }
        }
        return try resolveCached(node)
    }

    /// `node` with every variable resolved (memoized by position, cycles reported).
    func resolveCached(_ node: TemplateNode) throws(ProjectError) -> TemplateNode {
        let shape: String
        switch node.kind {
        case .scalar(let text, _):
            guard text.contains("${") else { return node }
            shape = "s:" + text
        case .sequence: shape = "l"
        case .mapping: shape = "m"
        }
        // Short-form tags give a wrapper and its argument the same position and path, so the shape is part of the key.
        let key = "\(node.location.file)|\(node.path)|\(node.location.line):\(node.location.column)|\(shape)"
        if let cached = cache[key] { return cached }
        guard !inProgress.contains(key) else {
            throw ProjectError(
                .invalidValue,
                at: node.location,
                path: node.path,
                message:
                    "variables refer to each other in a cycle (through \(node.path.isEmpty ? "the root" : node.path))"
            )
        }
        inProgress.append(key)
        defer { inProgress.removeLast() }
        let resolved = try resolve(node)
        cache[key] = resolved
        return resolved
    }

    /// `node` with every variable resolved.
    func resolve(_ node: TemplateNode) throws(ProjectError) -> TemplateNode {
        switch node.kind {
        case .scalar(let text, _):
            guard text.contains("${") else { return node }
            return try resolveString(text, node: node)
        case .sequence(let elements):
            var resolved = node
            var values: [TemplateNode] = []
            for element in elements { values.append(try resolveCached(element)) }
            resolved.kind = .sequence(values)
            return resolved
        case .mapping(let entries):
            var resolved = node
            var values: [TemplateEntry] = []
            for entry in entries {
                var copy = entry
                copy.value = try resolveCached(entry.value)
                values.append(copy)
            }
            resolved.kind = .mapping(values)
            return resolved
        }
    }

    // MARK: - Strings

    /// A piece of a string: literal text, or the content of a `${...}` variable.
    enum Segment: Equatable {
        case text(String)
        case variable(String)
    }

    /// Splits `text` into literal text and variables (nested `${}` kept inside their variable).
    static func segments(_ text: String) -> [Segment] {
        var segments: [Segment] = []
        var literal = ""
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            if characters[index] == "$", index + 1 < characters.count, characters[index + 1] == "{",
                let end = matchingBrace(characters, from: index + 2)
            {
                let content = String(characters[(index + 2)..<end])
                if isVariable(content) {
                    if !literal.isEmpty { segments.append(.text(literal)) }
                    literal = ""
                    segments.append(.variable(content))
                } else {
                    literal += String(characters[index...end])
                }
                index = end + 1
                continue
            }
            literal.append(characters[index])
            index += 1
        }
        if !literal.isEmpty { segments.append(.text(literal)) }
        return segments
    }

    /// The index of the `}` closing a `${` whose content starts at `start`, skipping nested variables and quotes.
    static func matchingBrace(_ characters: [Character], from start: Int) -> Int? {
        var depth = 0
        var quote: Character?
        var index = start
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "$", index + 1 < characters.count, characters[index + 1] == "{" {
                depth += 1
                index += 1
            } else if character == "}" {
                if depth == 0 { return index }
                depth -= 1
            }
            index += 1
        }
        return nil
    }

    /// True when `content` (what is inside `${}`) starts with a known source.
    static func isVariable(_ content: String) -> Bool {
        let trimmed = content.trimmingCharacters(in: .whitespaces)
        guard let end = trimmed.firstIndex(where: { $0 == ":" || $0 == "(" }) else { return false }
        let source = String(trimmed[..<end])
        if trimmed[end] == ":", trimmed[trimmed.index(after: end)...].hasPrefix(":") { return false }
        return knownSources.contains(source)
    }

    /// Splits `content` at commas that are outside quotes and nested variables.
    static func splitFallbacks(_ content: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        var parentheses = 0
        let characters = Array(content)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "$", index + 1 < characters.count, characters[index + 1] == "{" {
                depth += 1
                current.append(character)
                current.append("{")
                index += 2
                continue
            } else if character == "}" {
                depth -= 1
            } else if character == "(" {
                parentheses += 1
            } else if character == ")" {
                parentheses -= 1
            } else if character == ",", depth == 0, parentheses == 0 {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                index += 1
                continue
            }
            current.append(character)
            index += 1
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }

    /// A string scalar's value with its variables resolved: the variable's own value when the string is exactly
    /// one variable, else a string.
    func resolveString(_ text: String, node: TemplateNode) throws(ProjectError) -> TemplateNode {
        let segments = Self.segments(text)
        if segments.count == 1, case .variable(let content) = segments[0] {
            let value = try variable(content, node: node)
            return Self.placed(value, at: node)
        }
        guard segments.contains(where: { if case .variable = $0 { return true } else { return false } }) else {
            return node
        }
        var output = ""
        for segment in segments {
            switch segment {
            case .text(let literal):
                output += literal
            case .variable(let content):
                let value = try variable(content, node: node)
                guard let piece = try Self.scalarString(value) else {
                    throw error(
                        node,
                        "variable ${\(content)} is \(value.typeName), which cannot be put inside the string \"\(text)\""
                    )
                }
                output += piece
            }
        }
        var resolved = node
        resolved.kind = .scalar(output, plain: false)
        return resolved
    }

    /// Resolves the variables inside `text` into a string (for addresses such as `custom.${opt:stage}.table`).
    func interpolate(_ text: String, node: TemplateNode) throws(ProjectError) -> String {
        guard text.contains("${") else { return text }
        let resolved = try resolveString(text, node: node)
        guard let value = try Self.scalarString(resolved) else {
            throw error(node, "\"\(text)\" must resolve to a string, not \(resolved.typeName)")
        }
        return value
    }

    /// A scalar node's text as it goes into a string (null gives nil).
    static func scalarString(_ node: TemplateNode) throws(ProjectError) -> String? {
        guard case .scalar(let text, _) = node.kind, !node.isNull else { return nil }
        return text
    }

    /// `value` moved to `node`'s place: its path below `node.path`, a scalar at `node`'s position.
    static func placed(_ value: TemplateNode, at node: TemplateNode) -> TemplateNode {
        var moved = repath(value, to: node.path)
        if case .scalar = value.kind { moved.location = node.location }
        return moved
    }

    /// `node` and its children with their paths below `path`.
    static func repath(_ node: TemplateNode, to path: String) -> TemplateNode {
        var moved = node
        moved.path = path
        switch node.kind {
        case .scalar: break
        case .sequence(let elements):
            moved.kind = .sequence(elements.enumerated().map { repath($1, to: "\(path)[\($0)]") })
        case .mapping(let entries):
            moved.kind = .mapping(
                entries.map { entry in
                    var copy = entry
                    copy.value = repath(entry.value, to: TemplateNode.join(path, entry.key))
                    return copy
                }
            )
        }
        return moved
    }

    // MARK: - Variables

    /// The value of `${content}`: the first of the variable and its fallbacks that has a value.
    func variable(_ content: String, node: TemplateNode) throws(ProjectError) -> TemplateNode {
        let parts = Self.splitFallbacks(content)
        var reasons: [String] = []
        for part in parts {
            switch try fallback(part, node: node) {
            case .value(let value): return value
            case .missing(let reason): reasons.append(reason)
            }
        }
        let reason = reasons.first ?? "no value"
        let fallbackNote = parts.count > 1 ? " (and its fallbacks gave none)" : ""
        throw error(node, "cannot resolve variable ${\(content)}: \(reason)\(fallbackNote)", kind: .unknownReference)
    }

    /// What one variable or fallback gave.
    enum Lookup {
        case value(TemplateNode)
        case missing(String)
    }

    /// One part of a variable: a quoted string, a number or boolean, a nested `${}` variable, or `source:address`.
    func fallback(_ part: String, node: TemplateNode) throws(ProjectError) -> Lookup {
        let scalar = { (text: String, plain: Bool) -> Lookup in
            .value(TemplateNode(kind: .scalar(text, plain: plain), location: node.location, path: node.path))
        }
        if part.count >= 2, let first = part.first, first == "'" || first == "\"", part.last == first {
            return scalar(String(part.dropFirst().dropLast()), false)
        }
        if part.hasPrefix("${"), part.hasSuffix("}") {
            let inner = String(part.dropFirst(2).dropLast())
            let parts = Self.splitFallbacks(inner)
            for piece in parts {
                if case .value(let value) = try fallback(piece, node: node) { return .value(value) }
            }
            if case .missing(let reason) = try fallback(parts[0], node: node) { return .missing(reason) }
            return .missing("no value")
        }
        if Self.isVariable(part) {
            return try source(part, node: node)
        }
        switch IntrinsicResolver.plainScalar(part) {
        case .number, .bool, .null: return scalar(part, true)
        default:
            throw error(
                node,
                "\"\(part)\" in a variable is not a source (self:, opt:, env:, file(...)...), a quoted string or a"
                    + " number"
            )
        }
    }

    /// Looks up `source:address`.
    func source(_ text: String, node: TemplateNode) throws(ProjectError) -> Lookup {
        let found = { (value: String) -> Lookup in
            .value(TemplateNode(kind: .scalar(value, plain: false), location: node.location, path: node.path))
        }
        if text.hasPrefix("file(") || text.hasPrefix("strToBool(") {
            return try functionSource(text, node: node, resolving: true)
        }
        guard let colon = text.firstIndex(of: ":") else { return .missing("\(text) is not a variable") }
        let source = String(text[..<colon])
        let address = try interpolate(String(text[text.index(after: colon)...]), node: node)
            .trimmingCharacters(in: .whitespaces)
        switch source {
        case "self":
            let components = address.split(separator: ".").map(String.init)
            if let value = try value(atPath: components), !value.isNull { return .value(value) }
            if components == ["provider", "stage"] { return found(try stage()) }
            if components == ["provider", "region"] { return found(try region()) }
            return .missing("no value at \"\(address)\" in \(file)")
        case "opt":
            switch address {
            case "stage":
                if let stage = options.stage, !stage.isEmpty { return found(stage) }
                return .missing("--stage was not given")
            case "region":
                if let region = options.regionOption, !region.isEmpty { return found(region) }
                return .missing("--region was not given")
            default: return .missing("option --\(address) is not known to standin")
            }
        case "sls":
            switch address {
            case "stage": return found(try stage())
            case "instanceId": return found(instanceID)
            default: return .missing("unknown sls variable \"\(address)\" (stage or instanceId)")
            }
        case "env":
            if let value = options.environment[address] { return found(value) }
            return .missing("environment variable \(address) is not set")
        case "param":
            // `--param k=v` first, then the service's own params for the stage, then its defaults, as the framework
            // orders them (the Serverless Dashboard's parameters are not read).
            if let value = options.params[address] { return found(value) }
            let stage = try stage()
            for components in [
                ["stages", stage, "params", address], ["params", stage, address],
                ["stages", "default", "params", address], ["params", "default", address],
            ] {
                if let value = try value(atPath: components), !value.isNull { return .value(value) }
            }
            return .missing("no --param \(address)=VALUE and no params.\(stage).\(address) in \(file)")
        case "aws":
            switch address {
            case "region": return found(try region())
            case "accountId": return found(options.accountID)
            default: return .missing("unknown aws variable \"\(address)\" (region or accountId)")
            }
        default:
            if Self.remoteSources.contains(source) {
                return .missing("\(source): variables are read from AWS, which standin does not do; give a fallback")
            }
            return .missing("unknown variable source \(source):")
        }
    }

    /// `file(path)`, `file(path):key.path` and `strToBool(value)`; with `resolving` false, the file's node is
    /// returned with its variables not resolved (see `expand`).
    func functionSource(_ text: String, node: TemplateNode, resolving: Bool) throws(ProjectError) -> Lookup {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close else {
            throw error(node, "\(text): missing parenthesis")
        }
        let name = String(text[..<open])
        let argument = try interpolate(String(text[text.index(after: open)..<close]), node: node)
            .trimmingCharacters(in: .whitespaces)
        if name == "strToBool" {
            switch argument.lowercased() {
            case "true", "1":
                return .value(
                    TemplateNode(kind: .scalar("true", plain: true), location: node.location, path: node.path)
                )
            case "false", "0":
                return .value(
                    TemplateNode(kind: .scalar("false", plain: true), location: node.location, path: node.path)
                )
            default: throw error(node, "strToBool(\(argument)): expected true, false, 1 or 0")
            }
        }
        var relative = argument
        if relative.count >= 2, let first = relative.first, first == "'" || first == "\"", relative.last == first {
            relative = String(relative.dropFirst().dropLast())
        }
        let url = ProjectLoader.resolvePath(relative, relativeTo: serviceDirectory)
        guard FileManager.default.fileExists(atPath: url.path) else {
            return .missing("file \(relative) does not exist (in \(serviceDirectory.path))")
        }
        let fileExtension = url.pathExtension.lowercased()
        guard ["yml", "yaml", "json"].contains(fileExtension) else {
            throw error(node, "file(\(relative)): only YAML and JSON files can be read locally, not .\(fileExtension)")
        }
        let document = try loadFile(url, relative: relative)
        var rest = text[text.index(after: close)...].trimmingCharacters(in: .whitespaces)
        guard rest.hasPrefix(":") else { return .value(resolving ? try resolveCached(document) : document) }
        rest = try interpolate(String(rest.dropFirst()), node: node)
        var current = document
        for component in rest.split(separator: ".").map(String.init) {
            current = try expand(current)
            if let child = current[component] {
                current = child
            } else if let elements = current.elements, let index = Int(component), elements.indices.contains(index) {
                current = elements[index]
            } else {
                return .missing("no value at \"\(rest)\" in \(relative)")
            }
        }
        let value = resolving ? try resolveCached(current) : current
        return value.isNull ? .missing("no value at \"\(rest)\" in \(relative)") : .value(value)
    }

    /// Parses a `file(...)` document once.
    func loadFile(_ url: URL, relative: String) throws(ProjectError) -> TemplateNode {
        if let document = files[url.path] { return document }
        let shown = ProjectLoader.displayPath(url, workingDirectory: options.workingDirectory)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ProjectError(.templateNotFound, file: shown, message: "cannot read \(relative): \(error)")
        }
        let document = try TemplateParser.parse(text, file: shown)
        files[url.path] = document
        return document
    }

    func error(_ node: TemplateNode, _ message: String, kind: ProjectError.Kind = .invalidValue) -> ProjectError {
        ProjectError(kind, at: node.location, path: node.path, message: message)
    }
}

import Foundation

/// The local artifacts one template refers to, and how to write the template again once they are uploaded.
///
/// The template is rewritten as text, value by value: only the artifact values change, so YAML stays YAML and JSON
/// stays JSON, with its comments, short-form tags (`!Ref`), key order and layout.
public struct PackagingPlan: Sendable {
    /// The template file.
    public let file: URL
    /// Its text.
    public let text: String
    /// The artifacts, in document order.
    public let artifacts: [PackageableArtifact]
    /// The template's parameters, in document order.
    public let parameterNames: [String]
    /// The parameters' `Default` values, where they have a scalar one.
    public let parameterDefaults: [String: String]
    /// True when the template declares a `Transform` (SAM's, or a macro): CloudFormation then wants
    /// `CAPABILITY_AUTO_EXPAND`.
    public let declaresTransform: Bool
    let isJSON: Bool

    /// Reads `file` and finds its artifacts.
    /// - Throws: `ProjectError` for an unreadable or malformed template, located.
    public init(file: URL, shownAs shown: String? = nil) throws(ProjectError) {
        let name = shown ?? file.path
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw ProjectError(.templateNotFound, file: name, message: "cannot read the template: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ProjectError(.syntax, file: name, line: 1, column: 1, message: "the template is not UTF-8 text")
        }
        try self.init(text: text, file: file, shownAs: name)
    }

    /// Finds the artifacts of a template's text; relative paths are relative to `file`'s folder.
    public init(text: String, file: URL, shownAs shown: String) throws(ProjectError) {
        self.file = file
        self.text = text
        isJSON = text.first { !$0.isWhitespace } == "{"
        let root = try TemplateParser.parse(text, file: shown)
        parameterNames = root["Parameters"]?.entries?.map(\.key) ?? []
        var defaults: [String: String] = [:]
        for entry in root["Parameters"]?.entries ?? [] {
            if let value = entry.value["Default"]?.scalarText { defaults[entry.key] = value }
        }
        parameterDefaults = defaults
        declaresTransform = root["Transform"].map { !$0.isNull } ?? false
        var found: [PackageableArtifact] = []
        // `Globals: Function: CodeUri` is the code of every function without its own: packaged once, there.
        let globalCode = root["Globals"]?["Function"]?["CodeUri"]
        if let globalCode, case .scalar(let text, _) = globalCode.kind, !text.isEmpty, !Self.isRemote(text),
            let rule = PackageableProperty.byResourceType["AWS::Serverless::Function"]?.first
        {
            found.append(
                PackageableArtifact(
                    resourceID: "Globals", resourceType: "Globals", property: "Function.CodeUri", localPath: text,
                    rule: rule, location: globalCode.location, target: .replace(globalCode)))
        }
        for entry in root["Resources"]?.entries ?? [] {
            found += Self.artifacts(ofResource: entry, hasGlobalCode: globalCode != nil)
        }
        found += Self.includes(in: root)
        found += Self.repositoryMetadata(in: root)
        artifacts = found.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    }

    /// The folder relative artifact paths start from.
    public var baseDirectory: URL { file.deletingLastPathComponent() }

    /// The template's text with each artifact's value replaced by the uploaded object's reference.
    /// - Parameter uploaded: for each artifact (by index in ``artifacts``), where it went; artifacts without an
    ///   entry stay as they are.
    /// - Throws: `ProjectError` at a value that cannot be replaced in place (a path written over several lines, or
    ///   an empty `Properties: {}` to add it to).
    public func rewritten(_ uploaded: [Int: UploadedArtifact]) throws(ProjectError) -> String {
        var bytes = Array(text.utf8)
        var edits: [(Range<Int>, String)] = []
        for (index, object) in uploaded where artifacts.indices.contains(index) {
            let artifact = artifacts[index]
            guard let edit = edit(for: artifact, object) else {
                throw ProjectError(
                    .invalidValue, at: artifact.location, path: artifact.fieldPath,
                    message: "cannot write the uploaded location here: write the path on one line, as a plain or quoted"
                        + " string (or give the resource a Properties entry)")
            }
            edits.append(edit)
        }
        for (range, replacement) in edits.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) {
            bytes.replaceSubrange(range, with: Array(replacement.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Finding artifacts

    static func artifacts(ofResource entry: TemplateEntry, hasGlobalCode: Bool) -> [PackageableArtifact] {
        let resource = entry.value
        guard let type = resource["Type"]?.scalarText, let rules = PackageableProperty.byResourceType[type] else {
            return []
        }
        let properties = resource["Properties"]
        // Image functions have no code to zip; inline code is the code.
        if properties?["PackageType"]?.scalarText == "Image" || properties?["InlineCode"] != nil
            || properties?["ImageUri"] != nil
        {
            return []
        }
        var result: [PackageableArtifact] = []
        for rule in rules {
            let components = rule.path.split(separator: ".").map(String.init)
            var value = properties
            for component in components { value = value?[component] }
            let context = (resource: entry.key, type: type, property: rule.path)
            if let value {
                guard case .scalar(let text, _) = value.kind, !text.isEmpty, !isRemote(text) else { continue }
                result.append(
                    PackageableArtifact(
                        resourceID: context.resource, resourceType: context.type, property: context.property,
                        localPath: text, rule: rule, location: value.location, target: .replace(value)))
            } else if rule.packagesMissing, components.count == 1, !(properties.map { $0.isNull } ?? false),
                !(hasGlobalCode && type == "AWS::Serverless::Function")
            {
                let target: EditTarget =
                    if let properties, properties.entries != nil {
                        .insert(into: properties, key: rule.path, wrapper: nil)
                    } else {
                        .insert(into: resource, key: "Properties", wrapper: rule.path)
                    }
                result.append(
                    PackageableArtifact(
                        resourceID: context.resource, resourceType: context.type, property: context.property,
                        localPath: ".", rule: rule, location: (properties ?? resource).location, target: target))
            }
        }
        return result
    }

    /// `Fn::Transform: {Name: AWS::Include, Parameters: {Location: ./file.yaml}}` anywhere in the template.
    static func includes(in node: TemplateNode) -> [PackageableArtifact] {
        switch node.kind {
        case .scalar: return []
        case .sequence(let elements): return elements.flatMap { includes(in: $0) }
        case .mapping(let entries):
            var result = entries.flatMap { includes(in: $0.value) }
            if let transform = node["Fn::Transform"], transform["Name"]?.scalarText == "AWS::Include",
                let location = transform["Parameters"]?["Location"], case .scalar(let text, _) = location.kind,
                !text.isEmpty, !isRemote(text)
            {
                result.append(
                    PackageableArtifact(
                        resourceID: "AWS::Include", resourceType: "AWS::Include", property: "Location",
                        localPath: text, rule: PackageableProperty("Location", .s3URI), location: location.location,
                        target: .replace(location)))
            }
            return result
        }
    }

    /// `Metadata: AWS::ServerlessRepo::Application: LicenseUrl / ReadmeUrl` (a SAR application's files).
    static func repositoryMetadata(in root: TemplateNode) -> [PackageableArtifact] {
        guard let application = root["Metadata"]?["AWS::ServerlessRepo::Application"] else { return [] }
        return ["LicenseUrl", "ReadmeUrl"].compactMap { key in
            guard let value = application[key], case .scalar(let text, _) = value.kind, !text.isEmpty, !isRemote(text)
            else { return nil }
            return PackageableArtifact(
                resourceID: "AWS::ServerlessRepo::Application", resourceType: "AWS::ServerlessRepo::Application",
                property: key, localPath: text, rule: PackageableProperty(key, .s3URI), location: value.location,
                target: .replace(value))
        }
    }

    /// `s3://…` or `http(s)://…`: already uploaded.
    static func isRemote(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("s3://") || lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }

    // MARK: Writing references

    /// The byte range to replace and its new text.
    func edit(for artifact: PackageableArtifact, _ object: UploadedArtifact) -> (Range<Int>, String)? {
        let value = render(artifact.rule.form, object)
        switch artifact.target {
        case .replace(let node):
            guard let range = scalarRange(node) else { return nil }
            return (range, value)
        case .insert(let mapping, let key, let wrapper):
            let inserted = wrapper.map { "{\(renderKey($0)): \(value)}" } ?? value
            guard let first = mapping.entries?.first, let start = offset(of: first.keyLocation) else { return nil }
            let bytes = Array(text.utf8)
            var before = start - 1
            while before >= 0, bytes[before] == 0x20 || bytes[before] == 0x09 || bytes[before] == 0x0A
                || bytes[before] == 0x0D
            { before -= 1 }
            let inFlow = before >= 0 && (bytes[before] == UInt8(ascii: "{") || bytes[before] == UInt8(ascii: ","))
            let insertion =
                inFlow
                ? "\(renderKey(key)): \(inserted), "
                : "\(renderKey(key)): \(inserted)\n" + String(repeating: " ", count: first.keyLocation.column - 1)
            return (start..<start, insertion)
        }
    }

    func render(_ form: ArtifactReference, _ object: UploadedArtifact) -> String {
        switch form {
        case .s3URI: return renderScalar("s3://\(object.bucket)/\(object.key)")
        case .httpsURL: return renderScalar(object.url)
        case .bucketKey(let bucketName, let keyName, let versionName):
            var pairs = [(bucketName, object.bucket), (keyName, object.key)]
            if let versionName, let version = object.version { pairs.append((versionName, version)) }
            return "{" + pairs.map { "\(renderKey($0.0)): \(renderScalar($0.1))" }.joined(separator: ", ") + "}"
        }
    }

    func renderKey(_ key: String) -> String { isJSON ? Self.jsonString(key) : key }

    /// A value as JSON writes it, or (YAML) plain when it cannot be read as anything else.
    func renderScalar(_ text: String) -> String {
        if !isJSON, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/:._-".contains($0)) }),
            text.first.map({ $0.isLetter }) == true
        {
            return text
        }
        return Self.jsonString(text)
    }

    /// `text` as a JSON string literal, slashes unescaped (as people write paths and URLs).
    static func jsonString(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    /// The UTF-8 offset of a line and column (columns in Unicode scalars, as libyaml counts them).
    func offset(of location: SourceLocation) -> Int? {
        var line = 1
        var offset = 0
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while line < location.line {
            guard index != scalars.endIndex else { return nil }
            if scalars[index] == "\n" { line += 1 }
            offset += String(scalars[index]).utf8.count
            index = scalars.index(after: index)
        }
        for _ in 1..<max(location.column, 1) {
            guard index != scalars.endIndex, scalars[index] != "\n" else { return nil }
            offset += String(scalars[index]).utf8.count
            index = scalars.index(after: index)
        }
        return offset
    }

    /// Where a one-line scalar is written: a quoted one up to its closing quote, a plain one as long as its text.
    func scalarRange(_ node: TemplateNode) -> Range<Int>? {
        guard case .scalar(let value, _) = node.kind, let start = offset(of: node.location) else { return nil }
        let bytes = Array(text.utf8)
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            var index = start + 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            return index < bytes.count ? start..<(index + 1) : nil
        case UInt8(ascii: "'"):
            var index = start + 1
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "'") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "'") { index += 2; continue }
                    return start..<(index + 1)
                }
                index += 1
            }
            return nil
        default:
            let written = Array(value.utf8)
            guard bytes.count >= start + written.count, Array(bytes[start..<(start + written.count)]) == written else {
                return nil
            }
            return start..<(start + written.count)
        }
    }
}

/// One local file or folder a template refers to.
public struct PackageableArtifact: Sendable {
    /// The resource's logical id (`AWS::Include` for an include).
    public var resourceID: String
    /// Its type.
    public var resourceType: String
    /// The property (`CodeUri`).
    public var property: String
    /// The path as written (`.` when the property is absent), relative to the template's folder.
    public var localPath: String
    /// How it is packaged and referred to.
    public var rule: PackageableProperty
    /// Where the value is (or, when absent, the mapping it goes in).
    public var location: SourceLocation
    let target: EditTarget

    /// `Resources.Hello.Properties.CodeUri`-style name for messages.
    public var fieldPath: String {
        switch resourceType {
        case "AWS::Include": "Fn::Transform AWS::Include Location"
        case "Globals": "Globals.Function.CodeUri"
        case "AWS::ServerlessRepo::Application": "Metadata.AWS::ServerlessRepo::Application.\(property)"
        default: "Resources.\(resourceID).Properties.\(property)"
        }
    }
}

/// Where a reference is written: over a scalar, or as a new key of a mapping.
enum EditTarget: Sendable {
    case replace(TemplateNode)
    /// `key: value` in `mapping`; with `wrapper`, `key: {wrapper: value}` (a missing `Properties`).
    case insert(into: TemplateNode, key: String, wrapper: String?)
}

/// Where an artifact was uploaded.
public struct UploadedArtifact: Sendable, Equatable {
    /// The bucket.
    public var bucket: String
    /// The object key.
    public var key: String
    /// The object's version, when the bucket is versioned.
    public var version: String?
    /// The object's HTTPS URL (for nested stack templates).
    public var url: String

    /// Creates an upload record.
    public init(bucket: String, key: String, version: String? = nil, url: String) {
        self.bucket = bucket
        self.key = key
        self.version = version
        self.url = url
    }
}

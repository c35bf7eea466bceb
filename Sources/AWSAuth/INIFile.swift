/// An INI file parsed the way the AWS CLI parses it (Python's `configparser.RawConfigParser` plus botocore's nested
/// sub-sections).
///
/// - Full-line comments start with `#` or `;`. There are no inline comments: `region = us-east-1 # x` keeps the
///   whole text as the value, exactly as botocore does.
/// - `=` or `:` separates a key from its value; keys are lower-cased, values trimmed.
/// - A line indented deeper than its key continues the value; a value that starts on the next line
///   (`s3 =` then `  max_concurrent_requests = 10`) is a nested section of `key = value` lines.
/// - A repeated section or a repeated key in one section is an error, as in botocore.
struct INIFile: Sendable, Equatable {
    /// Sections in file order, with their entries.
    var sections: [(name: String, values: [String: ConfigValue])]

    static func == (lhs: INIFile, rhs: INIFile) -> Bool {
        lhs.sections.map(\.name) == rhs.sections.map(\.name) && lhs.sections.map(\.values) == rhs.sections.map(\.values)
    }

    /// Parses `text`; `path` names the file in error messages.
    init(parsing text: String, path: String) throws(AWSAuthError) {
        var sections: [(name: String, values: [String: [String]])] = []
        var optionName: String?
        var indentLevel = 0
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let stripped = line.trimmingWhitespace()
            let isComment = stripped.hasPrefix("#") || stripped.hasPrefix(";")
            if stripped.isEmpty || isComment {
                // configparser keeps blank lines inside a multi-line value (trimmed at the end); comments vanish.
                if !isComment, let optionName, !sections.isEmpty, sections[sections.count - 1].values[optionName] != nil
                {
                    sections[sections.count - 1].values[optionName, default: []].append("")
                }
                continue
            }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if !sections.isEmpty, let optionName, indent > indentLevel {
                sections[sections.count - 1].values[optionName, default: []].append(String(stripped))
                continue
            }
            indentLevel = indent
            if stripped.hasPrefix("["), let close = stripped.lastIndex(of: "]"),
                close > stripped.index(after: stripped.startIndex)
            {
                let name = String(stripped[stripped.index(after: stripped.startIndex)..<close])
                if sections.contains(where: { $0.name == name }) {
                    throw .configuration("\(path):\(lineNumber): section [\(name)] appears twice")
                }
                sections.append((name, [:]))
                optionName = nil
                continue
            }
            guard !sections.isEmpty else {
                throw .configuration("\(path):\(lineNumber): a line before the first [section] header: \(stripped)")
            }
            guard let separator = stripped.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw .configuration("\(path):\(lineNumber): expected `key = value`, found: \(stripped)")
            }
            let key = stripped[..<separator].trimmingWhitespace().lowercased()
            guard !key.isEmpty else { throw .configuration("\(path):\(lineNumber): a value without a key") }
            if sections[sections.count - 1].values[key] != nil {
                throw .configuration(
                    "\(path):\(lineNumber): key \(key) appears twice in [\(sections[sections.count - 1].name)]")
            }
            sections[sections.count - 1].values[key] = [
                String(stripped[stripped.index(after: separator)...].trimmingWhitespace())
            ]
            optionName = key
        }
        var result: [(name: String, values: [String: ConfigValue])] = []
        for section in sections {
            var values: [String: ConfigValue] = [:]
            for (key, lines) in section.values {
                var joined = lines.joined(separator: "\n")
                while let last = joined.last, last.isWhitespace { joined.removeLast() }
                if joined.hasPrefix("\n") {
                    var nested: [String: String] = [:]
                    for nestedLine in joined.split(separator: "\n") where !nestedLine.trimmingWhitespace().isEmpty {
                        guard let equals = nestedLine.firstIndex(of: "=") else {
                            throw .configuration(
                                "\(path): [\(section.name)] \(key): nested line without `=`: \(nestedLine)")
                        }
                        nested[String(nestedLine[..<equals].trimmingWhitespace())] =
                            String(nestedLine[nestedLine.index(after: equals)...].trimmingWhitespace())
                    }
                    values[key] = .section(nested)
                } else {
                    values[key] = .string(joined)
                }
            }
            result.append((section.name, values))
        }
        self.sections = result
    }
}

/// A value in a shared config file: a plain string, or a nested block of `key = value` lines.
public enum ConfigValue: Sendable, Equatable {
    /// `key = value`.
    case string(String)
    /// `key =` followed by indented `name = value` lines.
    case section([String: String])
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> Substring {
        let sub = self[...]
        guard let start = sub.firstIndex(where: { !$0.isWhitespace }),
            let end = sub.lastIndex(where: { !$0.isWhitespace })
        else { return Substring("") }
        return Substring(sub[start...end])
    }
}

import Foundation
import ProjectModel
import TOMLKit
import Yams

/// SAM's `samconfig.toml` / `samconfig.yaml`: default flag values per environment and command.
///
/// Values come from `[<env>.global.parameters]` and `[<env>.<command>.parameters]` (the command's section wins);
/// flags given on the command line win over both. Commands use SAM's section names: `local_invoke`,
/// `local_start_api`, `local_start_lambda`, `local_generate_event`, `validate`, `init`.
public struct SAMConfig: Sendable {
    /// A value as the file wrote it.
    public enum Value: Sendable, Equatable {
        case string(String)
        case bool(Bool)
        case number(Double)
        case list([String])

        /// The value as one string (lists joined with spaces).
        public var text: String {
            switch self {
            case .string(let text): text
            case .bool(let flag): flag ? "true" : "false"
            case .number(let number): number == number.rounded() ? String(Int(number)) : String(number)
            case .list(let items): items.joined(separator: " ")
            }
        }

        /// The value as a list: a list as is; a string split on spaces outside quotes (SAM's way).
        public var words: [String] {
            switch self {
            case .list(let items): items
            default: splitOutsideQuotes(text)
            }
        }
    }

    /// The file it came from.
    public var file: URL
    /// `environment -> command -> key -> value`.
    public var sections: [String: [String: [String: Value]]]
    /// The file's text, to point at a key's line in errors found after parsing.
    var text: String = ""

    /// The names looked for in the working directory when `--config-file` is not given.
    public static let defaultFileNames = ["samconfig.toml", "samconfig.yaml", "samconfig.yml"]

    /// Loads `--config-file`, or the first default file in `directory`; nil when there is none.
    /// - Throws: `StandinError` naming the file and the line of a syntax error.
    public static func load(file: String?, directory: URL) throws(StandinError) -> SAMConfig? {
        let url: URL
        if let file {
            url = URL(fileURLWithPath: file, relativeTo: directory).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw .usage("--config-file \(file): no such file")
            }
        } else {
            guard
                let name = defaultFileNames.first(where: {
                    FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
                })
            else { return nil }
            url = directory.appendingPathComponent(name)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .usage("\(url.path): cannot read the config file")
        }
        if let (line, column) = SourceLocation.firstInvalidUTF8(in: data) {
            throw .usage("\(url.path):\(line):\(column): not UTF-8 text: an invalid byte here")
        }
        let text = String(decoding: data, as: UTF8.self)
        let sections = url.pathExtension == "toml" ? try parseTOML(text, file: url) : try parseYAML(text, file: url)
        var config = SAMConfig(file: url, sections: sections)
        config.text = text
        return config
    }

    /// The values for `command` in `environment`: global, then the command's own.
    public func values(command: String, environment: String) -> [String: Value] {
        var result = sections[environment]?["global"] ?? [:]
        result.merge(sections[environment]?[command] ?? [:]) { $1 }
        return result
    }

    /// Writes `values` into `[<env>.<command>.parameters]` of the samconfig SAM would read for `options` (creating
    /// `samconfig.toml` with `version = 0.1` when there is none): what `--save-params` does.
    /// - Returns: the file written.
    /// - Throws: `StandinError` when the file cannot be read or written (YAML samconfig files are not rewritten).
    public static func save(_ values: [String: Value], command: String, options: CommonOptions) throws(StandinError)
        -> URL
    {
        let directory = options.configDirectory
        let url = options.configFile.map { URL(fileURLWithPath: $0, relativeTo: directory).standardizedFileURL }
            ?? defaultFileNames.lazy.map { directory.appendingPathComponent($0) }
                .first { FileManager.default.fileExists(atPath: $0.path) }
            ?? directory.appendingPathComponent("samconfig.toml")
        guard url.pathExtension == "toml" else { throw .usage("\(url.path): --save-params writes samconfig.toml files only") }
        let table: TOMLTable
        do {
            let existing = (try? String(contentsOf: url, encoding: .utf8)) ?? "version = 0.1\n"
            table = try TOMLTable(string: existing)
        } catch {
            throw .usage("\(url.path): \(error)")
        }
        let environment = table[options.configEnvironment]?.table ?? TOMLTable()
        let section = environment[command]?.table ?? TOMLTable()
        let parameters = section["parameters"]?.table ?? TOMLTable()
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            switch value {
            case .string(let text): parameters[key] = text
            case .bool(let flag): parameters[key] = flag
            case .number(let number): parameters[key] = number == number.rounded() ? Int(number) : number
            case .list(let items): parameters[key] = TOMLArray(items)
            }
        }
        section["parameters"] = parameters
        environment[command] = section
        table[options.configEnvironment] = environment
        // TOMLKit prints doubles at full precision (`version = 0.10000000000000001`): write the version line
        // with Swift's shortest form, as SAM writes it.
        var header = ""
        if let version = table["version"]?.double {
            table.remove(at: "version")
            header = "version = \(version)\n\n"
        }
        do {
            try Data((header + table.convert(to: .toml) + "\n").utf8).write(to: url, options: .atomic)
        } catch {
            throw .failure("\(url.path): cannot write: \(error.localizedDescription)")
        }
        return url
    }

    /// Fills the options that were not given on the command line from the file.
    /// - Parameter command: SAM's section name for the command (`local_invoke`, ...).
    /// - Throws: `StandinError` at the key's `file:line:col` for a `parameter_overrides` that does not parse.
    @discardableResult
    public func apply(to options: inout CommonOptions, command: String, environment: String) throws(StandinError)
        -> SAMConfigValues
    {
        let values = values(command: command, environment: environment)
        if let overrides = values["parameter_overrides"] {
            do {
                _ = try ParameterOverrides.parse(Self.overrideArguments(overrides).filter { !$0.hasPrefix("file://") })
            } catch {
                let (line, column) = position(ofKey: "parameter_overrides")
                throw .usage("\(file.path):\(line):\(column): parameter_overrides: \(error.message)")
            }
        }
        func text(_ keys: String...) -> String? { keys.lazy.compactMap { values[$0]?.text }.first }
        if options.templatePath == nil { options.templatePath = text("template_file", "template") }
        if options.parameterOverrides.isEmpty, let value = values["parameter_overrides"] {
            options.parameterOverrides = Self.overrideArguments(value)
        }
        if options.envVarsFile == nil { options.envVarsFile = text("env_vars") }
        if options.logFile == nil { options.logFile = text("log_file") }
        if options.region == nil { options.region = text("region") }
        if options.profile == nil { options.profile = text("profile") }
        if options.stackName == nil { options.stackName = text("stack_name") }
        if options.roles.isEmpty, let value = values["role"] { options.roles = value.words }
        if !options.noAssumeRole, values["no_assume_role"] == .bool(true) { options.noAssumeRole = true }
        if options.stage == nil { options.stage = text("stage") }
        if options.debugPort == nil, let port = values["debug_port"]?.words.first.flatMap({ Int($0) }) {
            options.debugPort = port  // a list (SAM's repeatable -d) or one port
        }
        if options.debugFunction == nil { options.debugFunction = text("debug_function") }
        if options.environment["DEBUGGER_ARGS"] == nil, let args = text("debug_args") {
            options.environment["DEBUGGER_ARGS"] = args
        }
        return SAMConfigValues(values: values)
    }

    /// Where `key = value` is written: the line of the first line starting with the key, and the column of its value;
    /// line 1 when it is not found (a table form).
    func position(ofKey key: String) -> (line: Int, column: Int) {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix(key) else { continue }
            let value = line.firstIndex(of: "=").map { line[line.index(after: $0)...].prefix { $0 == " " }.count }
            let column = line.firstIndex(of: "=").map { line.distance(from: line.startIndex, to: $0) + 2 + (value ?? 0) }
            return (index + 1, column ?? 1)
        }
        return (1, 1)
    }

    /// `parameter_overrides` as arguments for `ParameterOverrides.parse`, which splits and unquotes them itself:
    /// a string as the file wrote it (so `Greeting='Hi there'` stays one value); a list item by item, an item with
    /// spaces and no quotes being one pair (`["Greeting=Hi there"]`).
    static func overrideArguments(_ value: Value) -> [String] {
        guard case .list(let items) = value else { return [value.text] }
        return items.map { item in
            item.contains(where: \.isWhitespace) && !item.contains(where: { $0 == "\"" || $0 == "'" })
                ? "\"\(item)\"" : item
        }
    }

    static func parseTOML(_ text: String, file: URL) throws(StandinError) -> [String: [String: [String: Value]]] {
        // TOMLKit's parser (toml++) aborts the process on some non-ASCII bytes outside strings (`[écho]`): TOML
        // allows them only in strings and comments, so they are refused here, located, before it sees them.
        if let (line, column) = firstNonASCIIOutsideStrings(text) {
            throw .usage(
                "\(file.path):\(line):\(column): a character that cannot be in a bare key, table name or value here;"
                    + " quote it (for example [\"écho\"])")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .usage("\(file.path):\(error.source.begin.line):\(error.source.begin.column): \(error.description)")
        } catch {
            throw .usage("\(file.path): \(error)")
        }
        var result: [String: [String: [String: Value]]] = [:]
        for environment in table.keys {
            guard let commands = table[environment]?.table else { continue }
            for command in commands.keys {
                guard let parameters = commands[command]?.table?["parameters"]?.table else { continue }
                var values: [String: Value] = [:]
                for key in parameters.keys {
                    guard let raw = parameters[key] else { continue }
                    if let string = raw.string {
                        values[key] = .string(string)
                    } else if let flag = raw.bool {
                        values[key] = .bool(flag)
                    } else if let int = raw.int {
                        values[key] = .number(Double(int))
                    } else if let double = raw.double {
                        values[key] = .number(double)
                    } else if let array = raw.array {
                        values[key] = .list(array.compactMap { $0.string ?? $0.int.map(String.init) })
                    } else if let table = raw.table {
                        // `parameter_overrides` as a table: `[...parameters.parameter_overrides]` `Key = "value"`.
                        values[key] = .list(table.keys.sorted().compactMap { name in
                            guard let item = table[name] else { return nil }
                            let text = item.string ?? item.int.map(String.init) ?? item.bool.map { $0 ? "true" : "false" }
                            return text.map { "\(name)=\($0)" }
                        })
                    }
                }
                result[environment, default: [:]][command] = values
            }
        }
        return result
    }

    static func parseYAML(_ text: String, file: URL) throws(StandinError) -> [String: [String: [String: Value]]] {
        let document: Any?
        do {
            try TemplateParser.checkExpansion(text, file: file.path)
        } catch {
            throw .usage(error.description)
        }
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw .usage("\(file.path): \(error)")
        }
        guard let top = document as? [String: Any] else { return [:] }
        var result: [String: [String: [String: Value]]] = [:]
        for (environment, commandsAny) in top {
            guard let commands = commandsAny as? [String: Any] else { continue }
            for (command, sectionAny) in commands {
                guard let section = sectionAny as? [String: Any], let parameters = section["parameters"] as? [String: Any]
                else { continue }
                var values: [String: Value] = [:]
                for (key, raw) in parameters {
                    switch raw {
                    case let flag as Bool: values[key] = .bool(flag)
                    case let int as Int: values[key] = .number(Double(int))
                    case let double as Double: values[key] = .number(double)
                    case let string as String: values[key] = .string(string)
                    case let array as [Any]: values[key] = .list(array.map { "\($0)" })
                    case let map as [String: Any]: values[key] = .list(map.keys.sorted().map { "\($0)=\(map[$0]!)" })
                    default: continue
                    }
                }
                result[environment, default: [:]][command] = values
            }
        }
        return result
    }
}

/// The samconfig values one command reads (global, then its own section), for the keys that only that command's
/// flags have (`port`, `static_dir`, `warm_containers`, `event`...).
public struct SAMConfigValues: Sendable {
    public var values: [String: SAMConfig.Value] = [:]

    /// A value as one string; nil when absent.
    public func text(_ key: String) -> String? { values[key]?.text }

    /// True for `key = true` (and the strings "true" / "True").
    public func flag(_ key: String) -> Bool { values[key]?.text.lowercased() == "true" }
}

/// Where TOML text first has something TOMLKit's parser must not see (line and column from 1): a non-ASCII
/// character outside a string or comment, or a key (at a line's start, in a table header, in an inline table) that is
/// not bare-key characters and quoted parts joined by dots. toml++ asserts on those instead of reporting them, so
/// they are refused here first.
func firstNonASCIIOutsideStrings(_ text: String) -> (line: Int, column: Int)? {
    /// Where a key is being read.
    enum Key { case start, bare, after }
    let scalars = Array(text.unicodeScalars)
    var line = 1
    var column = 0
    var index = 0
    var quote: (delimiter: Unicode.Scalar, multiline: Bool)?
    var comment = false
    var key: Key? = .start  // nil: in a value
    var atLineStart = true
    var header = false  // inside `[...]` / `[[...]]`
    var headerEnded = false  // after a header's `]`: only a comment may follow
    var arrays = 0
    var inlineTables = 0
    func starts(_ prefix: String, at position: Int) -> Bool {
        let wanted = Array(prefix.unicodeScalars)
        return position + wanted.count <= scalars.count && Array(scalars[position..<position + wanted.count]) == wanted
    }
    func isBare(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
            || scalar == "-"
    }
    while index < scalars.count {
        let scalar = scalars[index]
        column += 1
        if let open = quote {
            if scalar == "\n" {
                if !open.multiline { return (line, column) }  // a one-line string must end on its line
                line += 1
                column = 0
            } else if open.delimiter == "\"", scalar == "\\" {
                index += 1
                column += 1
            } else if scalar == open.delimiter {
                let closing = String(repeating: String(open.delimiter), count: open.multiline ? 3 : 1)
                if starts(closing, at: index) {
                    quote = nil
                    index += closing.unicodeScalars.count - 1
                    column += closing.unicodeScalars.count - 1
                    if key != nil { key = .after }
                }
            }
            index += 1
            continue
        }
        if scalar == "\n" {
            if header { return (line, column) }  // a header ends on its line
            if key != nil, !atLineStart, !headerEnded, !comment, inlineTables == 0 {
                return (line, column)  // a key without `=`
            }
            line += 1
            column = 0
            comment = false
            headerEnded = false
            if arrays == 0, inlineTables == 0 {
                key = .start
                atLineStart = true
            }
            index += 1
            continue
        }
        if comment {
            index += 1
            continue
        }
        if scalar == " " || scalar == "\t" || scalar == "\r" {
            if key == .bare { key = .after }
            index += 1
            continue
        }
        if scalar == "#" {
            if key != nil, !atLineStart, !headerEnded { return (line, column) }
            comment = true
            index += 1
            continue
        }
        if !scalar.isASCII { return (line, column) }
        if headerEnded { return (line, column) }
        if let state = key {
            defer { atLineStart = false }
            if atLineStart, scalar == "[", inlineTables == 0 {
                header = true
                if starts("[[", at: index) {
                    index += 1
                    column += 1
                }
                key = .start
                index += 1
                continue
            }
            switch (state, scalar) {
            case (.start, "\""), (.start, "'"):
                quote = (scalar, false)
            case (.start, _) where isBare(scalar), (.bare, _) where isBare(scalar):
                key = .bare
            case (.bare, "."), (.after, "."):
                key = .start
            case (.bare, "=") where !header, (.after, "=") where !header:
                key = nil
            case (.bare, "]") where header, (.after, "]") where header:
                if starts("]]", at: index) {
                    index += 1
                    column += 1
                }
                header = false
                headerEnded = true
                key = .after
            default:
                return (line, column)
            }
            index += 1
            continue
        }
        switch scalar {
        case "\"", "'":
            let multiline = starts(String(repeating: String(scalar), count: 3), at: index)
            quote = (scalar, multiline)
            if multiline {
                index += 2
                column += 2
            }
        case "[": arrays += 1
        case "]": arrays = max(0, arrays - 1)
        case "{":
            inlineTables += 1
            key = .start
        case "}": inlineTables = max(0, inlineTables - 1)
        case "," where inlineTables > 0 && arrays == 0: key = .start
        default: break
        }
        index += 1
    }
    if quote != nil || header { return (line, max(column, 1)) }
    return nil
}

/// Splits on whitespace, keeping single- or double-quoted runs together (quotes removed).
func splitOutsideQuotes(_ text: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var inWord = false
    for character in text {
        if let open = quote {
            if character == open { quote = nil } else { current.append(character) }
        } else if character == "\"" || character == "'" {
            quote = character
            inWord = true
        } else if character.isWhitespace {
            if inWord { words.append(current) }
            current = ""
            inWord = false
        } else {
            current.append(character)
            inWord = true
        }
    }
    if inWord { words.append(current) }
    return words
}

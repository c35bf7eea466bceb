import Foundation

/// The `--env-vars` file, in SAM's format: `{"Parameters": {...}, "<LogicalId or FunctionName>": {...}}`.
///
/// `Parameters` applies to every function; a function's own section applies on top of it. Values may be
/// strings, numbers or booleans (written as strings, as SAM does); `null` leaves a variable out.
public struct EnvVarsFile: Sendable, Equatable {
    /// Variables for every function.
    public var parameters: [String: String]
    /// Variables per function, keyed by logical id or function name.
    public var functions: [String: [String: String]]

    public init(parameters: [String: String] = [:], functions: [String: [String: String]] = [:]) {
        self.parameters = parameters
        self.functions = functions
    }

    /// Reads and checks the file.
    /// - Throws: `StandinError` naming the file and the key that is wrong.
    public static func load(_ url: URL) throws(StandinError) -> EnvVarsFile {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .usage("\(url.path): cannot read the --env-vars file: \(error.localizedDescription)")
        }
        return try parse(data, fileName: url.path)
    }

    /// Parses the file's bytes.
    public static func parse(_ data: Data, fileName: String) throws(StandinError) -> EnvVarsFile {
        let bytes = [UInt8](data)
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let (line, column) = JSONErrorLocation.offset(in: error).map { JSONErrorLocation.lineAndColumn(of: $0, in: bytes) }
                ?? (1, 1)
            throw .usage("\(fileName):\(line):\(column): not valid JSON: \(describeJSONError(error))")
        }
        let top: [String: JSONScalarMap]
        do {
            top = try JSONDecoder().decode([String: JSONScalarMap].self, from: data)
        } catch let DecodingError.typeMismatch(_, context) where !context.codingPath.isEmpty {
            let keys = context.codingPath.map(\.stringValue)
            let (line, column) = JSONErrorLocation.key(keys, in: bytes)
            throw .usage(
                keys.count == 1
                    ? "\(fileName):\(line):\(column): \(keys.joined(separator: ".")): expected an object of variable names to values"
                    : "\(fileName):\(line):\(column): \(keys.joined(separator: ".")): expected a string, number or boolean")
        } catch {
            throw .usage("\(fileName):1:1: expected a JSON object like {\"Parameters\": {...}, \"MyFunction\": {...}}")
        }
        var file = EnvVarsFile()
        for (section, variables) in top {
            if section == "Parameters" {
                file.parameters = variables.values
            } else {
                file.functions[section] = variables.values
            }
        }
        return file
    }

    /// A `--dotenv` file (SAM's): `KEY=value` lines for every function, `Function*KEY=value` for one; blank lines,
    /// `#` comments and `export ` prefixes are skipped, and one pair of surrounding quotes is removed.
    /// - Throws: `StandinError` at the `file:line:col` of a line without `=`.
    public static func loadDotenv(_ url: URL) throws(StandinError) -> EnvVarsFile {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .usage("\(url.path): cannot read the --dotenv file")
        }
        var file = EnvVarsFile()
        for (index, rawLine) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                throw .usage("\(url.path):\(index + 1):1: expected KEY=value (or Function*KEY=value)")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            if let star = key.firstIndex(of: "*") {
                file.functions[String(key[..<star]), default: [:]][String(key[key.index(after: star)...])] = value
            } else {
                file.parameters[key] = value
            }
        }
        return file
    }

    /// This file's variables with `other`'s on top (`--env-vars` over `--dotenv`).
    public func overlaid(by other: EnvVarsFile?) -> EnvVarsFile {
        guard let other else { return self }
        var result = self
        result.parameters.merge(other.parameters) { $1 }
        for (name, variables) in other.functions { result.functions[name, default: [:]].merge(variables) { $1 } }
        return result
    }

    /// The variables this file gives a function: `Parameters`, then the function's section by logical id,
    /// then by function name (when it differs).
    public func variables(logicalID: String, functionName: String) -> [String: String] {
        var result = parameters
        if let own = functions[logicalID] { result.merge(own) { $1 } }
        if functionName != logicalID, let own = functions[functionName] { result.merge(own) { $1 } }
        return result
    }

}

/// An object of variable names to strings, numbers, booleans or null (left out), as SAM's `--env-vars` allows.
struct JSONScalarMap: Decodable {
    var values: [String: String]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        values = [:]
        for key in container.allKeys {
            if try container.decodeNil(forKey: key) { continue }
            if let flag = try? container.decode(Bool.self, forKey: key) {
                values[key.stringValue] = flag ? "true" : "false"
            } else if let int = try? container.decode(Int.self, forKey: key) {
                values[key.stringValue] = String(int)
            } else if let number = try? container.decode(Double.self, forKey: key) {
                values[key.stringValue] = String(number)
            } else {
                values[key.stringValue] = try container.decode(String.self, forKey: key)
            }
        }
    }
}

func describeJSONError(_ error: any Error) -> String {
    let nsError = error as NSError
    return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
}

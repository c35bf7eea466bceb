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
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .usage("\(fileName): not valid JSON: \(describeJSONError(error))")
        }
        guard let top = object as? [String: Any] else {
            throw .usage("\(fileName): expected a JSON object like {\"Parameters\": {...}, \"MyFunction\": {...}}")
        }
        var file = EnvVarsFile()
        for (section, value) in top {
            guard let variables = value as? [String: Any] else {
                throw .usage("\(fileName): \(section): expected an object of variable names to values")
            }
            var strings: [String: String] = [:]
            for (name, raw) in variables {
                guard let text = try stringValue(raw, at: "\(fileName): \(section).\(name)") else { continue }
                strings[name] = text
            }
            if section == "Parameters" {
                file.parameters = strings
            } else {
                file.functions[section] = strings
            }
        }
        return file
    }

    /// The variables this file gives a function: `Parameters`, then the function's section by logical id,
    /// then by function name (when it differs).
    public func variables(logicalID: String, functionName: String) -> [String: String] {
        var result = parameters
        if let own = functions[logicalID] { result.merge(own) { $1 } }
        if functionName != logicalID, let own = functions[functionName] { result.merge(own) { $1 } }
        return result
    }

    private static func stringValue(_ raw: Any, at path: String) throws(StandinError) -> String? {
        switch raw {
        case is NSNull:
            return nil
        case let text as String:
            return text
        case let number as NSNumber:
            if CFGetTypeID(number) == CFBooleanGetTypeID() { return number.boolValue ? "true" : "false" }
            return number.stringValue
        default:
            throw .usage("\(path): expected a string, number or boolean")
        }
    }
}

func describeJSONError(_ error: any Error) -> String {
    let nsError = error as NSError
    return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
}

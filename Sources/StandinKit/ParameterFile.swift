import Foundation
import ProjectModel
import TOMLKit
import Yams

/// A `--parameter-overrides file://PATH` file: JSON or YAML, as a map (`{"Stage": "dev"}`) or CloudFormation's list
/// (`[{"ParameterKey": "Stage", "ParameterValue": "dev"}]`, what `aws cloudformation` takes), or TOML `Key = "value"`.
enum ParameterFile {
    /// The parameters the file holds.
    /// - Throws: `StandinError` naming the file (and the line of a syntax error).
    static func read(_ url: URL) throws(StandinError) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .usage("--parameter-overrides file://\(url.path): no such file")
        }
        let text = String(decoding: data, as: UTF8.self)
        let document: Any?
        if url.pathExtension.lowercased() == "toml" {
            do {
                let table = try TOMLTable(string: text)
                var result: [String: String] = [:]
                for key in table.keys {
                    guard let value = table[key] else { continue }
                    result[key] = value.string ?? value.int.map(String.init) ?? value.bool.map { $0 ? "true" : "false" }
                }
                return result
            } catch let error as TOMLParseError {
                throw .usage("\(url.path):\(error.source.begin.line):\(error.source.begin.column): \(error.description)")
            } catch {
                throw .usage("\(url.path): \(error)")
            }
        }
        do {
            try TemplateParser.checkExpansion(text, file: url.path)
        } catch {
            throw .usage(error.description)
        }
        do {
            document = try Yams.load(yaml: text)  // JSON is YAML
        } catch {
            throw .usage("\(url.path): not JSON or YAML: \(error)")
        }
        if let map = document as? [String: Any] {
            return map.mapValues { "\($0)" }
        }
        if let list = document as? [[String: Any]] {
            var result: [String: String] = [:]
            for item in list {
                guard let key = item["ParameterKey"] as? String, let value = item["ParameterValue"] else {
                    throw .usage("\(url.path): each item needs ParameterKey and ParameterValue")
                }
                result[key] = "\(value)"
            }
            return result
        }
        throw .usage("\(url.path): expected a map of parameters or a list of ParameterKey/ParameterValue")
    }
}

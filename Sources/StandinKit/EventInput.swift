import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where an invocation's event comes from: `-e FILE`, `-e -` (standard input), `-d JSON`, or nothing.
public enum EventInput: Sendable, Equatable {
    case file(String)
    case standardInput
    case inline(String)
    /// No event given: standard input when it is a pipe or file, `{}` on a terminal.
    case automatic

    /// Reads the event and checks that it is JSON, as Lambda's Invoke API does.
    /// - Throws: `StandinError` naming the source and, for bad JSON, the line and column.
    public func read() throws(StandinError) -> [UInt8] {
        let bytes: [UInt8]
        let source: String
        switch self {
        case .file(let path):
            source = path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .usage("\(path): cannot read the event file")
            }
            bytes = Array(data)
        case .standardInput:
            source = "standard input"
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        case .inline(let text):
            source = "--data"
            bytes = Array(text.utf8)
        case .automatic:
            if isatty(0) == 1 { return Array("{}".utf8) }
            source = "standard input"
            let data = FileHandle.standardInput.readDataToEndOfFile()
            bytes = data.isEmpty ? Array("{}".utf8) : Array(data)
        }
        try Self.validateJSON(bytes, source: source)
        return bytes
    }

    /// Checks that `bytes` hold one JSON value; the error names `source` and the line and column.
    public static func validateJSON(_ bytes: [UInt8], source: String) throws(StandinError) {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            var message = "\(source): the event is not valid JSON"
            if let offset = JSONErrorLocation.offset(in: error) {
                let (line, column) = JSONErrorLocation.lineAndColumn(of: offset, in: bytes)
                message = "\(source):\(line):\(column): the event is not valid JSON"
            }
            throw .usage(message + " (\(describeJSONError(error)))")
        }
    }
}

/// Finds where Foundation's JSON parser stopped, to point at a line and column.
enum JSONErrorLocation {
    /// The byte offset in Foundation's "… around character N." message, when it has one.
    static func offset(in error: any Error) -> Int? {
        let text = describeJSONError(error)
        guard let range = text.range(of: "around character ") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// Where the key at `path` (`["Section", "NAME"]`) is written: each key is looked for after the previous one
    /// (the first occurrence of `"key"` as a string); the start of the text when it is not found.
    static func key(_ path: [String], in bytes: [UInt8]) -> (Int, Int) {
        var offset = 0
        for key in path {
            let needle = Array("\"\(key)\"".utf8)
            guard needle.count <= bytes.count,
                let found = (offset...(bytes.count - needle.count)).first(where: {
                    bytes[$0..<$0 + needle.count].elementsEqual(needle)
                })
            else { return lineAndColumn(of: offset, in: bytes) }
            offset = found
        }
        return lineAndColumn(of: offset, in: bytes)
    }

    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1
        var column = 1
        for byte in bytes.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}

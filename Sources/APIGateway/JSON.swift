import JSONParsing

/// A parsed JSON value with object members in document order (used for functions' answers).
indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The value and its exact source text.
    case number(Double, String)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a, _), .number(let b, _)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The member named `name` of an object (the last one when repeated), else nil.
    subscript(name: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == name }?.1
    }

    var objectMembers: [(String, JSON)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A short name of the value's type, for diagnostics ("a string", "null").
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Strings as is, numbers and booleans as their JSON text (how API Gateway stringifies header values).
    var scalarText: String? {
        switch self {
        case .string(let text): text
        case .number(_, let text): text
        case .bool(let value): value ? "true" : "false"
        default: nil
        }
    }

    /// Parses a whole document (surrounding whitespace allowed).
    static func parse(_ bytes: some Collection<UInt8>) -> JSON? {
        JSONParser<JSON>.parse(bytes)
    }

    /// Serialises compactly, members in order.
    var bytes: [UInt8] {
        var writer = JSONWriter()
        writer.value(self)
        return writer.bytes
    }
}

extension JSON: JSONTree {
    /// A number keeps its exact text (API Gateway passes header values such as `1.50` on as written).
    static func number(text: String) -> JSON? {
        Double(text).map { .number($0, text) }
    }
}

import JSONParsing

/// Parsing JSON text (for options such as `--detail`) into an order-keeping ``EventJSON``, with the parser standin's
/// modules share.
extension EventJSON: JSONTree {
    /// Parses one JSON document; nil when the text is not valid JSON.
    static func parse(_ text: String) -> EventJSON? {
        JSONParser<EventJSON>.parse(Array(text.utf8))
    }

    /// Integers (no fraction, no exponent, in range) as `int`, other numbers as `double`.
    static func number(text: String) -> EventJSON? {
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let value = Int(text) { return .int(value) }
        return Double(text).map(EventJSON.double)
    }
}

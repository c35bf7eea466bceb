import Testing

@testable import APIGateway

/// The JSON parser the gateway and the sample events share (module JSONParsing), through the gateway's tree.
@Suite struct JSONParserTests {
    @Test func membersKeepTheirOrderRepeatsAndNumberText() throws {
        let json = try #require(JSON.parse(Array(#" {"b": 1.50, "a": [true, null, "x\u00e9\ud83d\ude00"], "b": -0} "#.utf8)))
        let members = try #require(json.objectMembers)
        #expect(members.map(\.0) == ["b", "a", "b"])
        #expect(json["b"] == .number(0, "-0"), "the last of a repeated name")
        #expect(members[0].1.scalarText == "1.50")
        #expect(json["a"] == .array([.bool(true), .null, .string("xé😀")]))
    }

    @Test(arguments: [
        "", "01", "1.", ".5", "1e", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "\"\u{01}\"", "\"\\x\"", "\"\\ud83d\"",
        "[1] x", "tru", "nul",
    ])
    func invalidDocumentsAreRefused(text: String) {
        #expect(JSON.parse(Array(text.utf8)) == nil, "\(text)")
    }

    @Test func aStringThatIsNotUTF8IsRefused() {
        #expect(JSON.parse([0x22, 0xFF, 0x22]) == nil)
    }

    @Test func nestingDeeperThanTheLimitIsRefusedNotRecursedInto() {
        let limit = 512
        #expect(JSON.parse(Array((String(repeating: "[", count: limit) + String(repeating: "]", count: limit)).utf8)) != nil)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(JSON.parse(Array(deep.utf8)) == nil)
    }
}

import Testing

@testable import APIGateway

struct ResponseMapperTests {
    static let rest = APIRoute(
        method: "GET",
        path: "/x",
        kind: .rest,
        functionLogicalID: "F",
        binaryMediaTypes: ["image/png"]
    )
    static let http1 = APIRoute(
        method: "GET",
        path: "/x",
        kind: .http,
        payloadFormatVersion: "1.0",
        functionLogicalID: "F"
    )
    static let http2 = APIRoute(method: "GET", path: "/x", kind: .http, functionLogicalID: "F")
    static let request = APIRequest(method: "GET", target: "/x")

    static func map(
        _ answer: String,
        _ route: APIRoute,
        request: APIRequest = request,
        errorType: String? = nil
    ) -> ResponseMapping {
        ResponseMapper.map(
            FunctionInvocationOutcome(payload: Array(answer.utf8), errorType: errorType),
            route: route,
            request: request
        )
    }

    static func text(_ response: GatewayResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    /// API Gateway merges `headers` and `multiValueHeaders` into one list: the values of both are kept, and a name and
    /// value given in both appears once.
    @Test func v1MergesHeadersAndDefaultsContentType() {
        let mapping = Self.map(
            #"{"statusCode":201,"headers":{"X-One":"1","X-Both":"single","Num":5,"X-Same":"v"},"#
                + #""multiValueHeaders":{"x-both":["a","b"],"x-same":["v"]},"body":"hi"}"#,
            Self.rest
        )
        #expect(mapping.diagnostic == nil)
        #expect(mapping.response.status == 201)
        #expect(
            mapping.response.headers == [
                HeaderField("X-One", "1"), HeaderField("X-Both", "single"), HeaderField("Num", "5"),
                HeaderField("x-both", "a"), HeaderField("x-both", "b"), HeaderField("x-same", "v"),
                HeaderField("Content-Type", "application/json"),
            ]
        )
        #expect(Self.text(mapping.response) == "hi")
    }

    /// Malformed answers: REST 502, HTTP API 500, with a diagnostic naming the problem.
    @Test(arguments: [
        ("not json", "invalid JSON"),
        ("[1,2]", "must be a JSON object"),
        (#"{"body":"x"}"#, "statusCode is missing"),
        (#"{"statusCode":"200"}"#, "statusCode must be an integer"),
        (#"{"statusCode":200.5}"#, "statusCode must be an integer"),
        (#"{"statusCode":200,"body":{"a":1}}"#, "body must be a string"),
        (#"{"statusCode":200,"headers":[]}"#, "headers must be an object"),
        (#"{"statusCode":200,"isBase64Encoded":"yes"}"#, "isBase64Encoded must be a boolean"),
    ])
    func malformedV1(answer: String, problem: String) throws {
        let rest = Self.map(answer, Self.rest)
        #expect(rest.response.status == 502)
        #expect(Self.text(rest.response) == #"{"message":"Internal server error"}"#)
        #expect(try #require(rest.diagnostic).contains(problem))
        let http = Self.map(answer, Self.http1)
        #expect(http.response.status == 500)
        #expect(Self.text(http.response) == #"{"message":"Internal Server Error"}"#)
    }

    @Test func restRejectsUnknownKeysHTTPIgnoresThem() throws {
        let answer = #"{"statusCode":200,"body":"ok","extra":1}"#
        #expect(try #require(Self.map(answer, Self.rest).diagnostic).contains("extra"))
        #expect(Self.map(answer, Self.http1).response.status == 200)
    }

    @Test func functionErrorIsAGatewayError() throws {
        let answer = #"{"errorMessage":"boom","errorType":"ValueError"}"#
        let rest = Self.map(answer, Self.rest, errorType: "ValueError")
        #expect(rest.response.status == 502)
        #expect(try #require(rest.diagnostic).contains("boom"))
        #expect(Self.map(answer, Self.http2, errorType: "Runtime.ExitError").response.status == 500)
    }

    @Test func restDecodesBase64OnlyForBinaryMediaTypes() {
        let answer = #"{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"UE5H","isBase64Encoded":true}"#
        #expect(Self.text(Self.map(answer, Self.rest).response) == "PNG")
        let textAnswer =
            #"{"statusCode":200,"headers":{"Content-Type":"text/plain"},"body":"UE5H","isBase64Encoded":true}"#
        #expect(Self.text(Self.map(textAnswer, Self.rest).response) == "UE5H")
        let accepting = APIRequest(method: "GET", target: "/x", headers: [HeaderField("Accept", "image/png")])
        #expect(Self.text(Self.map(textAnswer, Self.rest, request: accepting).response) == "PNG")
        // REST checks base64Encoded before isBase64Encoded.
        let legacy =
            #"{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"UE5H","#
            + #""base64Encoded":true,"isBase64Encoded":false}"#
        #expect(Self.text(Self.map(legacy, Self.rest).response) == "PNG")
        // A null base64Encoded falls back to isBase64Encoded.
        let nullLegacy =
            #"{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"UE5H","#
            + #""base64Encoded":null,"isBase64Encoded":true}"#
        #expect(Self.text(Self.map(nullLegacy, Self.rest).response) == "PNG")
        // HTTP API decodes whenever the flag is set.
        #expect(Self.text(Self.map(textAnswer, Self.http1).response) == "PNG")
    }

    @Test(arguments: [
        (#"{"hello":"world"}"#, #"{"hello":"world"}"#),
        (#"  "plain text"  "#, "plain text"),
        ("42", "42"),
        ("[1, 2]", "[1, 2]"),
    ])
    func v2InfersResponsesWithoutStatusCode(answer: String, body: String) {
        let mapping = Self.map(answer, Self.http2)
        #expect(mapping.diagnostic == nil)
        #expect(mapping.response.status == 200)
        #expect(mapping.response.header("Content-Type") == "application/json")
        #expect(Self.text(mapping.response) == body)
    }

    @Test func v2WithStatusCodeUsesCookiesAndBase64() {
        let answer =
            #"{"statusCode":302,"headers":{"Location":"/next","Content-Type":"application/octet-stream"},"#
            + #""cookies":["a=1; Path=/","b=2"],"body":"AAEC","isBase64Encoded":true}"#
        let mapping = Self.map(answer, Self.http2)
        #expect(mapping.response.status == 302)
        #expect(mapping.response.headers.filter { $0.name == "Set-Cookie" }.map(\.value) == ["a=1; Path=/", "b=2"])
        #expect(mapping.response.body == [0, 1, 2])
        #expect(mapping.response.header("Location") == "/next")
    }

    @Test func v2MalformedWithStatusCode() {
        #expect(Self.map(#"{"statusCode":"ok"}"#, Self.http2).response.status == 500)
        #expect(Self.map(#"{"statusCode":200,"cookies":"a=1"}"#, Self.http2).response.status == 500)
        #expect(Self.map("{nope", Self.http2).response.status == 500)
    }
}

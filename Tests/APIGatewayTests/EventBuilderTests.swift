import Testing

@testable import APIGateway

struct EventBuilderTests {
    static let context = EventContext(
        requestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        timeEpochMilliseconds: 1_589_522_469_693,
        accountID: "123456789012",
        region: "us-east-1",
        serverPort: 3000
    )

    static func postRequest(contentType: String = "application/json", body: String = "{\"a\": 1}") -> APIRequest {
        APIRequest(
            method: "POST",
            target: "/hello/world?name=me&tag=a&tag=b",
            headers: [
                HeaderField("Host", "127.0.0.1:3000"), HeaderField("User-Agent", "curl/8.0"),
                HeaderField("Content-Type", contentType), HeaderField("X-Multi", "one"), HeaderField("x-multi", "two"),
                HeaderField("Cookie", "a=1; b=2"), HeaderField("Cookie", "c=3"),
            ],
            body: Array(body.utf8),
            sourceIP: "127.0.0.1"
        )
    }

    static func match(_ route: APIRoute, _ request: APIRequest) throws -> RouteMatch {
        let table = try RouteTable(routes: [route])
        return try #require(table.match(method: request.method, path: request.path))
    }

    @Test func restEventHasTheFixtureShape() throws {
        guard let fixture = try Fixtures.awsLambdaGo("apigw-request.json") else { return }
        let route = APIRoute(method: "ANY", path: "/{proxy+}", kind: .rest, functionLogicalID: "F", apiID: "abc123")
        let request = Self.postRequest()
        let event = try #require(
            JSON.parse(EventBuilder.event(for: request, match: Self.match(route, request), context: Self.context))
        )
        let rules = ShapeRules(
            maps: [
                "headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters",
                "pathParameters", "stageVariables",
            ],
            mayBeAbsent: ["requestContext.identity.clientCert", "requestContext.authorizer"],
            mayBeExtra: ["isBase64Encoded", "requestContext.identity.principalOrgId"],
            mayBeNull: Set(
                [
                    "cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller", "apiKey", "apiKeyId",
                    "accessKey", "cognitoAuthenticationType", "cognitoAuthenticationProvider", "userArn", "user",
                ]
                .map { "requestContext.identity.\($0)" }
            )
        )
        #expect(rules.differences(event, fixture) == [])
        #expect(event["version"] == nil)
        #expect(event.keys.prefix(4) == ["resource", "path", "httpMethod", "headers"])
        #expect(event["resource"] == .string("/{proxy+}"))
        #expect(event["path"] == .string("/hello/world"))
        #expect(event["pathParameters"]?["proxy"] == .string("hello/world"))
        #expect(event["headers"]?["X-Multi"] == .string("two"))
        #expect(event["multiValueHeaders"]?["X-Multi"] == .array([.string("one"), .string("two")]))
        #expect(event["queryStringParameters"]?["tag"] == .string("b"))
        #expect(event["multiValueQueryStringParameters"]?["tag"] == .array([.string("a"), .string("b")]))
        #expect(event["stageVariables"] == .null)
        #expect(event["body"] == .string("{\"a\": 1}"))
        #expect(event["isBase64Encoded"] == .bool(false))
        let context = try #require(event["requestContext"])
        #expect(context["path"] == .string("/Prod/hello/world"))
        #expect(context["stage"] == .string("Prod"))
        #expect(context["requestTime"] == .string("15/May/2020:06:01:09 +0000"))
        #expect(context["requestTimeEpoch"] == .number(1_589_522_469_693, "1589522469693"))
        #expect(context["identity"]?["sourceIp"] == .string("127.0.0.1"))
        #expect(context["apiId"] == .string("abc123"))
    }

    @Test func restGetWithoutQueryHasNulls() throws {
        let route = APIRoute(method: "GET", path: "/items", kind: .rest, functionLogicalID: "F")
        let request = APIRequest(method: "GET", target: "/items")
        let event = try #require(
            JSON.parse(EventBuilder.event(for: request, match: Self.match(route, request), context: Self.context))
        )
        #expect(event["queryStringParameters"] == .null)
        #expect(event["multiValueQueryStringParameters"] == .null)
        #expect(event["pathParameters"] == .null)
        #expect(event["body"] == .null)
    }

    @Test func httpAPIPayload1HasVersionAndLowercaseHeaders() throws {
        let route = APIRoute(
            method: "POST",
            path: "/hello/{name}",
            kind: .http,
            payloadFormatVersion: "1.0",
            functionLogicalID: "F"
        )
        let request = Self.postRequest()
        let event = try #require(
            JSON.parse(EventBuilder.event(for: request, match: Self.match(route, request), context: Self.context))
        )
        #expect(event.keys.first == "version")
        #expect(event["version"] == .string("1.0"))
        #expect(event["headers"]?["x-multi"] == .string("two"))
        #expect(event["requestContext"]?["path"] == .string("/hello/world"))
        #expect(event["requestContext"]?["resourceId"] == .null)
    }

    @Test func restBinaryMediaTypeBodyIsBase64() throws {
        let route = APIRoute(
            method: "POST",
            path: "/{proxy+}",
            kind: .rest,
            functionLogicalID: "F",
            binaryMediaTypes: ["image/*"]
        )
        let request = Self.postRequest(contentType: "image/png", body: "PNG")
        let event = try #require(
            JSON.parse(EventBuilder.event(for: request, match: Self.match(route, request), context: Self.context))
        )
        #expect(event["body"] == .string("UE5H"))
        #expect(event["isBase64Encoded"] == .bool(true))
        let text = Self.postRequest(contentType: "text/plain", body: "PNG")
        let textEvent = try #require(
            JSON.parse(EventBuilder.event(for: text, match: Self.match(route, text), context: Self.context))
        )
        #expect(textEvent["body"] == .string("PNG"))
    }

    @Test func v2EventHasTheFixtureShape() throws {
        guard let fixture = try Fixtures.awsLambdaGo("apigw-v2-request-no-authorizer.json") else { return }
        let route = APIRoute(method: "ANY", path: "$default", kind: .http, functionLogicalID: "F", apiID: "aaaaaaaaaa")
        let request = APIRequest(
            method: "GET",
            target: "/",
            headers: [HeaderField("Host", "localhost"), HeaderField("User-Agent", "curl")]
        )
        let event = try #require(
            JSON.parse(EventBuilder.event(for: request, match: Self.match(route, request), context: Self.context))
        )
        let rules = ShapeRules(maps: ["headers"], mayBeAbsent: ["requestContext.authentication"])
        #expect(rules.differences(event, fixture) == [])
        #expect(
            event.keys == [
                "version", "routeKey", "rawPath", "rawQueryString", "headers", "requestContext", "isBase64Encoded",
            ]
        )
        #expect(event["routeKey"] == .string("$default"))
        #expect(event["requestContext"]?["stage"] == .string("$default"))
        #expect(event["requestContext"]?["time"] == .string("15/May/2020:06:01:09 +0000"))
    }

    @Test func v2EventJoinsRepeatsAndSplitsCookies() throws {
        let route = APIRoute(method: "POST", path: "/hello/{name}", kind: .http, functionLogicalID: "F")
        let request = Self.postRequest(contentType: "application/x-www-form-urlencoded", body: "a=1")
        let event = try #require(
            JSON.parse(EventBuilder.event(for: request, match: Self.match(route, request), context: Self.context))
        )
        #expect(event["routeKey"] == .string("POST /hello/{name}"))
        #expect(event["rawPath"] == .string("/hello/world"))
        #expect(event["rawQueryString"] == .string("name=me&tag=a&tag=b"))
        #expect(event["cookies"] == .array([.string("a=1"), .string("b=2"), .string("c=3")]))
        #expect(event["headers"]?["x-multi"] == .string("one,two"))
        #expect(event["headers"]?["cookie"] == nil)
        #expect(event["queryStringParameters"]?["tag"] == .string("a,b"))
        #expect(event["pathParameters"]?["name"] == .string("world"))
        #expect(event["requestContext"]?["http"]?["method"] == .string("POST"))
        #expect(event["requestContext"]?["routeKey"] == .string("POST /hello/{name}"))
        // Form bodies are not text for HTTP APIs: base64.
        #expect(event["body"] == .string("YT0x"))
        #expect(event["isBase64Encoded"] == .bool(true))
    }

    @Test func functionURLEventHasTheFixtureShape() throws {
        guard let fixture = try Fixtures.awsLambdaGo("lambda-urls-request.json") else { return }
        let route = APIRoute(
            method: "ANY",
            path: "$default",
            kind: .functionURL,
            functionLogicalID: "F",
            apiID: "urlid123"
        )
        let request = Self.postRequest(contentType: "text/plain", body: "Hello from client!")
        let event = try #require(
            JSON.parse(EventBuilder.event(for: request, match: Self.match(route, request), context: Self.context))
        )
        let rules = ShapeRules(
            maps: ["headers", "queryStringParameters"],
            mayBeAbsent: ["requestContext.authorizer"],
            mayBeExtra: ["routeKey", "requestContext.routeKey", "requestContext.stage"]
        )
        #expect(rules.differences(event, fixture) == [])
        #expect(event["routeKey"] == .string("$default"))
        #expect(event["requestContext"]?["domainName"] == .string("urlid123.lambda-url.us-east-1.on.aws"))
        #expect(event["requestContext"]?["domainPrefix"] == .string("urlid123"))
        #expect(event["body"] == .string("Hello from client!"))
    }

    @Test(arguments: [
        ("127.0.0.1:3000", "127.0.0.1", "127.0.0.1"), ("localhost:3000", "localhost", "localhost"),
        ("api.example.com", "api.example.com", "api"), ("[::1]:3000", "[::1]", "[::1]"),
    ])
    func domainNameHasNoPort(host: String, domain: String, prefix: String) throws {
        let route = APIRoute(method: "GET", path: "/x", kind: .http, functionLogicalID: "F")
        let request = APIRequest(method: "GET", target: "/x", headers: [HeaderField("Host", host)])
        let event = try #require(
            JSON.parse(EventBuilder.event(for: request, match: Self.match(route, request), context: Self.context))
        )
        #expect(event["requestContext"]?["domainName"] == .string(domain))
        #expect(event["requestContext"]?["domainPrefix"] == .string(prefix))
        #expect(event["headers"]?["host"] == .string(host))
    }

    @Test func escapesStringsInJSON() throws {
        let route = APIRoute(method: "POST", path: "/x", kind: .rest, functionLogicalID: "F")
        let body = "line\n\"quoted\"\\ tab\t \u{01} é 😀"
        let request = APIRequest(
            method: "POST",
            target: "/x",
            headers: [HeaderField("Content-Type", "text/plain")],
            body: Array(body.utf8)
        )
        let bytes = EventBuilder.event(for: request, match: try Self.match(route, request), context: Self.context)
        let event = try #require(JSON.parse(bytes))
        #expect(event["body"] == .string(body))
    }
}

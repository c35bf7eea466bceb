import Testing

@testable import APIGateway

struct RouteTableTests {
    static let table: RouteTable = {
        let routes = [
            APIRoute(method: "GET", path: "/users/{id}", kind: .rest, functionLogicalID: "GetUser"),
            APIRoute(method: "GET", path: "/users/me", kind: .rest, functionLogicalID: "Me"),
            APIRoute(method: "ANY", path: "/users/{id}", kind: .rest, functionLogicalID: "AnyUser"),
            APIRoute(method: "ANY", path: "/{proxy+}", kind: .rest, functionLogicalID: "Proxy"),
            APIRoute(method: "GET", path: "/files/{path+}", kind: .rest, functionLogicalID: "Files"),
            APIRoute(method: "POST", path: "/", kind: .rest, functionLogicalID: "Root"),
            APIRoute(method: "GET", path: "/a/{x}/c", kind: .rest, functionLogicalID: "AXC"),
            APIRoute(method: "GET", path: "/a/b/{y}", kind: .rest, functionLogicalID: "ABY"),
        ]
        return (try? RouteTable(routes: routes)) ?? { preconditionFailure("bad test routes") }()
    }()

    @Test(arguments: [
        ("GET", "/users/42", "GetUser"),
        ("GET", "/users/me", "Me"),
        ("DELETE", "/users/42", "AnyUser"),
        ("GET", "/users/42/extra", "Proxy"),
        ("GET", "/files/a/b/c.txt", "Files"),
        ("PUT", "/files/a", "Proxy"),
        ("POST", "/", "Root"),
        ("GET", "/a/b/c", "ABY"),
        ("GET", "/a/z/c", "AXC"),
        ("GET", "/anything/else", "Proxy"),
    ])
    func matchesByPrecedence(method: String, path: String, function: String) {
        #expect(Self.table.match(method: method, path: path)?.route.functionLogicalID == function)
    }

    @Test func rootIsNotMatchedByGreedyAndGetRootIsUnknown() {
        #expect(Self.table.match(method: "GET", path: "/") == nil)
    }

    @Test func decodesPathParameters() throws {
        let match = try #require(Self.table.match(method: "GET", path: "/users/j%C3%B6rg%20x"))
        #expect(match.pathParameters == [.init(name: "id", value: "jörg x")])
        let files = try #require(Self.table.match(method: "GET", path: "/files/dir%2Fa/b.txt"))
        #expect(files.pathParameters == [.init(name: "path", value: "dir/a/b.txt")])
    }

    @Test func httpAPIDefaultCatchesUnmatched() throws {
        let table = try RouteTable(routes: [
            APIRoute(method: "GET", path: "/hello", kind: .http, functionLogicalID: "Hello"),
            APIRoute(method: "ANY", path: "$default", kind: .http, functionLogicalID: "Default"),
        ])
        #expect(table.match(method: "GET", path: "/hello")?.route.functionLogicalID == "Hello")
        #expect(table.match(method: "POST", path: "/hello")?.route.functionLogicalID == "Default")
        #expect(table.match(method: "GET", path: "/x/y")?.route.routeKey == "$default")
        #expect(table.isHTTPAPIOnly)
    }

    @Test func unknownRouteResponsesDifferByAPIKind() throws {
        let rest = try RouteTable(routes: [APIRoute(method: "GET", path: "/a", kind: .rest, functionLogicalID: "A")])
        let http = try RouteTable(routes: [APIRoute(method: "GET", path: "/a", kind: .http, functionLogicalID: "A")])
        #expect(rest.match(method: "GET", path: "/b") == nil)
        let restResponse = GatewayResponse.routeNotFound(httpAPI: rest.isHTTPAPIOnly)
        #expect(restResponse.status == 403)
        #expect(String(decoding: restResponse.body, as: UTF8.self) == #"{"message":"Missing Authentication Token"}"#)
        let httpResponse = GatewayResponse.routeNotFound(httpAPI: http.isHTTPAPIOnly)
        #expect(httpResponse.status == 404)
        #expect(String(decoding: httpResponse.body, as: UTF8.self) == #"{"message":"Not Found"}"#)
    }

    @Test func rejectsGreedyInTheMiddle() {
        #expect(throws: APIGatewayError.self) {
            try RouteTable(routes: [APIRoute(method: "GET", path: "/{p+}/x", kind: .rest, functionLogicalID: "F")])
        }
    }
}

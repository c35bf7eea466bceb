import Foundation
import ProjectModel
import TestSupport
import Testing

struct RouteTests {
    static func loadFixture() throws -> Project {
        let directory = TestPaths.fixture("ProjectModelTests", "api-app")
        return try ProjectLoader.load(ProjectLoadOptions(workingDirectory: directory))
    }

    static let allMethods = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    static let restCORS = CORSSpec(
        allowOrigins: ["https://example.com"],
        allowMethods: ["GET", "OPTIONS", "POST"],
        allowHeaders: ["Content-Type", "X-Token"],
        maxAge: 600,
        allowCredentials: true
    )
    static let httpCORS = CORSSpec(
        allowOrigins: ["https://app.example.com"],
        allowMethods: ["GET", "OPTIONS", "POST"],
        allowHeaders: ["authorization"],
        exposeHeaders: ["x-request-id"],
        maxAge: 300,
        allowCredentials: true
    )
    static let tokenAuth = AuthorizerSpec(
        name: "TokenAuth",
        functionLogicalID: "AuthFunction",
        type: .token,
        identitySources: ["method.request.header.X-Token"]
    )

    static let expected: [Route] = [
        Route(
            method: "GET",
            path: "/hello",
            kind: .rest,
            payloadFormatVersion: "1.0",
            functionLogicalID: "Hello",
            apiLogicalID: "ServerlessRestApi",
            stageName: "Prod",
            cors: CORSSpec(allowOrigins: ["*"], allowMethods: allMethods),
            binaryMediaTypes: ["image/png"],
            eventName: "ImplicitGet"
        ),
        Route(
            method: "ANY",
            path: "/items/{id}",
            kind: .rest,
            payloadFormatVersion: "1.0",
            functionLogicalID: "Hello",
            apiLogicalID: "RestApi",
            stageName: "v1",
            cors: restCORS,
            authorizer: tokenAuth,
            binaryMediaTypes: ["image/png"],
            eventName: "Items"
        ),
        Route(
            method: "POST",
            path: "/search",
            kind: .rest,
            payloadFormatVersion: "1.0",
            functionLogicalID: "Hello",
            apiLogicalID: "RestApi",
            stageName: "v1",
            cors: restCORS,
            authorizer: AuthorizerSpec(
                name: "RequestAuth",
                functionLogicalID: "AuthFunction",
                type: .request,
                identitySources: ["method.request.header.X-Key", "method.request.querystring.token"]
            ),
            binaryMediaTypes: ["image/png"],
            eventName: "Search"
        ),
        Route(
            method: "GET",
            path: "/open",
            kind: .rest,
            payloadFormatVersion: "1.0",
            functionLogicalID: "Hello",
            apiLogicalID: "RestApi",
            stageName: "v1",
            cors: restCORS,
            binaryMediaTypes: ["image/png"],
            eventName: "Open"
        ),
        Route(
            method: "POST",
            path: "/h/{proxy+}",
            kind: .http,
            payloadFormatVersion: "2.0",
            functionLogicalID: "Hello",
            apiLogicalID: "ServerlessHttpApi",
            stageName: "$default",
            cors: CORSSpec(allowOrigins: ["*"], allowMethods: allMethods),
            eventName: "ImplicitHttp"
        ),
        Route(
            method: "GET",
            path: "/legacy",
            kind: .http,
            payloadFormatVersion: "1.0",
            functionLogicalID: "Hello",
            apiLogicalID: "HttpApi",
            stageName: "$default",
            cors: httpCORS,
            authorizer: AuthorizerSpec(
                name: "LambdaAuth",
                functionLogicalID: "AuthFunction",
                type: .request,
                identitySources: ["$request.header.Authorization"],
                payloadFormatVersion: "2.0",
                enableSimpleResponses: true
            ),
            eventName: "Legacy"
        ),
        Route(
            method: "ANY",
            path: "$default",
            kind: .http,
            payloadFormatVersion: "2.0",
            functionLogicalID: "Hello",
            apiLogicalID: "HttpApi",
            stageName: "$default",
            cors: httpCORS,
            eventName: "Default"
        ),
    ]

    @Test func everyApiAndHttpApiEventBecomesARoute() throws {
        let routes = try Self.loadFixture().routes
        #expect(routes.count == Self.expected.count)
        for (route, expected) in zip(routes, Self.expected) {
            #expect(route == expected)
        }
    }

    @Test func routeKeys() throws {
        let keys = try Self.loadFixture().routes.map(\.routeKey)
        #expect(
            keys == [
                "GET /hello", "ANY /items/{id}", "POST /search", "GET /open", "POST /h/{proxy+}", "GET /legacy",
                "$default",
            ]
        )
    }

    @Test func otherEventsAreKeptWithResolvedProperties() throws {
        let hello = try #require(try Self.loadFixture().function(named: "Hello"))
        #expect(
            hello.events.map(\.name) == [
                "ImplicitGet", "Items", "Search", "Open", "ImplicitHttp", "Legacy", "Default", "Queue",
            ]
        )
        let queue = try #require(hello.events.last)
        #expect(queue.type == "SQS")
        #expect(
            queue.properties
                == .object([
                    "Queue": .string("arn:aws:sqs:us-east-1:123456789012:Jobs"), "BatchSize": .number(5),
                ])
        )
    }

    @Test func listingNamesFunctionsAndRoutes() throws {
        let listing = try Self.loadFixture().listing()
        #expect(listing.contains("Hello"))
        #expect(listing.contains("runtime: python3.12  handler: app.handler"))
        #expect(listing.contains("role: SAM implicit role HelloRole"))
        #expect(listing.contains("ImplicitGet (Api)"))
        #expect(listing.contains("ANY   $default     HTTP  Hello"))
        #expect(listing.contains("authorizer TokenAuth"))
    }
}

import Testing

@testable import APIGateway

struct CORSTests {
    static let cors = CORSConfiguration(
        allowOrigins: ["https://app.example.com", "https://*.dev.example.com"],
        allowMethods: ["GET", "POST"],
        allowHeaders: ["content-type", "authorization"],
        exposeHeaders: ["x-request-id"],
        maxAge: 600,
        allowCredentials: true
    )

    static func preflight(origin: String) -> APIRequest {
        APIRequest(
            method: "OPTIONS",
            target: "/items",
            headers: [HeaderField("Origin", origin), HeaderField("Access-Control-Request-Method", "POST")]
        )
    }

    @Test func preflightIsAnsweredForAPathWhoseRouteHasAnotherMethodBesideADefaultRoute() async throws {
        // POST is asked about, only GET /items is routed, and an HTTP API $default route without CORS catches
        // everything else: the preflight is still the /items API's answer, not the catch-all's.
        let invoker = RecordingInvoker(answer: #"{"statusCode":200}"#)
        let table = try RouteTable(routes: [
            APIRoute(method: "GET", path: "/items", kind: .rest, functionLogicalID: "F", cors: Self.cors),
            APIRoute(method: "ANY", path: "$default", kind: .http, functionLogicalID: "D"),
        ])
        let pipeline = GatewayPipeline(routes: table, invoker: invoker)
        let outcome = await pipeline.handle(Self.preflight(origin: "https://app.example.com"))
        #expect(outcome.response.status == 200)
        #expect(outcome.response.header("Access-Control-Allow-Origin") == "https://app.example.com")
        #expect(invoker.invocations.isEmpty)
    }

    @Test func preflightIsAnsweredWithoutInvokingTheFunction() async throws {
        let invoker = RecordingInvoker(answer: #"{"statusCode":200}"#)
        let table = try RouteTable(routes: [
            APIRoute(method: "POST", path: "/items", kind: .http, functionLogicalID: "F", cors: Self.cors)
        ])
        let pipeline = GatewayPipeline(routes: table, invoker: invoker)
        let outcome = await pipeline.handle(Self.preflight(origin: "https://app.example.com"))
        #expect(outcome.response.status == 204)
        #expect(outcome.response.header("Access-Control-Allow-Origin") == "https://app.example.com")
        #expect(outcome.response.header("Access-Control-Allow-Methods") == "GET,POST")
        #expect(outcome.response.header("Access-Control-Allow-Headers") == "content-type,authorization")
        #expect(outcome.response.header("Access-Control-Max-Age") == "600")
        #expect(outcome.response.header("Access-Control-Allow-Credentials") == "true")
        #expect(invoker.invocations.isEmpty)
    }

    @Test func wildcardSubdomainAndRefusedOrigin() {
        let allowed = Self.cors.preflightResponse(for: Self.preflight(origin: "https://a.dev.example.com"), kind: .http)
        #expect(allowed.header("Access-Control-Allow-Origin") == "https://a.dev.example.com")
        let refused = Self.cors.preflightResponse(for: Self.preflight(origin: "https://evil.com"), kind: .http)
        #expect(refused.header("Access-Control-Allow-Origin") == nil)
        #expect(refused.status == 204)
    }

    @Test func starOriginWithoutCredentials() {
        let open = CORSConfiguration(allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"])
        let request = APIRequest(
            method: "OPTIONS",
            target: "/",
            headers: [
                HeaderField("Origin", "http://localhost:5173"), HeaderField("Access-Control-Request-Method", "PUT"),
                HeaderField("Access-Control-Request-Headers", "x-custom"),
            ]
        )
        let response = open.preflightResponse(for: request, kind: .rest)
        #expect(response.status == 200)
        #expect(response.header("Access-Control-Allow-Origin") == "*")
        #expect(response.header("Access-Control-Allow-Headers") == "x-custom")
    }

    @Test func actualHTTPAPIResponsesGetCORSHeaders() async throws {
        let invoker = RecordingInvoker(answer: #"{"statusCode":200,"headers":{"Access-Control-Allow-Origin":"bogus"}}"#)
        let table = try RouteTable(routes: [
            APIRoute(method: "GET", path: "/items", kind: .http, functionLogicalID: "F", cors: Self.cors)
        ])
        let outcome = await GatewayPipeline(routes: table, invoker: invoker).handle(
            APIRequest(method: "GET", target: "/items", headers: [HeaderField("Origin", "https://app.example.com")])
        )
        #expect(
            outcome.response.headers.filter { $0.name.lowercased() == "access-control-allow-origin" }.map(\.value)
                == ["https://app.example.com"]
        )
        #expect(outcome.response.header("Access-Control-Expose-Headers") == "x-request-id")
        #expect(invoker.invocations.count == 1)
    }
}

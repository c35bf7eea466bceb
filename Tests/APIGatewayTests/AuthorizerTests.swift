import Testing

@testable import APIGateway

struct AuthorizerTests {
    static func policy(
        _ effect: String,
        _ resource: String,
        context: String = #"{"user":"ann","n":1,"ok":true}"#
    ) -> String {
        #"{"principalId":"user-1","policyDocument":{"Version":"2012-10-17","#
            + #""Statement":[{"Action":"execute-api:Invoke","#
            + #""Effect":"\#(effect)","Resource":"\#(resource)"}]},"context":\#(context)}"#
    }

    /// An invoker whose authorizer `Auth` answers `authorizerAnswer` and whose `F` answers 200.
    static func invoker(_ authorizerAnswer: String, authorizerError: String? = nil) -> RecordingInvoker {
        RecordingInvoker { function, _ in
            if function == "Auth" {
                return FunctionInvocationOutcome(payload: Array(authorizerAnswer.utf8), errorType: authorizerError)
            }
            return FunctionInvocationOutcome(payload: Array(#"{"statusCode":200,"body":"ok"}"#.utf8))
        }
    }

    static let tokenAuthorizer = AuthorizerConfiguration(
        name: "TokenAuth",
        functionLogicalID: "Auth",
        type: .token,
        identitySources: ["method.request.header.Authorization"]
    )

    static func restPipeline(
        _ invoker: RecordingInvoker,
        authorizer: AuthorizerConfiguration = tokenAuthorizer
    ) throws -> GatewayPipeline {
        let route = APIRoute(
            method: "GET",
            path: "/pets/{id}",
            kind: .rest,
            functionLogicalID: "F",
            apiID: "api1",
            authorizer: authorizer
        )
        return GatewayPipeline(routes: try RouteTable(routes: [route]), invoker: invoker)
    }

    static func get(_ target: String, _ headers: [HeaderField] = []) -> APIRequest {
        APIRequest(method: "GET", target: target, headers: headers)
    }

    static func text(_ response: GatewayResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test func missingTokenIs401WithoutInvoking() async throws {
        let invoker = Self.invoker(Self.policy("Allow", "*"))
        let outcome = try await Self.restPipeline(invoker).handle(Self.get("/pets/1"))
        #expect(outcome.response.status == 401)
        #expect(Self.text(outcome.response) == #"{"message":"Unauthorized"}"#)
        #expect(invoker.invocations.isEmpty)
    }

    @Test func allowPassesContextAndPrincipal() async throws {
        let invoker = Self.invoker(Self.policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:api1/*/GET/pets/*"))
        let outcome = try await Self.restPipeline(invoker).handle(
            Self.get("/pets/1", [HeaderField("Authorization", "tok")])
        )
        #expect(outcome.response.status == 200)
        let calls = invoker.invocations
        try #require(calls.count == 2)
        #expect(
            calls[0].event
                == JSON.parse(
                    Array(
                        (#"{"type":"TOKEN","authorizationToken":"tok","#
                            + #""methodArn":"arn:aws:execute-api:us-east-1:123456789012:api1/Prod/GET/pets/1"}"#)
                            .utf8
                    )
                )
        )
        let authorizer = try #require(calls[1].event["requestContext"]?["authorizer"])
        #expect(authorizer["principalId"] == .string("user-1"))
        #expect(authorizer["user"] == .string("ann"))
        #expect(authorizer["n"] == .string("1"))  // REST stringifies context values
        #expect(authorizer["ok"] == .string("true"))
    }

    @Test func tokenEventMatchesFixture() throws {
        guard let fixture = try Fixtures.awsLambdaGo("apigw-custom-auth-request.json") else { return }
        let event = try #require(JSON.parse(EventBuilder.tokenAuthorizerEvent(token: "allow", methodARN: "arn")))
        #expect(ShapeRules().differences(event, fixture) == [])
    }

    @Test func explicitDenyAndImplicitDeny() async throws {
        let deny = Self.invoker(Self.policy("Deny", "*"))
        let denied = try await Self.restPipeline(deny).handle(Self.get("/pets/1", [HeaderField("Authorization", "t")]))
        #expect(denied.response.status == 403)
        #expect(
            Self.text(denied.response)
                == #"{"message":"User is not authorized to access this resource with an explicit deny"}"#
        )
        let elsewhere = Self.invoker(
            Self.policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:api1/Prod/POST/*")
        )
        let implicit = try await Self.restPipeline(elsewhere).handle(
            Self.get("/pets/1", [HeaderField("Authorization", "t")])
        )
        #expect(implicit.response.status == 403)
        #expect(Self.text(implicit.response) == #"{"message":"User is not authorized to access this resource"}"#)
        #expect(elsewhere.invocations.count == 1)
    }

    @Test func authorizerErrorsAnd401FromUnauthorized() async throws {
        let unauthorized = Self.invoker(
            #"{"errorMessage":"Unauthorized","errorType":"Error"}"#,
            authorizerError: "Error"
        )
        let outcome = try await Self.restPipeline(unauthorized).handle(
            Self.get("/pets/1", [HeaderField("Authorization", "t")])
        )
        #expect(outcome.response.status == 401)
        let broken = Self.invoker(#"{"errorMessage":"boom","errorType":"TypeError"}"#, authorizerError: "TypeError")
        let failed = try await Self.restPipeline(broken).handle(
            Self.get("/pets/1", [HeaderField("Authorization", "t")])
        )
        #expect(failed.response.status == 500)
        #expect(failed.diagnostic?.contains("boom") == true)
        let nonsense = Self.invoker(#"{"principalId":"x"}"#)
        let bad = try await Self.restPipeline(nonsense).handle(Self.get("/pets/1", [HeaderField("Authorization", "t")]))
        #expect(bad.response.status == 500)
    }

    @Test func validationExpressionRefusesWithoutInvoking() async throws {
        var configuration = Self.tokenAuthorizer
        configuration.validationExpression = "Bearer [a-z]+"
        let invoker = Self.invoker(Self.policy("Allow", "*"))
        let pipeline = try Self.restPipeline(invoker, authorizer: configuration)
        let refused = await pipeline.handle(Self.get("/pets/1", [HeaderField("Authorization", "Basic xyz")]))
        #expect(refused.response.status == 401)
        #expect(invoker.invocations.isEmpty)
        let allowed = await pipeline.handle(Self.get("/pets/1", [HeaderField("Authorization", "Bearer abc")]))
        #expect(allowed.response.status == 200)
    }

    @Test func restRequestAuthorizerEventMatchesFixture() async throws {
        guard let fixture = try Fixtures.awsLambdaGo("apigw-custom-auth-request-type-request.json") else { return }
        let configuration = AuthorizerConfiguration(
            name: "ReqAuth",
            functionLogicalID: "Auth",
            type: .request,
            identitySources: ["method.request.header.HeaderAuth1", "method.request.querystring.QueryString1"]
        )
        let invoker = Self.invoker(Self.policy("Allow", "*"))
        let missing = try await Self.restPipeline(invoker, authorizer: configuration).handle(
            Self.get("/pets/1", [HeaderField("HeaderAuth1", "v")])
        )
        #expect(missing.response.status == 401)
        let outcome = try await Self.restPipeline(invoker, authorizer: configuration).handle(
            Self.get("/pets/1?QueryString1=queryValue1", [HeaderField("HeaderAuth1", "headerValue1")])
        )
        #expect(outcome.response.status == 200)
        let event = invoker.invocations[0].event
        let rules = ShapeRules(
            maps: [
                "headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters",
                "pathParameters", "stageVariables",
            ],
            mayBeAbsent: ["requestContext.identity.clientCert"],
            mayBeExtra: Set(
                [
                    "accessKey", "accountId", "apiKeyId", "caller", "cognitoAuthenticationProvider",
                    "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId",
                    "user", "userAgent", "userArn",
                ].map { "requestContext.identity.\($0)" }
                    + [
                        "requestContext.domainName", "requestContext.domainPrefix", "requestContext.extendedRequestId",
                        "requestContext.protocol", "requestContext.requestTime", "requestContext.requestTimeEpoch",
                    ]
            ),
            mayBeNull: ["requestContext.identity.apiKey"]
        )
        #expect(rules.differences(event, fixture) == [])
        #expect(event["type"] == .string("REQUEST"))
        #expect(event["methodArn"] == .string("arn:aws:execute-api:us-east-1:123456789012:api1/Prod/GET/pets/1"))
        #expect(event["pathParameters"]?["id"] == .string("1"))
    }

    static func httpPipeline(_ invoker: RecordingInvoker, version: String, simple: Bool) throws -> GatewayPipeline {
        let configuration = AuthorizerConfiguration(
            name: "HttpAuth",
            functionLogicalID: "Auth",
            type: .request,
            identitySources: ["$request.header.Authorization", "$request.querystring.tenant"],
            payloadFormatVersion: version,
            enableSimpleResponses: simple
        )
        let route = APIRoute(
            method: "GET",
            path: "/my/{thing}",
            kind: .http,
            functionLogicalID: "F",
            apiID: "h1",
            authorizer: configuration
        )
        return GatewayPipeline(routes: try RouteTable(routes: [route]), invoker: invoker)
    }

    @Test func httpSimpleResponses() async throws {
        let allow = Self.invoker(#"{"isAuthorized":true,"context":{"role":"admin","level":3,"tags":["a"]}}"#)
        let request = Self.get(
            "/my/path?tenant=t1",
            [HeaderField("Authorization", "secret"), HeaderField("Cookie", "c=1")]
        )
        let outcome = try await Self.httpPipeline(allow, version: "2.0", simple: true).handle(request)
        #expect(outcome.response.status == 200)
        let lambda = try #require(allow.invocations[1].event["requestContext"]?["authorizer"]?["lambda"])
        #expect(lambda["role"] == .string("admin"))
        #expect(lambda["level"] == .number(3, "3"))
        #expect(lambda["tags"] == .array([.string("a")]))
        let deny = Self.invoker(#"{"isAuthorized":false}"#)
        let denied = try await Self.httpPipeline(deny, version: "2.0", simple: true).handle(request)
        #expect(denied.response.status == 403)
        #expect(Self.text(denied.response) == #"{"message":"Forbidden"}"#)
        let missing = try await Self.httpPipeline(deny, version: "2.0", simple: true).handle(
            Self.get("/my/path", [HeaderField("Authorization", "secret")])
        )
        #expect(missing.response.status == 401)
    }

    @Test func httpV2AuthorizerEventMatchesFixture() async throws {
        guard let fixture = try Fixtures.awsLambdaGo("apigw-v2-custom-authorizer-v2-request.json") else { return }
        let invoker = Self.invoker(#"{"isAuthorized":true}"#)
        _ = try await Self.httpPipeline(invoker, version: "2.0", simple: true).handle(
            Self.get("/my/path?tenant=t1", [HeaderField("Authorization", "secret"), HeaderField("Cookie", "c=1")])
        )
        let event = invoker.invocations[0].event
        let rules = ShapeRules(
            maps: ["headers", "queryStringParameters", "pathParameters", "stageVariables"],
            mayBeAbsent: ["requestContext.authentication"]
        )
        #expect(rules.differences(event, fixture) == [])
        #expect(event["identitySource"] == .array([.string("secret"), .string("t1")]))
        #expect(event["routeArn"] == .string("arn:aws:execute-api:us-east-1:123456789012:h1/$default/GET/my/path"))
    }

    @Test func httpV1AuthorizerEventAndIAMAnswer() async throws {
        guard let fixture = try Fixtures.awsLambdaGo("apigw-v2-custom-authorizer-v1-request.json") else { return }
        let invoker = Self.invoker(Self.policy("Allow", "arn:aws:execute-api:*:*:h1/*"))
        let outcome = try await Self.httpPipeline(invoker, version: "1.0", simple: false).handle(
            Self.get("/my/path?tenant=t1", [HeaderField("Authorization", "secret")])
        )
        #expect(outcome.response.status == 200)
        let event = invoker.invocations[0].event
        let rules = ShapeRules(
            maps: ["headers", "queryStringParameters", "pathParameters", "stageVariables"],
            mayBeAbsent: ["requestContext.identity.clientCert"],
            mayBeExtra: Set(
                [
                    "accessKey", "accountId", "apiKeyId", "caller", "cognitoAuthenticationProvider",
                    "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId",
                    "user", "userAgent", "userArn",
                ].map { "requestContext.identity.\($0)" }
                    + [
                        "requestContext.domainName", "requestContext.domainPrefix", "requestContext.extendedRequestId",
                        "requestContext.protocol", "requestContext.requestTime", "requestContext.requestTimeEpoch",
                    ]
            ),
            mayBeNull: ["requestContext.identity.apiKey", "requestContext.resourceId"]
        )
        #expect(rules.differences(event, fixture) == [])
        #expect(event["identitySource"] == .string("secret,t1"))
        let lambda = try #require(invoker.invocations[1].event["requestContext"]?["authorizer"]?["lambda"])
        #expect(lambda["principalId"] == .string("user-1"))
    }

    @Test(arguments: [
        ("arn:aws:execute-api:us-east-1:1:a/Prod/GET/pets/1", "arn:aws:execute-api:us-east-1:1:a/*/GET/*", true),
        (
            "arn:aws:execute-api:us-east-1:1:a/Prod/GET/pets/1", "arn:aws:execute-api:us-east-1:1:a/Prod/GET/pets/?",
            true
        ),
        ("arn:aws:execute-api:us-east-1:1:a/Prod/GET/pets/1", "arn:aws:execute-api:us-east-1:1:a/Prod/POST/*", false),
        ("arn:aws:execute-api:us-east-1:1:a/Prod/GET/", "*", true),
    ])
    func resourceWildcards(arn: String, pattern: String, matches: Bool) {
        #expect(PolicyEvaluation.glob(arn, pattern, caseInsensitive: false) == matches)
    }
}

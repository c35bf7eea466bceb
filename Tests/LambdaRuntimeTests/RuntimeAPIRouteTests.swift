import Testing

@testable import LambdaRuntime

struct RuntimeAPIRouteTests {
    @Test(arguments: [
        ("GET", "/2018-06-01/runtime/invocation/next", RuntimeAPIRoute.next),
        ("POST", "/2018-06-01/runtime/invocation/abc-1/response", .response(requestID: "abc-1")),
        ("POST", "/2018-06-01/runtime/invocation/abc-1/error", .error(requestID: "abc-1")),
        ("POST", "/2018-06-01/runtime/init/error", .initError),
        ("POST", "/2018-06-01/runtime/invocation/next", .methodNotAllowed),
        ("GET", "/2018-06-01/runtime/invocation/abc/response", .methodNotAllowed),
        ("GET", "/2018-06-01/runtime/invocation/next?x=1", .next),
        ("POST", "/2018-06-01/runtime/invocation/a%2Db/response", .response(requestID: "a-b")),
        ("GET", "/2018-06-01/runtime/invocation//response", .notFound),
        ("GET", "/runtime/invocation/next", .notFound),
        ("GET", "/2020-01-01/extension/register", .notFound),
        ("GET", "/", .notFound),
        ("POST", "/2018-06-01/runtime/invocation/abc/result", .notFound),
    ])
    func routes(method: String, uri: String, expected: RuntimeAPIRoute) {
        #expect(RuntimeAPIRoute(method: method, uri: uri) == expected)
    }

    @Test func nextHeadersCarryTheContextAndAlwaysAContentType() {
        let request = InvocationRequest(
            payload: Array("[1]".utf8), requestID: "id-1", clientContext: #"{"c":1}"#, cognitoIdentity: nil)
        let response = RuntimeAPIResponse.nextInvocation(
            request, deadlineMilliseconds: 1_700_000_003_000, functionARN: "arn:aws:lambda:r:1:function:f",
            traceID: "Root=1-0-0")
        #expect(response.status == 200)
        #expect(response.body == Array("[1]".utf8))
        #expect(response.header("content-type") == "application/json")
        #expect(response.header("Lambda-Runtime-Aws-Request-Id") == "id-1")
        #expect(response.header("Lambda-Runtime-Deadline-Ms") == "1700000003000")
        #expect(response.header("Lambda-Runtime-Invoked-Function-Arn") == "arn:aws:lambda:r:1:function:f")
        #expect(response.header("Lambda-Runtime-Trace-Id") == "Root=1-0-0")
        #expect(response.header("Lambda-Runtime-Client-Context") == #"{"c":1}"#)
        #expect(response.header("Lambda-Runtime-Cognito-Identity") == nil)
    }

    @Test func traceIDHasXRayShape() {
        let trace = RuntimeAPIEndpoint.makeTraceID(.now)
        #expect(trace.wholeMatch(of: /Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0/) != nil)
    }
}

import Foundation

/// HTTP front doors: API Gateway (REST and HTTP APIs, authorizers), Application Load Balancer and Function URLs.
extension SampleService {
    static let apiGateway = SampleService(
        "apigateway",
        "Amazon API Gateway (REST and HTTP APIs, Lambda authorizers)",
        events: [.apiGatewayAuthorizer, .apiGatewayProxy, .apiGatewayHTTPProxy, .apiGatewayRequestAuthorizer]
    )

    static let alb = SampleService("alb", "Application Load Balancer", events: [.albRequest])

    static let lambda = SampleService("lambda", "AWS Lambda (Function URLs)", events: [.functionURL])
}

private let bodyOption = SampleOption(
    "body",
    default: #"{"test":"body"}"#,
    help: "Request body",
    encoding: .base64
)
private let pathOption = SampleOption("path", default: "path/to/resource", help: "Request path (without leading /)")

private let browserHeaders: [(String, String)] = [
    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8"),
    ("Accept-Encoding", "gzip, deflate, sdch"),
    ("Accept-Language", "en-US,en;q=0.8"),
    ("Cache-Control", "max-age=0"),
    ("CloudFront-Forwarded-Proto", "https"),
    ("CloudFront-Is-Desktop-Viewer", "true"),
    ("CloudFront-Is-Mobile-Viewer", "false"),
    ("CloudFront-Is-SmartTV-Viewer", "false"),
    ("CloudFront-Is-Tablet-Viewer", "false"),
    ("CloudFront-Viewer-Country", "US"),
]

private let proxyTrailingHeaders: [(String, String)] = [
    ("Upgrade-Insecure-Requests", "1"),
    ("User-Agent", "Custom User Agent String"),
    ("Via", "1.1 7d1f2e0a5b6c4d3e8f9a0b1c2d3e4f5a.cloudfront.net (CloudFront)"),
    ("X-Amz-Cf-Id", "Vv4QvJ8Sg5fE2xHk3n1tRmPq7LwZy9aBcDeFgHiJkLmNoPqRs-TuVw=="),
    ("X-Amzn-Trace-Id", "Root=1-5e66d96f-7491f09xmpl79d18acf3d050"),
    ("X-Forwarded-For", "127.0.0.1, 127.0.0.2"),
    ("X-Forwarded-Port", "443"),
    ("X-Forwarded-Proto", "https"),
]

/// `headers` and `multiValueHeaders` of a v1 proxy event from one list.
private func headerObjects(_ headers: [(String, String)]) -> (single: EventJSON, multiple: EventJSON) {
    (
        .object(headers.map { ($0.0, .string($0.1)) }),
        .object(headers.map { ($0.0, .array([.string($0.1)])) })
    )
}

private let exampleClientCert: EventJSON = [
    "clientCertPem": "-----BEGIN CERTIFICATE-----\nMIIEZTCCAk0CAQEwDQ...",
    "subjectDN": "CN=client.example.com,O=Example Corp,C=US",
    "issuerDN": "CN=Example Private CA,O=Example Corp,C=US",
    "serialNumber": "1",
    "validity": ["notBefore": "Aug 29 00:28:21 2020 GMT", "notAfter": "Aug  5 00:28:21 2120 GMT"],
]

/// The `methodArn` an API Gateway authorizer receives.
private func methodARN(_ v: EventValues) -> String {
    v.arn("execute-api", "\(v["restApiId"])/\(v["stage"])/\(v["method"])/\(v["resource"])")
}

extension SampleEvent {
    static let apiGatewayAuthorizer = SampleEvent(
        "authorizer",
        "API Gateway TOKEN Lambda authorizer request",
        options: [
            .accountID, .partition, .region,
            SampleOption("stage", default: "prod", help: "Stage name"),
            SampleOption("method", default: "POST", help: "HTTP method"),
            SampleOption("resource", default: "{proxy+}", help: "Resource path"),
            SampleOption("restApiId", default: "example", help: "REST API ID"),
        ]
    ) { v in
        [
            "type": "TOKEN",
            "authorizationToken": "incoming-client-token",
            "methodArn": .string(methodARN(v)),
        ]
    }

    static let apiGatewayRequestAuthorizer = SampleEvent(
        "request-authorizer",
        "API Gateway REQUEST Lambda authorizer request (REST API)",
        options: [
            .accountID, .partition, .region,
            SampleOption("stage", default: "test", help: "Stage name"),
            SampleOption("method", default: "GET", help: "HTTP method"),
            SampleOption("resource", default: "request", help: "Resource path (without leading /)"),
            SampleOption("restApiId", default: "abcdef123", help: "REST API ID"),
        ]
    ) { v in
        let headers = headerObjects(
            [
                ("X-AMZ-Date", "20170718T062915Z"), ("Accept", "*/*"), ("Accept-Encoding", "gzip, deflate"),
                ("HeaderAuth1", "headerValue1"), ("CloudFront-Viewer-Country", "US"),
                ("CloudFront-Forwarded-Proto", "https"), ("CloudFront-Is-Tablet-Viewer", "false"),
                ("CloudFront-Is-Mobile-Viewer", "false"),
                ("Host", "\(v["restApiId"]).execute-api.\(v["region"]).amazonaws.com"),
                ("User-Agent", "curl/8.5.0"), ("X-Amzn-Trace-Id", "Root=1-5e66d96f-7491f09xmpl79d18acf3d050"),
                ("X-Forwarded-For", "127.0.0.1"), ("X-Forwarded-Port", "443"), ("X-Forwarded-Proto", "https"),
            ])
        let requestContext: EventJSON = [
            "path": "/\(v["stage"])/\(v["resource"])",
            "accountId": "\(v["account-id"])",
            "resourceId": "05c7jb",
            "stage": "\(v["stage"])",
            "requestId": "9f7d4c2e-6b1a-4f3e-8d2c-1a0b9c8d7e6f",
            // SAM's event shows a mutual TLS client certificate; without mutual TLS, API Gateway sends null.
            "identity": ["apiKey": .null, "sourceIp": "127.0.0.1", "clientCert": exampleClientCert],
            "resourcePath": "/\(v["resource"])",
            "httpMethod": "\(v["method"])",
            "apiId": "\(v["restApiId"])",
        ]
        return [
            "type": "REQUEST",
            "methodArn": .string(methodARN(v)),
            "resource": "/\(v["resource"])",
            "path": "/\(v["resource"])",
            "httpMethod": "\(v["method"])",
            "headers": headers.single,
            "multiValueHeaders": headers.multiple,
            "queryStringParameters": ["QueryString1": "queryValue1"],
            "multiValueQueryStringParameters": ["QueryString1": ["queryValue1"]],
            "pathParameters": [:],
            "stageVariables": ["StageVar1": "stageValue1"],
            "requestContext": requestContext,
        ]
    }

    static let apiGatewayProxy = SampleEvent(
        "aws-proxy",
        "API Gateway REST API proxy integration request (payload format 1.0)",
        options: [
            bodyOption,
            SampleOption("stage", default: "prod", help: "Stage name"),
            SampleOption("method", default: "POST", help: "HTTP method"),
            SampleOption("resource", default: "/{proxy+}", help: "Resource path template"),
            pathOption, .accountID,
            SampleOption("dns-suffix", default: "us-east-1.amazonaws.com", help: "Domain suffix for the Host header"),
            SampleOption(
                "querystringparameters",
                default: "foo=bar",
                help: #"Query string (a=1&b=2, a name may repeat) or JSON object ({"a":"1","b":["2","3"]}); "#
                    + "empty for none"
            ),
        ]
    ) { v throws(SampleEventError) in
        let query = try restQueryParameters(v.raw("querystringparameters"), option: "querystringparameters")
        let headers = headerObjects(
            browserHeaders + [("Host", "1234567890.execute-api.\(v["dns-suffix"])")] + proxyTrailingHeaders
        )
        let identity: EventJSON = [
            "cognitoIdentityPoolId": .null, "accountId": .null, "cognitoIdentityId": .null, "caller": .null,
            "apiKey": .null, "apiKeyId": .null, "accessKey": .null, "sourceIp": "127.0.0.1",
            "cognitoAuthenticationType": .null, "cognitoAuthenticationProvider": .null, "userArn": .null,
            "userAgent": "Custom User Agent String", "user": .null,
        ]
        let requestContext: EventJSON = [
            "accountId": "\(v["account-id"])",
            "resourceId": "123456",
            "stage": "\(v["stage"])",
            "domainName": "1234567890.execute-api.\(v["dns-suffix"])",
            "domainPrefix": "1234567890",
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "extendedRequestId": "JJbxmHvtvHcFkNw=",
            "requestTime": "09/Apr/2015:12:34:56 +0000",
            "requestTimeEpoch": 1_428_582_896_000,
            "identity": identity,
            "path": "/\(v["stage"])/\(v["path"])",
            "resourcePath": "\(v["resource"])",
            "httpMethod": "\(v["method"])",
            "apiId": "1234567890",
            "protocol": "HTTP/1.1",
        ]
        return [
            "body": "\(v["body"])",
            "resource": "\(v["resource"])",
            "path": "/\(v["path"])",
            "httpMethod": "\(v["method"])",
            "isBase64Encoded": true,
            "queryStringParameters": query.single,
            "multiValueQueryStringParameters": query.multiple,
            "pathParameters": ["proxy": "/\(v["path"])"],
            "stageVariables": ["baz": "qux"],
            "headers": headers.single,
            "multiValueHeaders": headers.multiple,
            "requestContext": requestContext,
        ]
    }

    static let apiGatewayHTTPProxy = SampleEvent(
        "http-api-proxy",
        "API Gateway HTTP API request (payload format 2.0)",
        options: [
            bodyOption,
            SampleOption("stage", default: "$default", help: "Stage name"),
            SampleOption("method", default: "POST", help: "HTTP method"),
            pathOption, .accountID,
            SampleOption("dns-suffix", default: "us-east-1.amazonaws.com", help: "Domain suffix for the domain name"),
        ]
    ) { v in
        let requestContext: EventJSON = [
            "accountId": "\(v["account-id"])",
            "apiId": "api-id",
            "authentication": ["clientCert": exampleClientCert],
            "authorizer": [
                "jwt": ["claims": ["claim1": "value1", "claim2": "value2"], "scopes": ["scope1", "scope2"]]
            ],
            "domainName": "id.execute-api.\(v["dns-suffix"])",
            "domainPrefix": "id",
            "http": [
                "method": "\(v["method"])", "path": "/\(v["path"])", "protocol": "HTTP/1.1",
                "sourceIp": "192.168.0.1", "userAgent": "agent",
            ],
            "requestId": "id",
            "routeKey": "$default",
            "stage": "\(v["stage"])",
            "time": "12/Mar/2020:19:03:58 +0000",
            "timeEpoch": 1_584_039_838_000,
        ]
        return [
            "version": "2.0",
            "routeKey": "$default",
            "rawPath": "/\(v["path"])",
            "rawQueryString": "parameter1=value1&parameter1=value2&parameter2=value",
            "cookies": ["cookie1", "cookie2"],
            "headers": ["header1": "value1", "header2": "value1,value2"],
            "queryStringParameters": ["parameter1": "value1,value2", "parameter2": "value"],
            "requestContext": requestContext,
            "body": "\(v["body"])",
            "pathParameters": ["parameter1": "value1"],
            "isBase64Encoded": true,
            "stageVariables": ["stageVariable1": "value1", "stageVariable2": "value2"],
        ]
    }

    static let albRequest = SampleEvent(
        "request",
        "Application Load Balancer request to a Lambda target",
        options: [
            bodyOption,
            SampleOption("method", default: "POST", help: "HTTP method"),
            pathOption, .accountID,
            SampleOption(
                "dns-suffix",
                default: "us-east-2.elb.amazonaws.com",
                help: "Domain suffix for the Host header"
            ),
        ]
    ) { v in
        let region = v["dns-suffix"].split(separator: ".").first.map(String.init) ?? "us-east-2"
        return [
            "requestContext": [
                "elb": [
                    "targetGroupArn": .string(
                        "arn:aws:elasticloadbalancing:\(region):\(v["account-id"])"
                            + ":targetgroup/lambda-target/1abc2d3e4f5a6b7c"
                    )
                ]
            ],
            "httpMethod": "\(v["method"])",
            "path": "/\(v["path"])",
            "queryStringParameters": ["query": "1234ABCD"],
            "headers": [
                "accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8",
                "accept-encoding": "gzip",
                "accept-language": "en-US,en;q=0.9",
                "connection": "keep-alive",
                "host": "lambda-alb-123578498.\(v["dns-suffix"])",
                "upgrade-insecure-requests": "1",
                "user-agent": "Custom User Agent String",
                "x-amzn-trace-id": "Root=1-5c536348-3d683b8b04734faae651f476",
                "x-forwarded-for": "72.12.164.125",
                "x-forwarded-port": "80",
                "x-forwarded-proto": "http",
                "x-imforwards": "20",
            ],
            "body": "\(v["body"])",
            "isBase64Encoded": true,
        ]
    }

    static let functionURL = SampleEvent(
        "function-url",
        "Lambda Function URL request (payload format 2.0)",
        options: [
            SampleOption("body", default: #"{"test":"body"}"#, help: "Request body (plain text)"),
            SampleOption("method", default: "POST", help: "HTTP method"),
            pathOption,
            SampleOption(
                "query",
                default: "parameter1=value1&parameter1=value2&parameter2=value",
                help: "Raw query string"
            ),
            SampleOption("auth-type", default: "NONE", help: "Function URL AuthType: NONE or AWS_IAM"),
            SampleOption("url-id", default: "abcdefghijklmnopqrstuvwxyz012345", help: "Function URL ID"),
            .accountID, .region,
        ]
    ) { v throws(SampleEventError) in
        let authType = v["auth-type"]
        guard authType == "NONE" || authType == "AWS_IAM" else {
            throw .invalidValue(option: "auth-type", value: authType, reason: "expected NONE or AWS_IAM")
        }
        var requestContext: [(String, EventJSON)] = [
            ("accountId", authType == "AWS_IAM" ? "\(v["account-id"])" : "anonymous"),
            ("apiId", "\(v["url-id"])"),
        ]
        if authType == "AWS_IAM" {
            requestContext.append(
                (
                    "authorizer",
                    [
                        "iam": [
                            "accessKey": "AKIAIOSFODNN7EXAMPLE",
                            "accountId": "\(v["account-id"])",
                            "callerId": "AIDACKCEVSQ6C2EXAMPLE",
                            "cognitoIdentity": .null,
                            "principalOrgId": .null,
                            "userArn": "arn:aws:iam::\(v["account-id"]):user/example-user",
                            "userId": "AIDACKCEVSQ6C2EXAMPLE",
                        ]
                    ]
                )
            )
        }
        requestContext += [
            ("domainName", "\(v["url-id"]).lambda-url.\(v["region"]).on.aws"),
            ("domainPrefix", "\(v["url-id"])"),
            (
                "http",
                [
                    "method": "\(v["method"])", "path": "/\(v["path"])", "protocol": "HTTP/1.1",
                    "sourceIp": "127.0.0.1", "userAgent": "curl/8.5.0",
                ]
            ),
            ("requestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"),
            ("routeKey", "$default"),
            ("stage", "$default"),
            ("time", "12/Mar/2020:19:03:58 +0000"),
            ("timeEpoch", 1_584_039_838_000),
        ]
        let query = queryParameters(v["query"])
        var event: [(String, EventJSON)] = [
            ("version", "2.0"),
            ("routeKey", "$default"),
            ("rawPath", "/\(v["path"])"),
            ("rawQueryString", "\(v["query"])"),
            ("cookies", ["cookie1=value1", "cookie2=value2"]),
            (
                "headers",
                [
                    "accept": "*/*", "content-type": "application/json",
                    "host": "\(v["url-id"]).lambda-url.\(v["region"]).on.aws", "user-agent": "curl/8.5.0",
                    "x-amzn-trace-id": "Root=1-5e66d96f-7491f09xmpl79d18acf3d050", "x-forwarded-for": "127.0.0.1",
                    "x-forwarded-port": "443", "x-forwarded-proto": "https",
                ]
            ),
        ]
        if !query.isEmpty { event.append(("queryStringParameters", .object(query))) }
        event += [
            ("requestContext", .object(requestContext)),
            ("body", "\(v["body"])"),
            ("isBase64Encoded", false),
        ]
        return .object(event)
    }
}

/// Query parameters as API Gateway 2.0 / Function URLs give them: repeated names joined with commas.
private func queryParameters(_ query: String) -> [(String, EventJSON)] {
    var names: [String] = []
    var values: [String: [String]] = [:]
    for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        if values[name] == nil { names.append(name) }
        values[name, default: []].append(parts.count > 1 ? String(parts[1]) : "")
    }
    return names.map { ($0, .string(values[$0, default: []].joined(separator: ","))) }
}

/// `queryStringParameters` and `multiValueQueryStringParameters` of a REST API (payload 1.0) event, as API Gateway
/// builds them: every value of a name, in order, in the multi-value map and its last value in the single-value map,
/// percent-escapes decoded, and null for both when there is no query string.
/// - Parameters:
///   - text: a query string (`a=1&b=2&a=3`, a leading `?` allowed) or a JSON object whose values are strings or
///     arrays of strings (`{"a":["1","3"],"b":"2"}`, the form of SAM's unmerged `--querystringparameters` proposal).
///   - option: the option name, for errors.
/// - Throws: ``SampleEventError`` for a JSON object that does not parse or holds other kinds of values.
private func restQueryParameters(
    _ text: String,
    option: String
) throws(SampleEventError) -> (single: EventJSON, multiple: EventJSON) {
    var names: [String] = []
    var values: [String: [String]] = [:]
    func add(_ name: String, _ value: String) {
        if values[name] == nil { names.append(name) }
        values[name, default: []].append(value)
    }
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.hasPrefix("{") {
        guard case .object(let members) = EventJSON.parse(trimmed) else {
            throw .invalidValue(option: option, value: text, reason: "not a valid JSON object")
        }
        for (name, value) in members {
            switch value {
            case .string(let single): add(name, single)
            case .array(let items):
                for item in items {
                    guard case .string(let single) = item else {
                        throw .invalidValue(option: option, value: text, reason: "'\(name)' must hold strings")
                    }
                    add(name, single)
                }
            default:
                throw .invalidValue(
                    option: option,
                    value: text,
                    reason: "'\(name)' must be a string or an array of strings"
                )
            }
        }
    } else {
        let query = trimmed.hasPrefix("?") ? String(trimmed.dropFirst()) : trimmed
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in String(part).removingPercentEncoding ?? String(part) }
            add(decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
    guard !names.isEmpty else { return (.null, .null) }
    return (
        .object(names.map { ($0, .string(values[$0]?.last ?? "")) }),
        .object(names.map { name in (name, .array((values[name] ?? []).map { .string($0) })) })
    )
}

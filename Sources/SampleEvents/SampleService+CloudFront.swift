/// Lambda@Edge events for CloudFront, one per documented example function.
extension SampleService {
    static let cloudFront = SampleService(
        "cloudfront",
        "Amazon CloudFront (Lambda@Edge)",
        events: [
            .cloudFront("ab-test", "Viewer request for an A/B test", stage: .viewerRequest),
            .cloudFront(
                "access-request-in-response",
                "Viewer response that reads the request",
                stage: .viewerResponse,
                extraHeaders: [("user-name", "User-Name", "CloudFront")],
                extraResponseHeaders: [("x-cache", "X-Cache", "Hello from Cloudfront")]
            ),
            .cloudFront("http-redirect", "Viewer request to answer with an HTTP redirect", stage: .viewerRequest),
            .cloudFront(
                "modify-querystring",
                "Viewer request whose query string is rewritten",
                stage: .viewerRequest,
                querystring: "auth=test&foo=bar",
                extraHeaders: [("user-name", "User-Name", "aws-cloudfront")]
            ),
            .cloudFront(
                "modify-response-header",
                "Origin response whose headers are modified",
                stage: .originResponse,
                extraResponseHeaders: [
                    ("vary", "Vary", "*"),
                    ("x-amz-meta-last-modified", "X-Amz-Meta-Last-Modified", "2016-01-01"),
                ],
                options: false
            ),
            .cloudFront(
                "multiple-remote-calls-aggregate-response",
                "Origin request that aggregates remote calls",
                stage: .originRequest,
                uri: "/forecast/Seattle:NewYork:Chicago:SanFrancisco"
            ),
            .cloudFront(
                "normalize-querystring-to-improve-cache-hit",
                "Viewer request with a query string to normalise",
                stage: .viewerRequest,
                querystring: "size=LARGE&color=RED",
                extraHeaders: [("user-name", "User-Name", "aws-cloudfront")]
            ),
            .cloudFront(
                "redirect-on-viewer-country",
                "Origin request redirected by viewer country",
                stage: .originRequest,
                extraHeaders: [("cloudfront-viewer-country", "CloudFront-Viewer-Country", "US")]
            ),
            .cloudFront(
                "redirect-unauthenticated-users",
                "Viewer request from a user without a session cookie",
                stage: .viewerRequest
            ),
            .cloudFront(
                "response-generation",
                "Viewer request answered by a generated response",
                stage: .viewerRequest
            ),
            .cloudFront(
                "serve-object-on-viewer-device",
                "Origin request choosing an object by viewer device",
                stage: .originRequest,
                extraHeaders: [
                    ("cloudfront-is-desktop-viewer", "CloudFront-Is-Desktop-Viewer", "true"),
                    ("cloudfront-is-mobile-viewer", "CloudFront-Is-Mobile-Viewer", "false"),
                    ("cloudfront-is-smarttv-viewer", "CloudFront-Is-SmartTV-Viewer", "false"),
                    ("cloudfront-is-tablet-viewer", "CloudFront-Is-Tablet-Viewer", "false"),
                ]
            ),
            .cloudFront(
                "simple-remote-call",
                "Viewer request that makes a remote call",
                stage: .viewerRequest,
                extraHeaders: [("user-name", "User-Name", "aws-cloudfront")]
            ),
        ]
    )
}

/// The Lambda@Edge trigger an event is for.
enum CloudFrontStage: String {
    case viewerRequest = "viewer-request"
    case originRequest = "origin-request"
    case originResponse = "origin-response"
    case viewerResponse = "viewer-response"
}

extension SampleEvent {
    /// A Lambda@Edge event (`Records[0].cf`), with `--uri` and `--method` unless `options` is false.
    /// `extraHeaders` and `extraResponseHeaders` are (lower-case name, name, value) added to the request's and the
    /// response's headers.
    static func cloudFront(
        _ name: String,
        _ summary: String,
        stage: CloudFrontStage,
        uri: String = "/test",
        querystring: String = "",
        extraHeaders: [(String, String, String)] = [],
        extraResponseHeaders: [(String, String, String)] = [],
        options: Bool = true
    ) -> SampleEvent {
        let declared: [SampleOption] =
            options
            ? [
                SampleOption("uri", default: uri, help: "Request URI"),
                SampleOption("method", default: "GET", help: "HTTP method"),
            ] : []
        return SampleEvent(name, "CloudFront \(summary) (\(stage.rawValue))", options: declared) { v in
            let requestURI = options ? v["uri"] : uri
            let method = options ? v["method"] : "GET"
            var headers: [(String, EventJSON)] = [
                ("host", [["key": "Host", "value": "d111111abcdef8.cloudfront.net"]]),
                ("user-agent", [["key": "User-Agent", "value": "curl/8.5.0"]]),
            ]
            headers += extraHeaders.map { ($0.0, [["key": .string($0.1), "value": .string($0.2)]]) }
            if name == "redirect-unauthenticated-users" || name == "ab-test" {
                headers.append(("cookie", [["key": "Cookie", "value": "session=none"]]))
            }
            var request: [(String, EventJSON)] = [
                ("clientIp", "203.0.113.178"),
                ("headers", .object(headers)),
                ("method", .string(method)),
                ("querystring", .string(querystring)),
                ("uri", .string(requestURI)),
            ]
            if stage == .originRequest {
                request.append(
                    (
                        "origin",
                        [
                            "custom": [
                                "customHeaders": [:], "domainName": "example.org", "keepaliveTimeout": 5,
                                "path": "", "port": 443, "protocol": "https", "readTimeout": 30,
                                "sslProtocols": ["TLSv1.2"],
                            ]
                        ]
                    )
                )
            }
            var cf: [(String, EventJSON)] = [
                (
                    "config",
                    [
                        "distributionDomainName": "d111111abcdef8.cloudfront.net",
                        "distributionId": "EDFDVBD6EXAMPLE",
                        "eventType": .string(stage.rawValue),
                        "requestId": "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==",
                    ]
                ),
                ("request", .object(request)),
            ]
            if stage == .originResponse || stage == .viewerResponse {
                var responseHeaders: [(String, EventJSON)] = [
                    ("content-type", [["key": "Content-Type", "value": "text/html; charset=UTF-8"]]),
                    ("last-modified", [["key": "Last-Modified", "value": "Thu, 01 Jan 1970 00:00:00 GMT"]]),
                    ("server", [["key": "Server", "value": "ExampleCustomOriginServer"]]),
                ]
                responseHeaders += extraResponseHeaders.map {
                    ($0.0, [["key": .string($0.1), "value": .string($0.2)]])
                }
                cf.append(
                    (
                        "response",
                        [
                            "headers": .object(responseHeaders),
                            "status": "200",
                            "statusDescription": "OK",
                        ]
                    )
                )
            }
            return ["Records": [["cf": .object(cf)]]]
        }
    }
}

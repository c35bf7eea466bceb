/// Which kind of front door a route belongs to: its event format defaults, error bodies and CORS handling follow it.
public enum APIKind: String, Sendable, Equatable {
    /// An API Gateway REST API (`AWS::Serverless::Api`, serverless `http`).
    case rest
    /// An API Gateway HTTP API (`AWS::Serverless::HttpApi`, serverless `httpApi`).
    case http
    /// A Lambda function URL: every method and path of its own endpoint goes to one function.
    case functionURL
}

/// One API route in front of a Lambda function.
///
/// REST and HTTP API routes of several APIs may share one ``RouteTable`` (and one port, like `sam local start-api`).
/// A function URL route (`kind == .functionURL`) matches every method and path; give each function URL its own
/// server (its own port), since in AWS each has its own host name.
public struct APIRoute: Sendable, Equatable {
    /// Upper-case HTTP method, or `ANY`.
    public var method: String
    /// `/hello/{name}`, `/files/{proxy+}`, or `$default` (HTTP API catch-all).
    public var path: String
    /// REST API, HTTP API or function URL.
    public var kind: APIKind
    /// `1.0` or `2.0` (REST APIs always use 1.0; function URLs always 2.0).
    public var payloadFormatVersion: String
    /// The function to invoke.
    public var functionLogicalID: String
    /// The API id used in events and ARNs (for function URLs, the URL id).
    public var apiID: String
    /// The stage name (REST: e.g. `Prod`; HTTP API: `$default`).
    public var stage: String
    /// The stage's variables, sent as `stageVariables` (null, or for HTTP API 2.0 absent, when there are none).
    public var stageVariables: [String: String]
    /// The API's CORS configuration, when it has one.
    public var cors: CORSConfiguration?
    /// The Lambda authorizer protecting this route, when it has one.
    public var authorizer: AuthorizerConfiguration?
    /// REST API binary media types (`image/png`, `image/*`, `*/*`).
    public var binaryMediaTypes: [String]

    /// Creates a route.
    public init(
        method: String,
        path: String,
        kind: APIKind,
        payloadFormatVersion: String? = nil,
        functionLogicalID: String,
        apiID: String = "1234567890",
        stage: String? = nil,
        stageVariables: [String: String] = [:],
        cors: CORSConfiguration? = nil,
        authorizer: AuthorizerConfiguration? = nil,
        binaryMediaTypes: [String] = []
    ) {
        self.method = method.uppercased()
        self.path = path
        self.kind = kind
        switch kind {
        case .rest: self.payloadFormatVersion = "1.0"
        case .functionURL: self.payloadFormatVersion = "2.0"
        case .http: self.payloadFormatVersion = payloadFormatVersion ?? "2.0"
        }
        self.functionLogicalID = functionLogicalID
        self.apiID = apiID
        self.stage = stage ?? (kind == .rest ? "Prod" : "$default")
        self.stageVariables = stageVariables
        self.cors = cors
        self.authorizer = authorizer
        self.binaryMediaTypes = binaryMediaTypes
    }

    /// True when the event sent to the function is the 2.0 shape.
    public var usesPayloadV2: Bool { kind != .rest && payloadFormatVersion == "2.0" }

    /// The HTTP API route key: `GET /items/{id}` or `$default` (also `$default` for function URLs).
    public var routeKey: String {
        if path == "$default" || kind == .functionURL { return "$default" }
        return "\(method) \(path)"
    }
}

/// CORS settings of an API (SAM `Cors` / `CorsConfiguration`, serverless `cors`).
public struct CORSConfiguration: Sendable, Equatable {
    /// Allowed origins; `*` allows any.
    public var allowOrigins: [String]
    /// Allowed methods; `*` allows any.
    public var allowMethods: [String]
    /// Allowed request headers; `*` allows any.
    public var allowHeaders: [String]
    /// Response headers the browser may read.
    public var exposeHeaders: [String]
    /// Seconds a preflight answer may be cached.
    public var maxAge: Int?
    /// Whether credentials (cookies, Authorization) are allowed.
    public var allowCredentials: Bool

    /// Creates a CORS configuration.
    public init(
        allowOrigins: [String] = ["*"],
        allowMethods: [String] = ["*"],
        allowHeaders: [String] = [],
        exposeHeaders: [String] = [],
        maxAge: Int? = nil,
        allowCredentials: Bool = false
    ) {
        self.allowOrigins = allowOrigins
        self.allowMethods = allowMethods
        self.allowHeaders = allowHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAge = maxAge
        self.allowCredentials = allowCredentials
    }
}

/// A Lambda authorizer in front of a route.
public struct AuthorizerConfiguration: Sendable, Equatable {
    /// TOKEN (REST only: one header, the token) or REQUEST (headers, query, context).
    public enum AuthorizerType: String, Sendable, Equatable {
        /// REST `TOKEN` authorizer.
        case token
        /// `REQUEST` authorizer (REST, or HTTP API Lambda authorizer).
        case request
    }

    /// The authorizer's name in the template.
    public var name: String
    /// The function that decides.
    public var functionLogicalID: String
    /// TOKEN or REQUEST.
    public var type: AuthorizerType
    /// `method.request.header.Authorization`, `$request.header.Authorization`, `$request.querystring.token`, ...
    public var identitySources: [String]
    /// HTTP API authorizer payload format (`1.0` or `2.0`); nil for REST.
    public var payloadFormatVersion: String?
    /// HTTP API 2.0 simple responses (`{"isAuthorized": true, "context": {...}}`).
    public var enableSimpleResponses: Bool
    /// REST TOKEN authorizer `ValidationExpression` (a regular expression the token must match).
    public var validationExpression: String?

    /// Creates an authorizer configuration.
    public init(
        name: String,
        functionLogicalID: String,
        type: AuthorizerType,
        identitySources: [String],
        payloadFormatVersion: String? = nil,
        enableSimpleResponses: Bool = false,
        validationExpression: String? = nil
    ) {
        self.name = name
        self.functionLogicalID = functionLogicalID
        self.type = type
        self.identitySources = identitySources
        self.payloadFormatVersion = payloadFormatVersion
        self.enableSimpleResponses = enableSimpleResponses
        self.validationExpression = validationExpression
    }
}

/// Which API Gateway flavour serves a route.
public enum APIKind: String, Sendable, Equatable, CustomStringConvertible {
    /// REST API (`Api` events, `AWS::Serverless::Api`).
    case rest
    /// HTTP API (`HttpApi` events, `AWS::Serverless::HttpApi`).
    case http

    /// "REST" or "HTTP".
    public var description: String {
        switch self {
        case .rest: return "REST"
        case .http: return "HTTP"
        }
    }
}

/// One API route: a method and path that invoke a function.
public struct Route: Sendable, Equatable {
    /// Upper case, or "ANY".
    public var method: String
    /// "/hello/{name}", "/{proxy+}", or "$default".
    public var path: String
    /// REST or HTTP API.
    public var kind: APIKind
    /// "1.0" or "2.0".
    public var payloadFormatVersion: String
    /// The function invoked: its `FunctionSpec.id` (the logical id, or `Child/Function` in a nested stack).
    public var functionLogicalID: String
    /// The API resource: an explicit one, or "ServerlessRestApi" / "ServerlessHttpApi".
    public var apiLogicalID: String
    /// REST: `StageName` (default "Prod"); HTTP: "$default" unless the API sets `StageName`.
    public var stageName: String
    /// The stage's variables (`Variables` / `StageVariables`), which API Gateway passes as `stageVariables`.
    public var stageVariables: [String: String] = [:]
    /// The API's CORS settings, when CORS is configured.
    public var cors: CORSSpec?
    /// The Lambda authorizer protecting the route, when there is one.
    public var authorizer: AuthorizerSpec?
    /// REST `BinaryMediaTypes` (with SAM's `~1` turned back into `/`).
    public var binaryMediaTypes: [String]
    /// The event's key in the function's `Events` (empty for routes of OpenAPI definitions and raw API resources).
    public var eventName: String
    /// Where the route is defined, for routes that do not come from an event (an OpenAPI path, an
    /// `AWS::ApiGateway::Method`, an `AWS::ApiGatewayV2::Route`).
    public var location: SourceLocation?

    /// Creates a route.
    public init(
        method: String,
        path: String,
        kind: APIKind,
        payloadFormatVersion: String,
        functionLogicalID: String,
        apiLogicalID: String,
        stageName: String,
        cors: CORSSpec? = nil,
        authorizer: AuthorizerSpec? = nil,
        binaryMediaTypes: [String] = [],
        eventName: String = "",
        stageVariables: [String: String] = [:],
        location: SourceLocation? = nil
    ) {
        self.method = method
        self.path = path
        self.kind = kind
        self.payloadFormatVersion = payloadFormatVersion
        self.functionLogicalID = functionLogicalID
        self.apiLogicalID = apiLogicalID
        self.stageName = stageName
        self.cors = cors
        self.authorizer = authorizer
        self.binaryMediaTypes = binaryMediaTypes
        self.eventName = eventName
        self.stageVariables = stageVariables
        self.location = location
    }

    /// API Gateway's route key: "GET /hello", "ANY /{proxy+}", or "$default".
    public var routeKey: String {
        path == "$default" ? "$default" : "\(method) \(path)"
    }
}

/// CORS settings of an API, normalized the way SAM CLI reads them.
///
/// REST (`Cors`): SAM's quoted strings are unquoted and comma lists split (`"'GET,POST'"` -> GET, OPTIONS, POST);
/// `Cors: "'*'"` sets the origin and allows every method. HTTP (`CorsConfiguration`): `true` allows any origin and
/// every method. `allowMethods` is never empty: unset or `*` means every method, and OPTIONS is always included.
public struct CORSSpec: Sendable, Equatable {
    /// Allowed origins, e.g. ["*"].
    public var allowOrigins: [String]
    /// Allowed methods, upper case and sorted, OPTIONS included.
    public var allowMethods: [String]
    /// Allowed request headers.
    public var allowHeaders: [String]
    /// Exposed response headers (HTTP APIs).
    public var exposeHeaders: [String]
    /// `Access-Control-Max-Age` seconds.
    public var maxAge: Int?
    /// `Access-Control-Allow-Credentials: true`.
    public var allowCredentials: Bool

    /// Creates CORS settings.
    public init(
        allowOrigins: [String] = [],
        allowMethods: [String] = [],
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
public struct AuthorizerSpec: Sendable, Equatable {
    /// TOKEN or REQUEST.
    public enum AuthorizerType: String, Sendable, Equatable {
        /// REST TOKEN authorizer: gets one header's value.
        case token
        /// REQUEST authorizer (REST REQUEST, and every HTTP API Lambda authorizer).
        case request
    }

    /// The authorizer's name in `Auth.Authorizers`.
    public var name: String
    /// The authorizer function (its `FunctionSpec.id`).
    public var functionLogicalID: String
    /// TOKEN or REQUEST.
    public var type: AuthorizerType
    /// REST: "method.request.header.Authorization", "method.request.querystring.q";
    /// HTTP: "$request.header.Authorization", "$request.querystring.q".
    public var identitySources: [String]
    /// HTTP APIs: `AuthorizerPayloadFormatVersion` ("1.0" | "2.0"); nil for REST.
    public var payloadFormatVersion: String?
    /// HTTP APIs with payload 2.0: `EnableSimpleResponses`.
    public var enableSimpleResponses: Bool

    /// Creates an authorizer spec.
    public init(
        name: String,
        functionLogicalID: String,
        type: AuthorizerType,
        identitySources: [String],
        payloadFormatVersion: String? = nil,
        enableSimpleResponses: Bool = false
    ) {
        self.name = name
        self.functionLogicalID = functionLogicalID
        self.type = type
        self.identitySources = identitySources
        self.payloadFormatVersion = payloadFormatVersion
        self.enableSimpleResponses = enableSimpleResponses
    }
}

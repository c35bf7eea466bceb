/// One request's trip through the gateway, without the HTTP server: static files, CORS preflight, route match,
/// authorizer, event, invoke, response mapping. ``APIGatewayServer`` runs it for every request; tests can call it
/// directly.
public struct GatewayPipeline: Sendable {
    /// The routes.
    public let routes: RouteTable
    /// Static files tried before routes, when set.
    public let staticFiles: StaticFiles?
    /// Who runs functions.
    public let invoker: any FunctionInvoking
    /// Account id for events and ARNs.
    public var accountID: String
    /// Region for ARNs and function URL domains.
    public var region: String

    /// What handling a request produced, for the access log.
    public struct Outcome: Sendable {
        /// The response to send.
        public var response: GatewayResponse
        /// The function that answered (nil for static files, preflights, unknown routes, authorizer refusals).
        public var functionLogicalID: String?
        /// Why the response is an error produced by the gateway (malformed answer, function error), when it is.
        public var diagnostic: String?
    }

    /// Creates a pipeline.
    public init(
        routes: RouteTable,
        staticFiles: StaticFiles? = nil,
        invoker: any FunctionInvoking,
        accountID: String = "123456789012",
        region: String = "us-east-1"
    ) {
        self.routes = routes
        self.staticFiles = staticFiles
        self.invoker = invoker
        self.accountID = accountID
        self.region = region
    }

    /// Handles one request.
    public func handle(_ request: APIRequest, serverPort: Int? = nil) async -> Outcome {
        if let staticFiles, let response = staticFiles.response(for: request) {
            return Outcome(response: response)
        }
        if request.method == "OPTIONS" {
            // API Gateway answers a preflight for every resource of an API with CORS, whichever method it asks
            // about (the allowed methods are in the answer); so any route on this path with CORS will do.
            let wanted = request.header("Access-Control-Request-Method")?.uppercased() ?? "OPTIONS"
            for method in [wanted, "ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] {
                if let candidate = routes.match(method: method, path: request.path),
                    let cors = candidate.route.cors, cors.isPreflight(request, kind: candidate.route.kind)
                {
                    return Outcome(response: cors.preflightResponse(for: request, kind: candidate.route.kind))
                }
            }
        }
        guard let match = routes.match(method: request.method, path: request.path) else {
            return Outcome(response: .routeNotFound(httpAPI: routes.notFoundKind(path: request.path) != .rest))
        }
        let route = match.route
        let context = EventContext(accountID: accountID, region: region, serverPort: serverPort)
        var authorizerOutput: AuthorizerOutput?
        if route.authorizer != nil {
            switch await LambdaAuthorizer.authorize(request, match: match, context: context, invoker: invoker) {
            case .allow(let output): authorizerOutput = output
            case .deny(var response, let diagnostic):
                if route.kind != .rest, let cors = route.cors { cors.apply(to: &response, for: request) }
                return Outcome(
                    response: response,
                    functionLogicalID: route.authorizer?.functionLogicalID,
                    diagnostic: diagnostic
                )
            }
        }
        let event = EventBuilder.event(for: request, match: match, context: context, authorizer: authorizerOutput)
        var mapping: ResponseMapping
        do {
            let outcome = try await invoker.invoke(functionLogicalID: route.functionLogicalID, payload: event)
            mapping = ResponseMapper.map(outcome, route: route, request: request)
        } catch {
            // REST: a rejected invocation is 500, a failed function 502 (both "Internal server error").
            mapping = ResponseMapping(
                response: route.kind == .rest
                    ? .message(500, "Internal server error") : .integrationFailure(route.kind),
                diagnostic: "function could not be invoked: \(error)"
            )
        }
        if route.kind != .rest, let cors = route.cors { cors.apply(to: &mapping.response, for: request) }
        return Outcome(
            response: mapping.response,
            functionLogicalID: route.functionLogicalID,
            diagnostic: mapping.diagnostic
        )
    }
}

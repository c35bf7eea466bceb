/// What an authorizer allowed through: the principal and the context handed to the route's function.
public struct AuthorizerOutput: Sendable {
    /// `principalId` from an IAM-policy answer.
    public var principalID: String?
    /// The `context` members, in order.
    var context: [(String, JSON)]

    /// The context as text pairs (strings as is, other values as JSON text), for logs and tests.
    public var contextPairs: [(String, String)] {
        context.map { ($0.0, $0.1.scalarText ?? String(decoding: $0.1.bytes, as: UTF8.self)) }
    }
}

/// The outcome of running a route's Lambda authorizer.
public enum AuthorizerDecision: Sendable {
    /// Go on and invoke the route's function with this authorizer output.
    case allow(AuthorizerOutput)
    /// Answer with this response; `diagnostic` says why (for the log) when the authorizer misbehaved.
    case deny(GatewayResponse, diagnostic: String?)
}

/// Lambda authorizers, REST (`TOKEN`, `REQUEST`) and HTTP API (`REQUEST`, payload 1.0 / 2.0, simple or IAM answers).
///
/// Status codes and bodies follow AWS: a missing identity source (or a token failing `ValidationExpression`, or an
/// authorizer failing with the message `Unauthorized`) gives 401 `{"message":"Unauthorized"}` without (or after)
/// invoking it; a REST policy with a matching `Deny` gives 403 `User is not authorized to access this resource with
/// an explicit deny`, one without a matching `Allow` 403 `User is not authorized to access this resource`; an HTTP
/// API refusal is 403 `{"message":"Forbidden"}`. An authorizer that fails or answers nonsense gives 500.
public enum LambdaAuthorizer {
    /// Runs `match.route.authorizer` (which must be set) for `request`.
    public static func authorize(
        _ request: APIRequest,
        match: RouteMatch,
        context: EventContext,
        invoker: any FunctionInvoking
    ) async -> AuthorizerDecision {
        guard let configuration = match.route.authorizer else { return .allow(AuthorizerOutput(context: [])) }
        let route = match.route
        let unauthorized = GatewayResponse.message(401, "Unauthorized")
        guard let identity = identityValues(configuration, request: request, kind: route.kind) else {
            return .deny(unauthorized, diagnostic: nil)
        }
        let arn = EventBuilder.methodARN(for: request, route: route, context: context)
        let event: [UInt8]
        if route.kind == .rest && configuration.type == .token {
            let token = identity.first ?? ""
            if let expression = configuration.validationExpression, !expression.isEmpty,
                !RegexMatch.wholeMatch(token, expression)
            {
                return .deny(unauthorized, diagnostic: nil)
            }
            event = EventBuilder.tokenAuthorizerEvent(token: token, methodARN: arn)
        } else {
            event = EventBuilder.requestAuthorizerEvent(
                for: request,
                match: match,
                context: context,
                identityValues: identity
            )
        }
        let failure =
            route.kind == .rest
            ? GatewayResponse.message(500, nil) : GatewayResponse.message(500, "Internal Server Error")
        let outcome: FunctionInvocationOutcome
        do {
            outcome = try await invoker.invoke(functionLogicalID: configuration.functionLogicalID, payload: event)
        } catch {
            return .deny(failure, diagnostic: "authorizer \(configuration.name) could not be invoked: \(error)")
        }
        let answer = JSON.parse(outcome.payload)
        if let errorType = outcome.errorType {
            let message = answer?["errorMessage"]?.stringValue
            if message == "Unauthorized" { return .deny(unauthorized, diagnostic: nil) }
            return .deny(
                failure,
                diagnostic: "authorizer \(configuration.name) failed with \(errorType)"
                    + (message.map { ": \($0)" } ?? "")
            )
        }
        guard let answer, answer.objectMembers != nil else {
            return .deny(failure, diagnostic: "authorizer \(configuration.name) did not return a JSON object")
        }
        return decide(answer, configuration: configuration, route: route, methodARN: arn, failure: failure)
    }

    static func decide(
        _ answer: JSON,
        configuration: AuthorizerConfiguration,
        route: APIRoute,
        methodARN: String,
        failure: GatewayResponse
    ) -> AuthorizerDecision {
        let forbidden = GatewayResponse.message(403, "Forbidden")
        var contextMembers: [(String, JSON)] = []
        switch answer["context"] {
        case nil, .null?: break
        case .object(let members)?:
            if route.kind == .rest {
                for (name, value) in members {
                    guard let text = value.scalarText else {
                        return .deny(
                            failure,
                            diagnostic: "authorizer \(configuration.name): context.\(name) must be a string, number "
                                + "or boolean, got \(value.typeName)"
                        )
                    }
                    contextMembers.append((name, .string(text)))
                }
            } else {
                contextMembers = members
            }
        case let other?:
            return .deny(
                failure,
                diagnostic: "authorizer \(configuration.name): context must be an object, got \(other.typeName)"
            )
        }
        if route.kind != .rest && configuration.enableSimpleResponses && configuration.payloadFormatVersion != "1.0" {
            guard case .bool(let authorized)? = answer["isAuthorized"] else {
                return .deny(
                    failure,
                    diagnostic: "authorizer \(configuration.name): isAuthorized must be a boolean"
                )
            }
            return authorized
                ? .allow(AuthorizerOutput(principalID: nil, context: contextMembers))
                : .deny(forbidden, diagnostic: nil)
        }
        guard let policy = answer["policyDocument"], policy.objectMembers != nil else {
            return .deny(failure, diagnostic: "authorizer \(configuration.name): policyDocument is missing")
        }
        let principal = answer["principalId"]?.scalarText
        if route.kind == .rest && principal == nil {
            return .deny(failure, diagnostic: "authorizer \(configuration.name): principalId is missing")
        }
        switch PolicyEvaluation.evaluate(policy, resource: methodARN) {
        case .allow:
            if route.kind != .rest, let principal { contextMembers.insert(("principalId", .string(principal)), at: 0) }
            return .allow(AuthorizerOutput(principalID: route.kind == .rest ? principal : nil, context: contextMembers))
        case .explicitDeny:
            return .deny(
                route.kind == .rest
                    ? .message(403, "User is not authorized to access this resource with an explicit deny")
                    : forbidden,
                diagnostic: nil
            )
        case .implicitDeny:
            return .deny(
                route.kind == .rest ? .message(403, "User is not authorized to access this resource") : forbidden,
                diagnostic: nil
            )
        }
    }

    /// The identity source values in configuration order, or nil when one is missing or empty.
    /// REST `TOKEN` authorizers default to the `Authorization` header.
    static func identityValues(
        _ configuration: AuthorizerConfiguration,
        request: APIRequest,
        kind: APIKind
    ) -> [String]? {
        var sources = configuration.identitySources
        if sources.isEmpty && kind == .rest { sources = ["method.request.header.Authorization"] }
        var values: [String] = []
        for source in sources {
            for part in source.split(separator: ",") {
                let spec = String(part).trimmingSpaces
                let value: String?
                if let name = spec.dropPrefix("method.request.header.") ?? spec.dropPrefix("$request.header.") {
                    value = request.header(name)
                } else if let name = spec.dropPrefix("method.request.querystring.")
                    ?? spec.dropPrefix("$request.querystring.")
                {
                    value = request.queryItems.last { $0.name == name }?.value
                } else {
                    continue  // $context.* and stageVariables.* are always present locally
                }
                guard let value, !value.isEmpty else { return nil }
                values.append(value)
            }
        }
        return values
    }
}

extension String {
    func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}

/// IAM policy evaluation for `execute-api:Invoke` on one resource ARN: a matching `Deny` wins, then a matching
/// `Allow`; nothing matching is an implicit deny. `*` and `?` are wildcards in actions and resources.
enum PolicyEvaluation: Equatable {
    case allow
    case explicitDeny
    case implicitDeny

    static func evaluate(_ policy: JSON, resource: String) -> PolicyEvaluation {
        var statements: [JSON] = []
        switch policy["Statement"] {
        case .array(let items)?: statements = items
        case .object(let members)?: statements = [.object(members)]
        default: return .implicitDeny
        }
        var allowed = false
        for statement in statements {
            guard let effect = statement["Effect"]?.stringValue else { continue }
            guard list(statement["Action"]).contains(where: { glob("execute-api:Invoke", $0, caseInsensitive: true) })
            else { continue }
            guard list(statement["Resource"]).contains(where: { glob(resource, $0, caseInsensitive: false) })
            else { continue }
            if effect.caseInsensitiveEquals("Deny") { return .explicitDeny }
            if effect.caseInsensitiveEquals("Allow") { allowed = true }
        }
        return allowed ? .allow : .implicitDeny
    }

    private static func list(_ value: JSON?) -> [String] {
        switch value {
        case .string(let text)?: [text]
        case .array(let items)?: items.compactMap(\.stringValue)
        default: []
        }
    }

    /// Glob match with `*` (any run) and `?` (one character).
    static func glob(_ text: String, _ pattern: String, caseInsensitive: Bool) -> Bool {
        let t = Array(caseInsensitive ? text.asciiLowercased.utf8 : text.utf8)
        let p = Array(caseInsensitive ? pattern.asciiLowercased.utf8 : pattern.utf8)
        var ti = 0
        var pi = 0
        var starP = -1
        var starT = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == t[ti]) {
                ti += 1
                pi += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                starP = pi
                starT = ti
                pi += 1
            } else if starP >= 0 {
                pi = starP + 1
                starT += 1
                ti = starT
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}

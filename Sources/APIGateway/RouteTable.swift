/// The result of matching a request against a ``RouteTable``.
public struct RouteMatch: Sendable, Equatable {
    /// The route that matched.
    public var route: APIRoute
    /// Path parameters in pattern order, values percent-decoded (`proxy` holds the rest of the path for `{proxy+}`).
    public var pathParameters: [PathParameter]

    /// One path parameter.
    public struct PathParameter: Sendable, Equatable {
        /// The name in the pattern (`id`, `proxy`).
        public var name: String
        /// The decoded value.
        public var value: String
    }
}

/// Routes of one server, matched the way API Gateway does.
///
/// Precedence, segment by segment from the left: a literal segment beats a `{param}`, which beats a greedy
/// `{proxy+}`; on equal paths an exact method beats `ANY`. HTTP API `$default` routes (and function URLs) catch
/// whatever nothing else matched. All REST and HTTP API routes share the table (one port, like `sam local`).
public struct RouteTable: Sendable {
    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case greedy(String)
    }

    private struct Entry: Sendable {
        var route: APIRoute
        var segments: [Segment]
        var isAnyMethod: Bool
    }

    private let entries: [Entry]
    private let defaultRoutes: [APIRoute]
    /// All routes, in the order given.
    public let routes: [APIRoute]

    /// Builds the table.
    /// - Throws: ``APIGatewayError`` for a malformed path pattern (a greedy segment that is not last, an empty name).
    public init(routes: [APIRoute]) throws(APIGatewayError) {
        self.routes = routes
        var entries: [Entry] = []
        var defaults: [APIRoute] = []
        for route in routes {
            if route.path == "$default" || route.kind == .functionURL {
                defaults.append(route)
                continue
            }
            guard route.path.hasPrefix("/") else {
                throw .invalidRoute("route path \"\(route.path)\" must start with \"/\" (or be \"$default\")")
            }
            var segments: [Segment] = []
            let parts = route.path.split(separator: "/", omittingEmptySubsequences: true)
            for (index, part) in parts.enumerated() {
                if part.hasPrefix("{") && part.hasSuffix("}") {
                    var name = part.dropFirst().dropLast()
                    if name.hasSuffix("+") {
                        name = name.dropLast()
                        guard index == parts.count - 1 else {
                            throw .invalidRoute("greedy parameter {\(name)+} must be the last segment of \(route.path)")
                        }
                        guard !name.isEmpty else { throw .invalidRoute("empty parameter name in \(route.path)") }
                        segments.append(.greedy(String(name)))
                    } else {
                        guard !name.isEmpty else { throw .invalidRoute("empty parameter name in \(route.path)") }
                        segments.append(.parameter(String(name)))
                    }
                } else {
                    segments.append(.literal(String(part)))
                }
            }
            entries.append(Entry(route: route, segments: segments, isAnyMethod: route.method == "ANY"))
        }
        self.entries = entries
        self.defaultRoutes = defaults
    }

    /// True when every route belongs to an HTTP API (unknown routes then get 404 instead of REST's 403).
    public var isHTTPAPIOnly: Bool { !routes.isEmpty && routes.allSatisfy { $0.kind != .rest } }

    /// The kind of API whose "not found" answer fits a request no route takes: the API serving the path with
    /// another method when there is one (an HTTP API answers 404, a REST API 403), else HTTP API only when every
    /// route is one.
    public func notFoundKind(path: String) -> APIKind {
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] {
            if let match = match(method: method, path: path) { return match.route.kind }
        }
        return isHTTPAPIOnly ? .http : .rest
    }

    /// Finds the route for a request.
    /// - Parameters:
    ///   - method: the request method (upper case).
    ///   - path: the request path as received (percent-encoded, no query).
    /// - Returns: the best match, or nil (the caller answers with the API's "not found" response).
    public func match(method: String, path: String) -> RouteMatch? {
        let requestSegments = path.split(separator: "/", omittingEmptySubsequences: true)
        var best: (entry: Entry, ranks: [UInt8])?
        for entry in entries {
            guard entry.isAnyMethod || entry.route.method == method else { continue }
            guard let ranks = Self.ranks(entry.segments, requestSegments) else { continue }
            if let current = best {
                if Self.isBetter(ranks, entry.isAnyMethod, than: current.ranks, current.entry.isAnyMethod) {
                    best = (entry, ranks)
                }
            } else {
                best = (entry, ranks)
            }
        }
        if let best {
            return RouteMatch(
                route: best.entry.route,
                pathParameters: Self.parameters(best.entry.segments, requestSegments)
            )
        }
        let defaults = defaultRoutes.filter { $0.method == "ANY" || $0.method == method }
        if let route = defaults.first(where: { $0.method == method }) ?? defaults.first {
            return RouteMatch(route: route, pathParameters: [])
        }
        return nil
    }

    /// Per-segment ranks (literal 2, parameter 1, greedy 0), or nil when the pattern does not match.
    private static func ranks(_ pattern: [Segment], _ request: [Substring]) -> [UInt8]? {
        var ranks: [UInt8] = []
        ranks.reserveCapacity(pattern.count)
        for (index, segment) in pattern.enumerated() {
            switch segment {
            case .literal(let text):
                guard index < request.count, request[index] == text else { return nil }
                ranks.append(2)
            case .parameter:
                guard index < request.count, !request[index].isEmpty else { return nil }
                ranks.append(1)
            case .greedy:
                guard index < request.count else { return nil }  // one or more segments
                ranks.append(0)
                return ranks
            }
        }
        return pattern.count == request.count ? ranks : nil
    }

    private static func isBetter(_ ranks: [UInt8], _ isAny: Bool, than other: [UInt8], _ otherIsAny: Bool) -> Bool {
        for (a, b) in zip(ranks, other) where a != b { return a > b }
        if ranks.count != other.count { return ranks.count > other.count }
        return !isAny && otherIsAny
    }

    private static func parameters(_ pattern: [Segment], _ request: [Substring]) -> [RouteMatch.PathParameter] {
        var parameters: [RouteMatch.PathParameter] = []
        for (index, segment) in pattern.enumerated() {
            switch segment {
            case .literal: continue
            case .parameter(let name):
                let raw = request[index]
                parameters.append(.init(name: name, value: PercentDecoding.decode(raw) ?? String(raw)))
            case .greedy(let name):
                let raw = request[index...].joined(separator: "/")
                parameters.append(.init(name: name, value: PercentDecoding.decode(raw) ?? raw))
            }
        }
        return parameters
    }
}

/// The APIGateway module's one error type.
public struct APIGatewayError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case invalidRoute
        case serverStart
    }

    private let code: Code
    /// What went wrong, for people.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A route definition that cannot be served (bad path pattern, bad method).
    public static func invalidRoute(_ message: String) -> APIGatewayError { .init(.invalidRoute, message) }
    /// The server could not start (address in use, bad host).
    public static func serverStart(_ message: String) -> APIGatewayError { .init(.serverStart, message) }

    /// The message.
    public var description: String { message }
}

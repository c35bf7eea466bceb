/// The seam to the Lambda side: invokes a function with an event and returns what it answered.
///
/// StandinKit implements it over the instance pool; tests use a fake.
public protocol FunctionInvoking: Sendable {
    /// Invokes `functionLogicalID` with `payload` (the event JSON bytes).
    /// - Throws: only when the function could not be invoked at all (unknown function, failed start).
    func invoke(functionLogicalID: String, payload: [UInt8]) async throws -> FunctionInvocationOutcome
}

/// What one invocation returned.
public struct FunctionInvocationOutcome: Sendable, Equatable {
    /// The function's raw response bytes, or its error JSON.
    public var payload: [UInt8]
    /// Set when the function failed (`Runtime.ExitError`, `Sandbox.Timeout`, the handler's error type, ...).
    public var errorType: String?

    /// Creates an outcome.
    public init(payload: [UInt8], errorType: String? = nil) {
        self.payload = payload
        self.errorType = errorType
    }
}

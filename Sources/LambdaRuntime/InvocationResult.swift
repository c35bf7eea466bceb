/// What one invocation produced.
public struct InvocationResult: Sendable {
    /// The response bytes, or the error JSON (`{errorMessage, errorType, stackTrace}` or the runtime's own shape).
    public var payload: [UInt8]
    /// nil on success; otherwise the error type (`Runtime.ExitError`, `Sandbox.Timedout`, the handler's type...).
    public var errorType: String?
    /// True when the invocation failed (`X-Amz-Function-Error: Unhandled`).
    public var isError: Bool { errorType != nil }
    /// This invocation's log, `START` through `REPORT`, for `X-Amz-Log-Result`.
    public var log: [UInt8]
    /// How long the invocation took (the REPORT line's Duration).
    public var duration: Duration
    /// The instance's init duration, on its first invocation only.
    public var initDuration: Duration?
    /// Peak memory of the instance's process tree, in MB.
    public var maxMemoryUsedMB: Int

    /// Creates a result.
    public init(
        payload: [UInt8], errorType: String?, log: [UInt8], duration: Duration, initDuration: Duration?,
        maxMemoryUsedMB: Int
    ) {
        self.payload = payload
        self.errorType = errorType
        self.log = log
        self.duration = duration
        self.initDuration = initDuration
        self.maxMemoryUsedMB = maxMemoryUsedMB
    }
}

import ProcessLauncher

/// The lifecycle of one function instance as seen through its Runtime API, as a pure value.
///
/// One invocation at a time: `idle` -> `queued` (submitted, the runtime is not waiting yet) -> `running` (the event
/// was delivered on `/next`) -> answered (`/response`, `/error`) -> `idle`. Process exit, a posted init error, a
/// timeout or shutdown end the instance (`dead`). Methods return what the caller must do; they do no I/O.
struct InvocationStateMachine: Sendable {
    /// An invocation handed to the instance.
    struct Invocation: Equatable, Sendable {
        var request: InvocationRequest
        static func == (lhs: Invocation, rhs: Invocation) -> Bool { lhs.request.requestID == rhs.request.requestID }
        var requestID: String { request.requestID }
    }

    /// How an invocation ended.
    enum Outcome: Equatable, Sendable {
        /// `/response` with these bytes.
        case response([UInt8])
        /// `/error`: the `Lambda-Runtime-Function-Error-Type` header and the body as posted.
        case functionError(errorType: String?, body: [UInt8])
        /// A `/response` body over ``RuntimeAPIResponse/maxPayloadSize``.
        case responseTooLarge(size: Int)
        /// `/init/error` before the first `/next`.
        case initError(errorType: String?, body: [UInt8])
        /// The process ended before answering.
        case exited(ProcessExit)
        /// The invocation ran past its timeout.
        case timedOut
        /// The instance was shut down.
        case shutDown
    }

    /// An invocation that ended, and how.
    struct Completion: Equatable, Sendable {
        var requestID: String
        var outcome: Outcome
    }

    /// What to do with a `/next` request.
    enum NextAction: Equatable, Sendable {
        /// Answer it now with this invocation.
        case deliver(Invocation)
        /// Keep it open until an invocation arrives (long poll).
        case park
        /// Answer it with an error and close.
        case reject(RuntimeAPIResponse)
    }

    /// What to do with a submitted invocation.
    enum SubmitAction: Equatable, Sendable {
        /// Answer the parked `/next` with it.
        case deliver(Invocation)
        /// Wait for the runtime's `/next`.
        case wait
        /// It cannot run: complete it at once.
        case fail(Outcome)
        /// Another invocation is in progress.
        case busy
    }

    /// A body posted to `/response` or `/error`.
    enum PostedBody: Equatable, Sendable {
        case bytes([UInt8])
        case tooLarge(size: Int)
    }

    enum Phase: Equatable, Sendable {
        case idle
        case queued(Invocation)
        case running(Invocation)
        case dead
    }

    private(set) var phase: Phase = .idle
    /// True once the runtime has called `/next` (init is over).
    private(set) var isInitialized = false
    /// True while a `/next` request is parked.
    private(set) var isNextParked = false
    /// The init error the runtime posted, if any.
    private(set) var initError: Outcome?
    /// How the process ended, once it has.
    private(set) var exit: ProcessExit?
    private var answered: [String] = []

    /// False once the instance cannot run invocations any more.
    var isHealthy: Bool { phase != .dead && initError == nil && exit == nil }

    /// The runtime asked for the next event. `becameInitialized` is true on the very first call.
    mutating func nextRequested() -> (action: NextAction, becameInitialized: Bool) {
        let first = !isInitialized
        isInitialized = true
        switch phase {
        case .queued(let invocation):
            phase = .running(invocation)
            return (.deliver(invocation), first)
        case .idle, .running:
            // A `/next` during a running invocation is parked; the runtime should have answered first.
            isNextParked = true
            return (.park, first)
        case .dead:
            return (.reject(.internalError), first)
        }
    }

    /// The parked `/next` connection went away.
    mutating func nextWaiterGone() {
        isNextParked = false
    }

    /// A new invocation is submitted.
    mutating func submit(_ invocation: Invocation) -> SubmitAction {
        if let initError { return .fail(initError) }
        if let exit { return .fail(.exited(exit)) }
        switch phase {
        case .dead:
            return .fail(.shutDown)
        case .queued, .running:
            return .busy
        case .idle:
            if isNextParked {
                isNextParked = false
                phase = .running(invocation)
                return .deliver(invocation)
            }
            phase = .queued(invocation)
            return .wait
        }
    }

    /// The runtime posted `/invocation/{id}/response`.
    mutating func responsePosted(
        requestID: String, body: PostedBody
    ) -> (
        reply: RuntimeAPIResponse, completion: Completion?
    ) {
        if let rejection = rejectAnswer(requestID: requestID, target: "InvocationResponse") {
            return (rejection, nil)
        }
        finish(requestID)
        switch body {
        case .bytes(let bytes):
            return (.accepted, Completion(requestID: requestID, outcome: .response(bytes)))
        case .tooLarge(let size):
            return (.payloadTooLarge, Completion(requestID: requestID, outcome: .responseTooLarge(size: size)))
        }
    }

    /// The runtime posted `/invocation/{id}/error`.
    mutating func errorPosted(
        requestID: String, errorType: String?, body: PostedBody
    ) -> (
        reply: RuntimeAPIResponse, completion: Completion?
    ) {
        if let rejection = rejectAnswer(requestID: requestID, target: "InvocationErrorResponse") {
            return (rejection, nil)
        }
        finish(requestID)
        switch body {
        case .bytes(let bytes):
            return (
                .accepted,
                Completion(requestID: requestID, outcome: .functionError(errorType: errorType, body: bytes))
            )
        case .tooLarge(let size):
            return (.payloadTooLarge, Completion(requestID: requestID, outcome: .responseTooLarge(size: size)))
        }
    }

    /// The runtime posted `/init/error`. The instance is finished; a queued invocation fails with this error.
    mutating func initErrorPosted(
        errorType: String?, body: [UInt8]
    ) -> (
        reply: RuntimeAPIResponse, completion: Completion?
    ) {
        guard !isInitialized, initError == nil else {
            return (.invalidStateTransition(from: isInitialized ? "Running" : "InitError", to: "InitError"), nil)
        }
        let outcome = Outcome.initError(errorType: errorType, body: body)
        initError = outcome
        if case .queued(let invocation) = phase {
            phase = .dead
            return (.accepted, Completion(requestID: invocation.requestID, outcome: outcome))
        }
        phase = .dead
        return (.accepted, nil)
    }

    /// The process ended. A pending invocation fails (with the posted init error, if there was one).
    mutating func processExited(_ status: ProcessExit) -> Completion? {
        exit = status
        return end(with: initError ?? .exited(status))
    }

    /// The invocation ran out of time.
    mutating func timedOut(requestID: String) -> Completion? {
        switch phase {
        case .queued(let invocation), .running(let invocation):
            guard invocation.requestID == requestID else { return nil }
            return end(with: .timedOut)
        case .idle, .dead:
            return nil
        }
    }

    /// The instance is being shut down.
    mutating func shutDown() -> Completion? {
        end(with: .shutDown)
    }

    private mutating func end(with outcome: Outcome) -> Completion? {
        defer {
            phase = .dead
            isNextParked = false
        }
        switch phase {
        case .queued(let invocation), .running(let invocation):
            return Completion(requestID: invocation.requestID, outcome: outcome)
        case .idle, .dead:
            return nil
        }
    }

    private func rejectAnswer(requestID: String, target: String) -> RuntimeAPIResponse? {
        if case .running(let invocation) = phase, invocation.requestID == requestID { return nil }
        if answered.contains(requestID) {
            return .invalidStateTransition(from: "RuntimeResponseSentState", to: target)
        }
        return .invalidRequestID
    }

    private mutating func finish(_ requestID: String) {
        phase = .idle
        answered.append(requestID)
        if answered.count > 32 { answered.removeFirst(answered.count - 32) }
    }
}

extension ProcessExit {
    /// Lambda's wording: `Runtime exited with error: exit status 1`, `... signal: killed`, or no reason for 0.
    var lambdaDescription: String {
        switch self {
        case .exited(0): "Runtime exited without providing a reason"
        case .exited(let code): "Runtime exited with error: exit status \(code)"
        case .signaled(let signal): "Runtime exited with error: signal: \(Self.signalName(signal))"
        }
    }

    private static func signalName(_ signal: Int32) -> String {
        // Go's names, as Lambda prints them.
        switch signal {
        case 1: "hangup"
        case 2: "interrupt"
        case 3: "quit"
        case 4: "illegal instruction"
        case 6: "aborted"
        case 7: "bus error"
        case 8: "floating point exception"
        case 9: "killed"
        case 11: "segmentation fault"
        case 13: "broken pipe"
        case 15: "terminated"
        default: "signal \(signal)"
        }
    }
}

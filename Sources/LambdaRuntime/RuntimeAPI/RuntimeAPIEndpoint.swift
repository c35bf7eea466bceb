import Foundation
import NIOCore
import ProcessLauncher
import Synchronization

/// The shared state between one instance's Runtime API connections and the invoker, around an
/// ``InvocationStateMachine``. Responses and continuations are always completed outside the lock.
final class RuntimeAPIEndpoint: Sendable {
    typealias Outcome = InvocationStateMachine.Outcome

    private struct ParkedNext {
        var connection: ObjectIdentifier
        var respond: @Sendable (RuntimeAPIResponse) -> Void
    }

    private struct Waiter {
        var requestID: String
        var continuation: CheckedContinuation<Outcome, Never>
    }

    private struct State {
        var machine = InvocationStateMachine()
        var parked: ParkedNext?
        var waiter: Waiter?
        var timer: Scheduled<Void>?
        var deliveredAt: ContinuousClock.Instant?
        var initializedAt: ContinuousClock.Instant?
    }

    let functionARN: String
    let timeout: Duration
    let eventLoop: any EventLoop
    private let state = Mutex(State())

    init(functionARN: String, timeout: Duration, eventLoop: any EventLoop) {
        self.functionARN = functionARN
        self.timeout = timeout
        self.eventLoop = eventLoop
    }

    /// When the runtime first called `/next`.
    var initializedAt: ContinuousClock.Instant? { state.withLock { $0.initializedAt } }

    /// False after an init error, process exit, timeout or shutdown.
    var isHealthy: Bool { state.withLock { $0.machine.isHealthy } }

    // MARK: Runtime side

    /// `GET /next`: answers now, or parks `respond` until an invocation arrives.
    func next(connection: ObjectIdentifier, respond: @escaping @Sendable (RuntimeAPIResponse) -> Void) {
        let response: RuntimeAPIResponse? = state.withLock { state in
            let (action, first) = state.machine.nextRequested()
            if first { state.initializedAt = .now }
            switch action {
            case .deliver(let invocation):
                return deliver(invocation, state: &state)
            case .park:
                state.parked = ParkedNext(connection: connection, respond: respond)
                return nil
            case .reject(let response):
                return response
            }
        }
        if let response { respond(response) }
    }

    /// The connection holding a parked `/next` closed.
    func connectionClosed(_ connection: ObjectIdentifier) {
        state.withLock { state in
            guard state.parked?.connection == connection else { return }
            state.parked = nil
            state.machine.nextWaiterGone()
        }
    }

    /// `POST /invocation/{id}/response`.
    func response(requestID: String, body: InvocationStateMachine.PostedBody) -> RuntimeAPIResponse {
        settle { $0.responsePosted(requestID: requestID, body: body) }
    }

    /// `POST /invocation/{id}/error`.
    func error(requestID: String, errorType: String?, body: InvocationStateMachine.PostedBody) -> RuntimeAPIResponse {
        settle { $0.errorPosted(requestID: requestID, errorType: errorType, body: body) }
    }

    /// `POST /init/error`.
    func initError(errorType: String?, body: [UInt8]) -> RuntimeAPIResponse {
        settle { $0.initErrorPosted(errorType: errorType, body: body) }
    }

    private func settle(
        _ transition: (inout InvocationStateMachine) -> (
            reply: RuntimeAPIResponse, completion: InvocationStateMachine.Completion?
        )
    ) -> RuntimeAPIResponse {
        let (reply, resume) = state.withLock { state in
            let (reply, completion) = transition(&state.machine)
            return (reply, take(completion, state: &state))
        }
        resume?()
        return reply
    }

    // MARK: Invoker side

    /// Runs one invocation to its end. `initTimeout` bounds the wait for a runtime that has not called `/next` yet.
    ///
    /// - Returns: the outcome and when the event was delivered (nil if it never was).
    func run(_ request: InvocationRequest, initTimeout: Duration) async -> (Outcome, ContinuousClock.Instant?) {
        let invocation = InvocationStateMachine.Invocation(request: request)
        // A cancelled caller (standin shutting down past its grace period) ends the wait at once: the instance is
        // shut down and the caller gets `.shutDown`, instead of holding the server's shutdown until it is killed.
        let outcome: Outcome = await withTaskCancellationHandler {
            await wait(for: invocation, initTimeout: initTimeout)
        } onCancel: { [self] in
            shutDown()
        }
        let deliveredAt = state.withLock { $0.deliveredAt }
        return (outcome, deliveredAt)
    }

    /// Submits `invocation` and waits for its outcome.
    private func wait(for invocation: InvocationStateMachine.Invocation, initTimeout: Duration) async -> Outcome {
        let request = invocation.request
        return await withCheckedContinuation { continuation in
            let (immediate, send): (Outcome?, (@Sendable () -> Void)?) = state.withLock { state in
                switch state.machine.submit(invocation) {
                case .fail(let outcome):
                    return (outcome, nil)
                case .busy:
                    return (.shutDown, nil)
                case .wait:
                    state.waiter = Waiter(requestID: request.requestID, continuation: continuation)
                    state.timer = eventLoop.scheduleTask(in: .nanoseconds(Int64(initTimeout.seconds * 1e9))) {
                        [self] in timedOut(request.requestID)
                    }
                    return (nil, nil)
                case .deliver(let invocation):
                    state.waiter = Waiter(requestID: request.requestID, continuation: continuation)
                    let response = deliver(invocation, state: &state)
                    let respond = state.parked?.respond
                    state.parked = nil
                    return (nil, { respond?(response) })
                }
            }
            if let immediate { continuation.resume(returning: immediate) }
            send?()
        }
    }

    /// The process ended.
    func processExited(_ exit: ProcessExit) {
        let (resume, parked) = state.withLock { state in
            let completion = state.machine.processExited(exit)
            defer { state.parked = nil }
            return (take(completion, state: &state), state.parked)
        }
        resume?()
        parked?.respond(.internalError)
    }

    /// The instance is shutting down: a pending invocation ends with `.shutDown`.
    func shutDown() {
        let (resume, parked) = state.withLock { state in
            let completion = state.machine.shutDown()
            defer { state.parked = nil }
            return (take(completion, state: &state), state.parked)
        }
        resume?()
        parked?.respond(.internalError)
    }

    private func timedOut(_ requestID: String) {
        let resume = state.withLock { state in
            take(state.machine.timedOut(requestID: requestID), state: &state)
        }
        resume?()
    }

    // MARK: Helpers (called with the lock held)

    private func deliver(
        _ invocation: InvocationStateMachine.Invocation, state: inout State
    ) -> RuntimeAPIResponse {
        let now = Date()
        state.deliveredAt = .now
        state.timer?.cancel()
        let requestID = invocation.requestID
        state.timer = eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout.seconds * 1e9))) { [self] in
            timedOut(requestID)
        }
        let deadline = Int64(((now.timeIntervalSince1970 + timeout.seconds) * 1000).rounded())
        return .nextInvocation(
            invocation.request, deadlineMilliseconds: deadline, functionARN: functionARN,
            traceID: invocation.request.traceID ?? Self.makeTraceID(now))
    }

    private func take(
        _ completion: InvocationStateMachine.Completion?, state: inout State
    ) -> (@Sendable () -> Void)? {
        guard let completion, let waiter = state.waiter, waiter.requestID == completion.requestID else { return nil }
        state.waiter = nil
        state.timer?.cancel()
        state.timer = nil
        let continuation = waiter.continuation
        return { continuation.resume(returning: completion.outcome) }
    }

    /// A new X-Ray trace header: `Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0`.
    static func makeTraceID(_ date: Date) -> String {
        func hex<T: FixedWidthInteger>(_ value: T) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: T.bitWidth / 4 - digits.count) + digits
        }
        let epoch = UInt32(truncatingIfNeeded: Int(date.timeIntervalSince1970))
        let root = hex(UInt32.random(in: .min ... .max)) + hex(UInt64.random(in: .min ... .max))
        return "Root=1-\(hex(epoch))-\(root);Parent=\(hex(UInt64.random(in: .min ... .max)));Sampled=0"
    }
}

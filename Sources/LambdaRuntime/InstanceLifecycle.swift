/// The lifecycle of one function instance, as a pure value: `starting` → `busy` ⇄ `idle` → `draining` →
/// `stopped`.
///
/// Events are an invocation beginning and ending (and how it ended), the process exiting, retirement (hot reload,
/// rotated credentials: an idle instance stops now, a busy one once its invocation ends) and shutdown. Each returns
/// what the owner (``FunctionInstance``) must do to the process; nothing here does I/O, and time is read from a
/// `Clock` the owner passes in, so tests move it by hand. The Runtime API side of one invocation is
/// ``InvocationStateMachine``.
struct InstanceLifecycle<C: Clock>: Sendable {
    enum State: Equatable, Sendable {
        /// Launched; no invocation has run yet (init overlaps the first invocation, as in Lambda).
        case starting
        /// Waiting for an invocation since this instant.
        case idle(since: C.Instant)
        /// Running an invocation.
        case busy
        /// Running an invocation, then stopping: retired while busy.
        case draining
        /// Gone, or going: it takes no more invocations.
        case stopped(StopReason)
    }

    enum StopReason: Equatable, Sendable {
        case initFailed, timedOut, exited, retired, shutDown
    }

    /// What to do with an invocation that arrives.
    enum BeginAction: Equatable, Sendable {
        /// Hand it to the runtime; if the runtime has not asked for it (`/next`) within `waitForNext`, it failed.
        case run(waitForNext: C.Duration, isFirst: Bool)
        /// Another invocation is running here.
        case busy
        /// The instance is stopped.
        case stopped
    }

    /// How an invocation ended, as far as the instance is concerned.
    enum Ending: Equatable, Sendable {
        /// A response or a function error: the runtime is healthy.
        case answered
        /// The runtime posted an init error.
        case initFailed
        /// The invocation outlived its timeout.
        case timedOut
        /// The process ended during the invocation.
        case exited
        /// The instance was shut down during the invocation.
        case shutDown
    }

    /// What to do to the process.
    enum ProcessAction: Equatable, Sendable {
        /// Nothing: it stays for the next invocation, or it is gone already.
        case none
        /// Stop it: `SIGTERM`, a short grace, `SIGKILL`, reap.
        case terminate
        /// Kill its process group at once (Lambda stops a timed-out environment hard), then reap.
        case kill
    }

    private(set) var state: State = .starting
    /// Invocations begun so far.
    private(set) var invocations = 0
    /// Set by the first ``shutDown()``.
    private(set) var isShutDown = false
    /// The function's timeout: how long a warm runtime may take to ask for its next event.
    let timeout: C.Duration
    /// The least a new instance gets to initialize (Lambda gives init 10 s, or the timeout when longer).
    let initTimeout: C.Duration

    /// A lifecycle for a function with this timeout; `initTimeout` is raised to `timeout` when lower.
    init(timeout: C.Duration, initTimeout: C.Duration) {
        self.timeout = timeout
        self.initTimeout = max(initTimeout, timeout)
    }

    /// True when the instance can take an invocation.
    var isAvailable: Bool {
        switch state {
        case .starting, .idle: true
        case .busy, .draining, .stopped: false
        }
    }

    /// True once the instance takes no more invocations.
    var isStopped: Bool {
        if case .stopped = state { return true }
        return false
    }

    /// An invocation arrives.
    mutating func begin() -> BeginAction {
        switch state {
        case .starting, .idle:
            invocations += 1
            let isFirst = state == .starting
            state = .busy
            return .run(waitForNext: isFirst ? initTimeout : timeout, isFirst: isFirst)
        case .busy, .draining:
            return .busy
        case .stopped:
            return .stopped
        }
    }

    /// The running invocation ended at `now`, this way.
    mutating func end(_ ending: Ending, at now: C.Instant) -> ProcessAction {
        switch (state, ending) {
        case (.stopped, _):
            return .none
        case (.busy, .answered):
            state = .idle(since: now)
            return .none
        case (.draining, .answered):
            state = .stopped(.retired)
            return .none  // the answer goes out first; the owner's shutdown() stops the process
        case (_, .initFailed):
            state = .stopped(.initFailed)
            return .terminate
        case (_, .timedOut):
            state = .stopped(.timedOut)
            return .kill
        case (_, .exited):
            state = .stopped(.exited)
            return .none
        case (_, .shutDown):
            state = .stopped(.shutDown)
            return .none
        case (.starting, .answered), (.idle, .answered):
            return .none  // no invocation was running: nothing to end
        }
    }

    /// The process ended (reaped) outside an invocation's ending.
    mutating func processExited() {
        if case .stopped = state { return }
        state = .stopped(.exited)
    }

    /// Retired (hot reload, rotated credentials): stop now when not running an invocation; a busy instance drains
    /// (its invocation ends normally) and is stopped by its owner after that.
    mutating func retire() -> ProcessAction {
        switch state {
        case .starting, .idle:
            state = .stopped(.retired)
            return .terminate
        case .busy:
            state = .draining
            return .none
        case .draining, .stopped:
            return .none
        }
    }

    /// Shut down. True the first time: the owner then stops what is left of the process group (even of a stopped
    /// instance: grandchildren may outlive their leader) and closes the Runtime API endpoint.
    mutating func shutDown() -> Bool {
        guard !isShutDown else { return false }
        isShutDown = true
        if !isStopped { state = .stopped(.shutDown) }
        return true
    }
}

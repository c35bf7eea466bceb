import Foundation
import Logging
import NIOPosix
import ProcessLauncher
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One running instance of a function: a child process in its own process group, with its own Runtime API
/// endpoint on loopback. Runs one invocation at a time.
public final class FunctionInstance: Sendable {
    private struct State {
        var lifecycle: InstanceLifecycle<ContinuousClock>
        var peakMemoryMB = 0
    }

    /// The configuration the instance was started with.
    public let configuration: FunctionConfiguration
    /// `AWS_LAMBDA_RUNTIME_API` of this instance (`127.0.0.1:PORT`).
    public let runtimeAPI: String
    /// The child's pid (also its process group id).
    public var pid: Int32 { process.pid }

    private let endpoint: RuntimeAPIEndpoint
    private let server: RuntimeAPIServer
    private let process: ChildProcess
    private let capture: LogCapture
    private let logger: Logger
    private let startedAt: ContinuousClock.Instant
    private let state: Mutex<State>
    /// Set when a debugger attaches to the instance: its timeouts are suspended.
    private let debug: DebugSetup?

    /// The timeout that stands in for the function's while a debugger may hold it paused: the timer never fires in
    /// practice, and the deadline (`Lambda-Runtime-Deadline-Ms`, `getRemainingTimeInMillis`) is a year ahead.
    static let suspendedTimeout: Duration = .seconds(365 * 24 * 3600)

    private init(
        configuration: FunctionConfiguration, endpoint: RuntimeAPIEndpoint, server: RuntimeAPIServer,
        process: ChildProcess, capture: LogCapture, logger: Logger, startedAt: ContinuousClock.Instant,
        debug: DebugSetup?
    ) {
        self.configuration = configuration
        self.debug = debug
        self.runtimeAPI = server.address
        self.endpoint = endpoint
        self.server = server
        self.process = process
        self.capture = capture
        self.logger = logger
        self.startedAt = startedAt
        // A new instance gets at least 10 s to initialize; a warm one that has not asked for its next event yet
        // gets the function's own timeout, as in Lambda; under a debugger, neither runs out.
        let timeout = debug == nil ? configuration.timeout : Self.suspendedTimeout
        self.state = Mutex(State(lifecycle: InstanceLifecycle(timeout: timeout, initTimeout: .seconds(10))))
    }

    /// Starts an instance: binds its Runtime API endpoint, then launches the runtime process.
    ///
    /// It returns once the process is running; init (up to the runtime's first `/next`) overlaps the first invoke.
    /// - Throws: ``RuntimeError`` when the runtime is unsupported, `bootstrap` or the interpreter is missing, or the
    ///   process cannot be started.
    public static func start(
        _ configuration: FunctionConfiguration, logSink: any LogSink, logger: Logger
    ) async throws -> FunctionInstance {
        try await start(configuration, logSink: logSink, logger: logger, clients: nil)
    }

    /// ``start(_:logSink:logger:)`` with explicit runtime client files (tests).
    static func start(
        _ configuration: FunctionConfiguration, logSink: any LogSink, logger: Logger, clients: RuntimeClientPaths?
    ) async throws(RuntimeError) -> FunctionInstance {
        // One debugger port serves one instance at a time: a second concurrent instance runs undebugged.
        var launched = configuration
        let reservedPort = reserveDebugPort(configuration, logger: logger)
        if reservedPort == nil { launched.debugPort = nil }
        do {
            return try await launch(configuration, as: launched, logSink: logSink, logger: logger, clients: clients) {
                releaseDebugPort(reservedPort)
            }
        } catch {
            releaseDebugPort(reservedPort)
            throw error
        }
    }

    /// Starts `launched` (the configuration, without its debug port when another instance holds it); `exited` runs
    /// once when the process has ended.
    private static func launch(
        _ configuration: FunctionConfiguration, as launched: FunctionConfiguration, logSink: any LogSink,
        logger: Logger, clients: RuntimeClientPaths?, exited: @escaping @Sendable () -> Void
    ) async throws(RuntimeError) -> FunctionInstance {
        let plan = try LaunchPlan.make(launched, clients: clients)
        if let interpreter = plan.interpreter { InterpreterLocator.warnOnce(interpreter, logger: logger) }
        if let warning = plan.debugWarning { logger.warning("\(warning)") }
        if let debug = plan.debug {
            notice(logger, "debugging \(configuration.name) on \(debug.address): timeout suspended")
        }
        let endpoint = RuntimeAPIEndpoint(
            functionARN: configuration.functionARN,
            timeout: plan.debug == nil ? configuration.timeout : suspendedTimeout,
            eventLoop: MultiThreadedEventLoopGroup.singleton.next())
        let server = try await RuntimeAPIServer.start(endpoint: endpoint)
        let environment = FunctionEnvironment.build(
            launched, runtimeAPI: server.address, runtimeDirectory: plan.runtimeDirectory)
        let capture = LogCapture(sink: logSink)
        let startedAt = ContinuousClock.now
        let process: ChildProcess
        do {
            process = try ChildProcess(
                executable: plan.executable, arguments: plan.arguments, environment: environment,
                directory: configuration.codeDirectory.path,
                onLine: { capture.write($0) },
                onExit: {
                    endpoint.processExited($0)
                    exited()
                })
        } catch {
            await server.close()
            throw error
        }
        logger.debug(
            "function instance started",
            metadata: [
                "function.name": "\(configuration.name)", "function.pid": "\(process.pid)",
                "runtime.api": "\(server.address)", "runtime.executable": "\(plan.executable)",
            ])
        if let debug = plan.debug, debug.waitsForDebugger {
            notice(logger, "\(configuration.name) waits for a debugger on \(debug.address)")
        }
        return FunctionInstance(
            configuration: configuration, endpoint: endpoint, server: server, process: process, capture: capture,
            logger: logger, startedAt: startedAt, debug: plan.debug)
    }

    /// Debug ports held by live instances of this process.
    private static let debugPortsInUse = Mutex<Set<Int>>([])

    /// Takes `configuration.debugPort` for a new instance; nil when there is none or another instance holds it.
    private static func reserveDebugPort(_ configuration: FunctionConfiguration, logger: Logger) -> Int? {
        guard let port = configuration.debugPort else { return nil }
        guard debugPortsInUse.withLock({ $0.insert(port).inserted }) else {
            let address = DebugLaunch.address(port)
            logger.warning(
                "\(configuration.name): another instance holds debug port \(address); this one runs without a debugger")
            return nil
        }
        return port
    }

    private static func releaseDebugPort(_ port: Int?) {
        guard let port else { return }
        _ = debugPortsInUse.withLock { $0.remove(port) }
    }

    /// Logs `message` at `notice` level even when the logger's level is higher: a user who asked for a debug port
    /// needs to know where to attach.
    private static func notice(_ logger: Logger, _ message: Logger.Message) {
        var visible = logger
        visible.logLevel = min(logger.logLevel, .notice)
        visible.notice(message)
    }

    /// False once the process has died, timed out, reported an init error, or the instance was retired or shut
    /// down; also false while it runs an invocation.
    public var isHealthy: Bool {
        let exited = process.exitStatus != nil
        return state.withLock { state in
            if exited { state.lifecycle.processExited() }
            return state.lifecycle.isAvailable
        } && endpoint.isHealthy
    }

    /// Hot reload, rotated credentials: an idle instance stops now; a busy one finishes its invocation and is then
    /// no longer healthy, for its owner to shut down.
    public func retire() async {
        let action = state.withLock { $0.lifecycle.retire() }
        await perform(action)
    }

    /// Runs one invocation. Function faults (errors, crashes, timeouts) come back as an error result, not a throw.
    /// - Throws: ``RuntimeError/busy`` when an invocation is already running, ``RuntimeError/shutDown`` after
    ///   ``shutdown()``.
    public func invoke(_ request: InvocationRequest) async throws -> InvocationResult {
        let waitForNext: Duration
        let first: Bool
        switch state.withLock({ $0.lifecycle.begin() }) {
        case .run(let wait, let isFirst): (waitForNext, first) = (wait, isFirst)
        case .busy: throw RuntimeError.busy
        case .stopped: throw RuntimeError.shutDown
        }

        let requestID = request.requestID
        capture.write(InvocationLogLines.start(requestID: requestID))
        let submittedAt = ContinuousClock.now
        let (outcome, deliveredAt) = await endpoint.run(request, initTimeout: waitForNext)
        let endedAt = ContinuousClock.now
        let memory = measureMemory()
        await perform(state.withLock { $0.lifecycle.end(Self.ending(of: outcome), at: endedAt) })

        let payload: [UInt8]
        var errorType: String?
        switch outcome {
        case .response(let bytes):
            payload = bytes
        case .functionError(let type, let body), .initError(let type, let body):
            (payload, errorType) = ErrorPayload.functionError(headerType: type, body: body)
        case .responseTooLarge(let size):
            payload = ErrorPayload.responseTooLarge(size: size)
            errorType = "Function.ResponseSizeTooLarge"
        case .exited(let exit):
            errorType = "Runtime.ExitError"
            payload = ErrorPayload.platform(
                errorType: "Runtime.ExitError", requestID: requestID, message: exit.lambdaDescription)
            capture.write(
                InvocationLogLines.runtimeFailure(
                    requestID: requestID, message: exit.lambdaDescription, errorType: "Runtime.ExitError"))
        case .timedOut:
            errorType = "Sandbox.Timedout"
            payload = ErrorPayload.platform(
                errorType: "Sandbox.Timedout", requestID: requestID,
                message: ErrorPayload.timeoutMessage(configuration.timeout))
            capture.write(
                InvocationLogLines.timedOut(requestID: requestID, timeout: configuration.timeout, at: Date()))
        case .shutDown:
            throw RuntimeError.shutDown
        }
        if process.exitStatus == nil {
            // What the function printed before answering is in the pipes: let it reach the log before END.
            await process.stdout.drain()
            await process.stderr.drain()
        }

        let duration = endedAt - (deliveredAt ?? submittedAt)
        let initDuration: Duration? =
            first ? (endpoint.initializedAt.map { $0 - startedAt } ?? (endedAt - startedAt)) : nil
        capture.write(InvocationLogLines.end(requestID: requestID))
        capture.write(
            InvocationLogLines.report(
                requestID: requestID, duration: duration, memorySize: configuration.memorySize,
                maxMemoryUsedMB: memory, initDuration: initDuration))
        return InvocationResult(
            payload: payload, errorType: errorType, log: capture.take(), duration: duration,
            initDuration: initDuration, maxMemoryUsedMB: memory)
    }

    /// How an invocation's outcome ends it, for the lifecycle.
    private static func ending(of outcome: InvocationStateMachine.Outcome) -> InstanceLifecycle<ContinuousClock>.Ending {
        switch outcome {
        case .response, .functionError, .responseTooLarge: .answered
        case .initError: .initFailed
        case .timedOut: .timedOut
        case .exited: .exited
        case .shutDown: .shutDown
        }
    }

    /// Does what the lifecycle asked for.
    private func perform(_ action: InstanceLifecycle<ContinuousClock>.ProcessAction) async {
        switch action {
        case .none:
            break
        case .terminate:
            await process.terminate()
        case .kill:
            // Lambda stops a timed-out environment hard; the process group goes with it.
            process.signalGroup(SIGKILL)
            await process.terminate(grace: .zero)
        }
    }

    /// Kills the process group (`SIGTERM`, up to `grace`, then `SIGKILL`), reaps it and closes the endpoint.
    /// - Parameter grace: how long the process may take over `SIGTERM`; `.zero` kills it at once, as Lambda ends a
    ///   function without extensions (its shutdown phase lasts 0 ms).
    public func shutdown(grace: Duration = .milliseconds(300)) async {
        guard state.withLock({ $0.lifecycle.shutDown() }) else { return }
        endpoint.shutDown()
        await process.terminate(grace: grace)
        await server.close()
        logger.debug("function instance stopped", metadata: ["function.pid": "\(process.pid)"])
    }

    /// Peak memory of the process tree so far, in MB (kept once the process is gone).
    private func measureMemory() -> Int {
        let now = process.exitStatus == nil ? ProcessMemory.peakResidentMB(ofTree: process.pid) : 0
        return state.withLock { state in
            state.peakMemoryMB = max(state.peakMemoryMB, now)
            return state.peakMemoryMB
        }
    }
}

import Foundation
import Logging
import ServiceLifecycle

/// Warm instances per function configuration: an idle healthy instance is reused, a new one is started when all
/// are busy (up to `maxInstancesPerFunction` per function (its instance group), across its configurations; then callers wait),
/// unhealthy ones are dropped.
///
/// The pool is a ServiceLifecycle `Service`: while ``run()`` runs (in the server's `ServiceGroup`), it stops
/// instances that were idle for `idleTimeout`, and instances the pool retires (crashed, timed out, of an old
/// configuration) stop there, off the request's path; on graceful shutdown it stops every instance. A pool that is
/// not run (one `invoke`) stops retired instances in place and keeps idle ones until ``shutdown()``. It starts no
/// unstructured task.
public actor InstancePool: Service {
    private struct Entry {
        var instance: FunctionInstance
        var generation: Int
        /// When the instance last became idle.
        var idleSince: ContinuousClock.Instant = .now
    }

    private let logSink: any LogSink
    private let logger: Logger
    private let maxInstancesPerFunction: Int
    private let idleTimeout: Duration?
    /// Instances to stop, consumed by ``run()``.
    private let retired: AsyncStream<FunctionInstance>
    private let retiring: AsyncStream<FunctionInstance>.Continuation
    /// A signal to the idle sweep that an instance became idle.
    private let becameIdle: AsyncStream<Void>
    private let signalIdle: AsyncStream<Void>.Continuation
    private var isRunning = false
    /// True while the idle sweep waits for an idle instance to expire.
    private(set) var isSweeping = false
    private var idle: [FunctionConfiguration: [Entry]] = [:]
    private var live: [FunctionConfiguration: Int] = [:]
    private var busy: [ObjectIdentifier: FunctionInstance] = [:]
    private var generations: [String: Int] = [:]
    /// Instances per instance group, across its configurations: what `maxInstancesPerFunction` limits.
    private var liveByName: [String: Int] = [:]
    /// Callers waiting for a free instance, per instance group.
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var isShutDown = false

    /// Creates an empty pool.
    /// - Parameters:
    ///   - maxInstancesPerFunction: instances of one function (by instance group), busy or idle; callers beyond it wait.
    ///   - idleTimeout: an instance idle this long is stopped; nil keeps idle instances until ``shutdown()``.
    public init(
        logSink: any LogSink, logger: Logger, maxInstancesPerFunction: Int = 10, idleTimeout: Duration? = nil
    ) {
        self.logSink = logSink
        self.logger = logger
        self.maxInstancesPerFunction = max(1, maxInstancesPerFunction)
        self.idleTimeout = idleTimeout.map { max($0, .milliseconds(1)) }
        (retired, retiring) = AsyncStream.makeStream()
        (becameIdle, signalIdle) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Runs the idle sweep and stops retired instances until graceful shutdown (or cancellation), then stops every
    /// instance and returns once all are gone. A ``shutdown()`` from elsewhere (a server stopping its functions)
    /// ends the work, but `run()` still returns only at its own graceful shutdown, so that a `ServiceGroup` sees
    /// its services end in order.
    public func run() async throws {
        isRunning = true
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.sweepIdleInstances()
                return false
            }
            group.addTask {
                try? await gracefulShutdown()
                await self.shutdown()
                return true
            }
            // Ends when shutdown() finishes the stream, after the instances queued before it have stopped.
            await withDiscardingTaskGroup { stopping in
                for await instance in retired { stopping.addTask { await instance.shutdown() } }
            }
            // Once the pool's own shutdown has come, the sweep (perhaps asleep until an expiry) is cancelled.
            while let shutDown = await group.next() {
                if shutDown { group.cancelAll() }
            }
        }
    }

    /// Runs one invocation on a warm or new instance of `configuration`.
    /// - Throws: ``RuntimeError`` when no instance can be started, or the pool is shut down.
    public func invoke(
        _ configuration: FunctionConfiguration, _ request: InvocationRequest
    ) async throws -> InvocationResult {
        let configuration = Self.key(configuration)
        let entry = try await checkOut(configuration)
        do {
            let result = try await entry.instance.invoke(request)
            await checkIn(entry, configuration)
            return result
        } catch {
            await checkIn(entry, configuration)
            throw error
        }
    }

    /// Starts an instance of `configuration` ahead of its first invocation (`--warm eager`) and leaves it idle.
    /// - Throws: ``RuntimeError`` when it cannot be started.
    public func prewarm(_ configuration: FunctionConfiguration) async throws {
        let configuration = Self.key(configuration)
        let entry = try await checkOut(configuration)
        await checkIn(entry, configuration)
    }

    /// Hot reload: idle instances of the function (its ``FunctionConfiguration/instanceGroup``) stop now, busy ones
    /// when they finish; new requests get fresh ones.
    public func invalidate(instanceGroup group: String) async {
        // Busy instances drain; instances still starting carry the old generation and are dropped at check-in.
        generations[group, default: 0] += 1
        for instance in busy.values where instance.configuration.instanceGroup == group { await instance.retire() }
        var stopping: [FunctionInstance] = []
        for (configuration, entries) in idle where configuration.instanceGroup == group {
            stopping += entries.map(\.instance)
            idle[configuration] = []
            countLive(configuration, -entries.count)
            wakeOne(configuration)
        }
        await Self.stop(stopping)
    }

    /// Stops every instance (idle and busy: their invocations fail with ``RuntimeError/shutDown``), wakes every
    /// waiting caller with that error, ends the idle sweep and refuses further invocations.
    public func shutdown() async {
        isShutDown = true
        signalIdle.finish()
        retiring.finish()
        let all = idle.values.flatMap { $0.map(\.instance) } + Array(busy.values)
        idle = [:]
        live = [:]
        liveByName = [:]
        busy = [:]
        for continuation in waiters.values.flatMap({ $0 }) { continuation.resume() }
        waiters = [:]
        await Self.stop(all)
    }

    /// The number of instances (idle and busy) of `configuration`.
    public func instanceCount(_ configuration: FunctionConfiguration) -> Int {
        live[Self.key(configuration), default: 0]
    }

    /// The configuration as the pool keys it: directories spelled with a trailing slash. Foundation adds one to
    /// `appendingPathComponent` results only when the directory exists, so a configuration made before the cache
    /// folder was created (the first launch makes it) would otherwise never match the next one, and the warm
    /// instance would be retired as "another configuration".
    static func key(_ configuration: FunctionConfiguration) -> FunctionConfiguration {
        func directory(_ url: URL) -> URL {
            url.isFileURL ? URL(fileURLWithPath: url.path, isDirectory: true) : url
        }
        var key = configuration
        key.codeDirectory = directory(configuration.codeDirectory)
        key.layerDirectories = configuration.layerDirectories.map(directory)
        key.cacheDirectory = directory(configuration.cacheDirectory)
        return key
    }

    /// Stops the instances that have been idle for `idleTimeout` or longer at `now` (the clock is a parameter, so
    /// tests can move it forward).
    /// - Returns: how long until the next idle instance expires; nil when none is idle or there is no timeout.
    @discardableResult
    func stopExpiredIdleInstances(now: ContinuousClock.Instant) async -> Duration? {
        guard let idleTimeout, !isShutDown else { return nil }
        var expired: [FunctionInstance] = []
        for (configuration, entries) in idle {
            let keep = entries.filter { now - $0.idleSince < idleTimeout }
            guard keep.count != entries.count else { continue }
            expired += entries.filter { now - $0.idleSince >= idleTimeout }.map(\.instance)
            idle[configuration] = keep
            countLive(configuration, -(entries.count - keep.count))
            wakeOne(configuration)
        }
        if !expired.isEmpty {
            logger.debug(
                "stopping idle instances",
                metadata: ["pool.stopped": "\(expired.count)", "pool.idle_timeout": "\(idleTimeout)"])
            await Self.stop(expired)
        }
        return nextIdleExpiry(now: now)
    }

    /// Time from `now` until the first idle instance expires.
    private func nextIdleExpiry(now: ContinuousClock.Instant) -> Duration? {
        guard let idleTimeout else { return nil }
        let oldest = idle.values.lazy.flatMap { $0 }.map(\.idleSince).min()
        return oldest.map { max(.zero, $0 + idleTimeout - now) }
    }

    /// The idle sweep (part of ``run()``): while some instance is idle, sleeps until the oldest expires and stops
    /// the expired ones; with none idle, waits for the next one.
    private func sweepIdleInstances() async {
        guard idleTimeout != nil else { return }
        for await _ in becameIdle {
            while !isShutDown, let wait = nextIdleExpiry(now: .now) {
                isSweeping = true
                defer { isSweeping = false }
                do {
                    // A little past the expiry, so that one pass finds the instance expired.
                    try await Task.sleep(for: wait + .milliseconds(5))
                } catch {
                    return
                }
                await stopExpiredIdleInstances(now: .now)
            }
        }
    }

    /// Stops instances the pool no longer uses: in ``run()``, off the caller's path, when the pool runs; else now.
    private func retire(_ instances: [FunctionInstance]) async {
        if isRunning && !isShutDown {
            for instance in instances { retiring.yield(instance) }
        } else {
            await Self.stop(instances)
        }
    }

    private func checkOut(_ configuration: FunctionConfiguration) async throws -> Entry {
        while true {
            guard !isShutDown else { throw RuntimeError.shutDown }
            while var entries = idle[configuration], let entry = entries.popLast() {
                idle[configuration] = entries
                if entry.instance.isHealthy && entry.generation == generation(configuration) {
                    busy[ObjectIdentifier(entry.instance)] = entry.instance
                    return entry
                }
                countLive(configuration, -1)
                await retire([entry.instance])
            }
            // Idle instances of the function's previous configurations will not be used again: they make room.
            await retireIdle(ofOtherConfigurationsThan: configuration)
            if liveByName[configuration.instanceGroup, default: 0] < maxInstancesPerFunction {
                countLive(configuration, 1)
                let generation = generation(configuration)
                do {
                    let instance = try await FunctionInstance.start(configuration, logSink: logSink, logger: logger)
                    if isShutDown {
                        await instance.shutdown()
                        throw RuntimeError.shutDown
                    }
                    busy[ObjectIdentifier(instance)] = instance
                    return Entry(instance: instance, generation: generation)
                } catch {
                    if !isShutDown {
                        countLive(configuration, -1)
                        wakeOne(configuration)
                    }
                    throw error
                }
            }
            await withCheckedContinuation { continuation in
                waiters[configuration.instanceGroup, default: []].append(continuation)
            }
        }
    }

    private func checkIn(_ entry: Entry, _ configuration: FunctionConfiguration) async {
        guard busy.removeValue(forKey: ObjectIdentifier(entry.instance)) != nil else {
            // The pool was shut down meanwhile: the instance is already being stopped.
            return
        }
        if !isShutDown, entry.instance.isHealthy, entry.generation == generation(configuration) {
            var entry = entry
            entry.idleSince = .now
            idle[configuration, default: []].append(entry)
            wakeOne(configuration)
            signalIdle.yield()
            return
        }
        countLive(configuration, -1)
        wakeOne(configuration)
        await retire([entry.instance])
    }

    /// A function has one current configuration: when it changes (new credentials, variables, code), idle instances
    /// of its previous configurations would never be used again, so they stop.
    private func retireIdle(ofOtherConfigurationsThan configuration: FunctionConfiguration) async {
        var stopping: [FunctionInstance] = []
        for (other, entries) in idle where other.instanceGroup == configuration.instanceGroup && other != configuration {
            idle[other] = nil
            countLive(other, -entries.count)
            wakeOne(other)
            stopping += entries.map(\.instance)
        }
        await retire(stopping)
    }

    private func generation(_ configuration: FunctionConfiguration) -> Int {
        generations[configuration.instanceGroup, default: 0]
    }

    private func countLive(_ configuration: FunctionConfiguration, _ delta: Int) {
        live[configuration, default: 0] += delta
        liveByName[configuration.instanceGroup, default: 0] += delta
    }

    /// Wakes the first caller waiting for an instance of this function (it looks again for an idle one or room).
    private func wakeOne(_ configuration: FunctionConfiguration) {
        guard var queue = waiters[configuration.instanceGroup], !queue.isEmpty else { return }
        let continuation = queue.removeFirst()
        waiters[configuration.instanceGroup] = queue
        continuation.resume()
    }

    private static func stop(_ instances: [FunctionInstance]) async {
        await withTaskGroup(of: Void.self) { group in
            for instance in instances { group.addTask { await instance.shutdown() } }
        }
    }
}

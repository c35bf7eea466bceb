import Foundation
import Logging

/// Warm instances per function configuration: an idle healthy instance is reused, a new one is started when all
/// are busy (up to `maxInstancesPerFunction` per function (its instance group), across its configurations; then callers wait),
/// unhealthy ones are dropped.
///
/// With an `idleTimeout`, an instance left idle that long is stopped by a background sweep. The sweep runs only
/// while some instance is idle, holds the pool weakly, and ends at ``shutdown()``.
public actor InstancePool {
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
    private var sweeper: Task<Void, Never>?
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
        generations[group, default: 0] += 1
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
        sweeper?.cancel()
        sweeper = nil
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

    /// True while the idle sweep is scheduled.
    var isSweeping: Bool { sweeper != nil }

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

    /// One pass of the background sweep; ends the sweep (atomically with the check) when nothing is idle.
    private func sweepOnTimer() async -> Duration? {
        await stopExpiredIdleInstances(now: .now)
        // Re-checked after the await: an instance that became idle meanwhile keeps the sweep alive.
        guard !isShutDown, let next = nextIdleExpiry(now: .now) else {
            sweeper = nil
            return nil
        }
        return next
    }

    /// Starts the background sweep when there is a timeout and none is running.
    private func scheduleSweep() {
        guard let idleTimeout, sweeper == nil, !isShutDown else { return }
        sweeper = Task { [weak self] in
            var wait = idleTimeout
            while true {
                do {
                    // A little past the expiry, so that one pass finds the instance expired.
                    try await Task.sleep(for: wait + .milliseconds(5))
                } catch {
                    return
                }
                guard let self, let next = await self.sweepOnTimer() else { return }
                wait = next
            }
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
                Task { await entry.instance.shutdown() }
            }
            // Idle instances of the function's previous configurations will not be used again: they make room.
            retireIdle(ofOtherConfigurationsThan: configuration)
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
            scheduleSweep()
            return
        }
        countLive(configuration, -1)
        wakeOne(configuration)
        await entry.instance.shutdown()
    }

    /// A function has one current configuration: when it changes (new credentials, variables, code), idle instances
    /// of its previous configurations would never be used again, so they stop.
    private func retireIdle(ofOtherConfigurationsThan configuration: FunctionConfiguration) {
        for (other, entries) in idle where other.instanceGroup == configuration.instanceGroup && other != configuration {
            idle[other] = nil
            countLive(other, -entries.count)
            wakeOne(other)
            for entry in entries { Task { await entry.instance.shutdown() } }
        }
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

import Logging

/// Warm instances per function configuration: an idle healthy instance is reused, a new one is started when all
/// are busy (up to `maxInstancesPerFunction`, then callers wait), unhealthy ones are dropped.
public actor InstancePool {
    private struct Entry {
        var instance: FunctionInstance
        var generation: Int
    }

    private let logSink: any LogSink
    private let logger: Logger
    private let maxInstancesPerFunction: Int
    private var idle: [FunctionConfiguration: [Entry]] = [:]
    private var live: [FunctionConfiguration: Int] = [:]
    private var busy: [ObjectIdentifier: FunctionInstance] = [:]
    private var generations: [String: Int] = [:]
    private var waiters: [FunctionConfiguration: [CheckedContinuation<Void, Never>]] = [:]
    private var isShutDown = false

    /// Creates an empty pool.
    public init(logSink: any LogSink, logger: Logger, maxInstancesPerFunction: Int = 10) {
        self.logSink = logSink
        self.logger = logger
        self.maxInstancesPerFunction = max(1, maxInstancesPerFunction)
    }

    /// Runs one invocation on a warm or new instance of `configuration`.
    /// - Throws: ``RuntimeError`` when no instance can be started, or the pool is shut down.
    public func invoke(
        _ configuration: FunctionConfiguration, _ request: InvocationRequest
    ) async throws -> InvocationResult {
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
        let entry = try await checkOut(configuration)
        await checkIn(entry, configuration)
    }

    /// Hot reload: idle instances of the function stop now, busy ones when they finish; new requests get fresh ones.
    public func invalidate(functionNamed name: String) async {
        generations[name, default: 0] += 1
        var stopping: [FunctionInstance] = []
        for (configuration, entries) in idle where configuration.name == name {
            stopping += entries.map(\.instance)
            idle[configuration] = []
            live[configuration, default: 0] -= entries.count
            wakeOne(configuration)
        }
        await Self.stop(stopping)
    }

    /// Stops every instance and refuses further invocations.
    public func shutdown() async {
        isShutDown = true
        let all = idle.values.flatMap { $0.map(\.instance) } + Array(busy.values)
        idle = [:]
        live = [:]
        busy = [:]
        for continuation in waiters.values.flatMap({ $0 }) { continuation.resume() }
        waiters = [:]
        await Self.stop(all)
    }

    /// The number of instances (idle and busy) of `configuration`.
    public func instanceCount(_ configuration: FunctionConfiguration) -> Int {
        live[configuration, default: 0]
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
                live[configuration, default: 0] -= 1
                Task { await entry.instance.shutdown() }
            }
            if live[configuration, default: 0] < maxInstancesPerFunction {
                live[configuration, default: 0] += 1
                retireIdle(ofOtherConfigurationsThan: configuration)
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
                    live[configuration, default: 0] -= 1
                    wakeOne(configuration)
                    throw error
                }
            }
            await withCheckedContinuation { continuation in
                waiters[configuration, default: []].append(continuation)
            }
        }
    }

    private func checkIn(_ entry: Entry, _ configuration: FunctionConfiguration) async {
        guard busy.removeValue(forKey: ObjectIdentifier(entry.instance)) != nil else {
            // The pool was shut down meanwhile: the instance is already being stopped.
            return
        }
        if !isShutDown, entry.instance.isHealthy, entry.generation == generation(configuration) {
            idle[configuration, default: []].append(entry)
            wakeOne(configuration)
            return
        }
        live[configuration, default: 0] -= 1
        wakeOne(configuration)
        await entry.instance.shutdown()
    }

    /// A function has one current configuration: when it changes (new credentials, variables, code), idle instances
    /// of its previous configurations would never be used again, so they stop.
    private func retireIdle(ofOtherConfigurationsThan configuration: FunctionConfiguration) {
        for (other, entries) in idle where other.name == configuration.name && other != configuration {
            idle[other] = nil
            live[other, default: 0] -= entries.count
            wakeOne(other)
            for entry in entries { Task { await entry.instance.shutdown() } }
        }
    }

    private func generation(_ configuration: FunctionConfiguration) -> Int {
        generations[configuration.name, default: 0]
    }

    private func wakeOne(_ configuration: FunctionConfiguration) {
        guard var queue = waiters[configuration], !queue.isEmpty else { return }
        let continuation = queue.removeFirst()
        waiters[configuration] = queue
        continuation.resume()
    }

    private static func stop(_ instances: [FunctionInstance]) async {
        await withTaskGroup(of: Void.self) { group in
            for instance in instances { group.addTask { await instance.shutdown() } }
        }
    }
}

import Foundation
import TestSupport
import Testing

@testable import LambdaRuntime

/// The pool's lifecycle with real processes: idle timeout, prewarm, waiting at the limit, replacement of unhealthy
/// instances, shutdown.
@Suite(.timeLimit(.minutes(2)))
struct InstancePoolLifecycleTests {
    /// A function that answers with its own pid (also left in `$LAMBDA_TASK_ROOT/pid.$$`) after `delay` seconds.
    func pidFunction(delay: String = "0") throws -> URL {
        try makeProvidedFunction(
            """
            printf '%s' "$$" > "$LAMBDA_TASK_ROOT/pid.$$"
            while true; do next; sleep \(delay); printf '%s' "$$" > "$TMP/pid"; respond "$TMP/pid"; done
            """)
    }

    /// The pids the function's instances wrote into `code`.
    func startedPids(_ code: URL) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: code.path)) ?? []
        return names.filter { $0.hasPrefix("pid.") }.compactMap { Int32($0.dropFirst(4)) }.sorted()
    }

    /// Waits (bounded) until `condition` holds.
    func eventually(_ seconds: Double = 15, _ condition: () async -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }

    /// Runs the pool as its service would run in a server (the idle sweep, stopping retired instances).
    func running(_ pool: InstancePool) -> Task<Void, any Error> {
        Task { try await pool.run() }
    }

    @Test func idleInstanceIsStoppedWhenTheClockPassesTheTimeout() async throws {
        let pool = InstancePool(
            logSink: DiscardingLogSink(), logger: quietLogger, idleTimeout: .seconds(300))
        let service = running(pool)
        let configuration = makeConfiguration(code: try pidFunction())
        let first = try await pool.invoke(configuration, InvocationRequest(payload: []))
        let pid = try #require(Int32(first.payloadText))
        #expect(try await eventually { await pool.isSweeping })

        // Not yet expired: nothing stops, and the sweep says when to look again.
        let wait = await pool.stopExpiredIdleInstances(now: .now + .seconds(200))
        #expect(wait != nil)
        #expect((wait ?? .zero) <= .seconds(100))
        #expect(processIsAlive(pid))
        #expect(await pool.instanceCount(configuration) == 1)

        // Past the timeout: the instance stops, and the next invocation starts a fresh one.
        let after = await pool.stopExpiredIdleInstances(now: .now + .seconds(301))
        #expect(after == nil)
        #expect(!processIsAlive(pid))
        #expect(await pool.instanceCount(configuration) == 0)
        let second = try await pool.invoke(configuration, InvocationRequest(payload: []))
        #expect(second.payloadText != first.payloadText)
        #expect(second.initDuration != nil)
        service.cancel()  // as a graceful shutdown would: run() stops every instance, then returns
        try await service.value
        #expect(await !pool.isSweeping)
        #expect(!processIsAlive(Int32(second.payloadText) ?? 0))
    }

    @Test func aShortRealIdleTimeoutStopsTheProcessAndTheSweepEnds() async throws {
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger, idleTimeout: .seconds(1))
        let service = running(pool)
        let configuration = makeConfiguration(code: try pidFunction())
        let result = try await pool.invoke(configuration, InvocationRequest(payload: []))
        let pid = try #require(Int32(result.payloadText))
        #expect(try await eventually { !processIsAlive(pid) })
        #expect(await pool.instanceCount(configuration) == 0)
        // With nothing idle the sweep ends by itself, and a later idle instance starts it again.
        #expect(try await eventually { await !pool.isSweeping })
        let again = try await pool.invoke(configuration, InvocationRequest(payload: []))
        #expect(try await eventually { await pool.isSweeping })
        #expect(again.payloadText != result.payloadText)
        // Graceful shutdown of the service (here: its cancellation) stops every instance, then run() returns.
        service.cancel()
        try await service.value
        #expect(await !pool.isSweeping)
        #expect(!processIsAlive(Int32(again.payloadText) ?? 0))
    }

    /// In a running pool, the idle instance of a function's previous configuration is stopped by the pool's
    /// service, not by the request that made it obsolete, and nothing is left after shutdown.
    @Test func aRunningPoolStopsRetiredInstancesInItsService() async throws {
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger, idleTimeout: .seconds(60))
        let service = running(pool)
        let code = try pidFunction()
        let old = try await pool.invoke(makeConfiguration(code: code), InvocationRequest(payload: []))
        let oldPid = try #require(Int32(old.payloadText))
        let renewed = makeConfiguration(code: code, environment: ["GENERATION": "2"])
        let new = try await pool.invoke(renewed, InvocationRequest(payload: []))
        #expect(new.payloadText != old.payloadText)
        #expect(try await eventually { !processIsAlive(oldPid) })
        #expect(await pool.instanceCount(renewed) == 1)
        service.cancel()
        try await service.value
        #expect(!processIsAlive(Int32(new.payloadText) ?? 0))
    }

    @Test func aBusyInstanceIsNotStoppedForIdleness() async throws {
        // Sleeps as many seconds as the event says.
        let code = try makeProvidedFunction(
            """
            while true; do next; sleep "$(cat "$EVENT")"; printf '%s' "$$" > "$TMP/pid"; respond "$TMP/pid"; done
            """)
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger, idleTimeout: .seconds(1))
        let service = running(pool)
        let configuration = makeConfiguration(code: code)
        let quick = try await pool.invoke(configuration, InvocationRequest(payload: Array("0".utf8)))
        #expect(try await eventually { await pool.isSweeping })
        // The sweep comes due while this invocation runs on the same instance: the instance is busy, so it stays.
        let slow = try await pool.invoke(configuration, InvocationRequest(payload: Array("2".utf8)))
        #expect(slow.errorType == nil, "\(slow.payloadText)")
        #expect(slow.payloadText == quick.payloadText)
        // Idle again, it goes after the timeout.
        let pid = try #require(Int32(slow.payloadText))
        #expect(try await eventually { !processIsAlive(pid) })
        service.cancel()  // as a graceful shutdown would: run() stops every instance, then returns
        try await service.value
    }

    @Test func directorySpellingsWithAndWithoutATrailingSlashShareInstances() async throws {
        let code = try pidFunction()
        var before = makeConfiguration(code: code)
        // What `appendingPathComponent` gives before the cache folder exists, and after.
        before.cacheDirectory = URL(fileURLWithPath: code.path + "/cache", isDirectory: false)
        var after = before
        after.cacheDirectory = URL(fileURLWithPath: code.path + "/cache", isDirectory: true)
        after.codeDirectory = URL(fileURLWithPath: code.path, isDirectory: true)
        #expect(before != after)
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger)
        try await pool.prewarm(before)
        let result = try await pool.invoke(after, InvocationRequest(payload: []))
        #expect(await pool.instanceCount(before) == 1)
        #expect(try await eventually { startedPids(code).count == 1 })
        #expect(startedPids(code) == [Int32(result.payloadText) ?? -1])
        await pool.shutdown()
    }

    @Test func prewarmStartsAnIdleInstanceThatTheFirstInvocationUses() async throws {
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger)
        let code = try pidFunction()
        let configuration = makeConfiguration(code: code)
        try await pool.prewarm(configuration)
        #expect(await pool.instanceCount(configuration) == 1)
        #expect(try await eventually { startedPids(code).count == 1 })
        let result = try await pool.invoke(configuration, InvocationRequest(payload: []))
        #expect(startedPids(code) == [Int32(result.payloadText) ?? -1])
        #expect(await pool.instanceCount(configuration) == 1)
        await pool.shutdown()
        #expect(!processIsAlive(Int32(result.payloadText) ?? 0))
    }

    @Test func callersBeyondTheLimitWaitAndAllAreServed() async throws {
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger, maxInstancesPerFunction: 2)
        let code = try pidFunction(delay: "0.3")
        let configuration = makeConfiguration(code: code)
        let results = try await withThrowingTaskGroup(of: InvocationResult.self) { group in
            for _ in 0..<5 {
                group.addTask { try await pool.invoke(configuration, InvocationRequest(payload: [])) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 5)
        #expect(results.allSatisfy { $0.errorType == nil })
        #expect(Set(results.map(\.payloadText)).count == 2)
        #expect(startedPids(code).count == 2)
        #expect(await pool.instanceCount(configuration) == 2)
        await pool.shutdown()
        for pid in startedPids(code) { #expect(!processIsAlive(pid)) }
    }

    @Test func theLimitHoldsAcrossAFunctionsConfigurations() async throws {
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger, maxInstancesPerFunction: 1)
        let code = try pidFunction(delay: "1")
        let old = makeConfiguration(code: code, environment: ["VERSION": "1"])
        var new = old
        new.environment["VERSION"] = "2"
        let first = Task { try await pool.invoke(old, InvocationRequest(payload: [])) }
        #expect(try await eventually { startedPids(code).count == 1 })
        // Renewed credentials or variables make a new configuration of the same function: it waits for the old
        // instance instead of starting a second one, then retires it and starts its own.
        let second = Task { try await pool.invoke(new, InvocationRequest(payload: [])) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(startedPids(code).count == 1)
        let (a, b) = try await (first.value, second.value)
        #expect(a.errorType == nil && b.errorType == nil)
        #expect(a.payloadText != b.payloadText)
        #expect(await pool.instanceCount(old) == 0)
        #expect(await pool.instanceCount(new) == 1)
        #expect(try await eventually { !processIsAlive(Int32(a.payloadText) ?? 0) })
        await pool.shutdown()
        #expect(!processIsAlive(Int32(b.payloadText) ?? 0))
    }

    @Test func aTimedOutInstanceIsKilledAndReplaced() async throws {
        let code = try makeProvidedFunction(
            """
            printf '%s' "$$" > "$LAMBDA_TASK_ROOT/pid.$$"
            while true; do
                next
                if [ ! -f "$LAMBDA_TASK_ROOT/hung" ]; then touch "$LAMBDA_TASK_ROOT/hung"; sleep 60; fi
                printf '%s' "$$" > "$TMP/pid"; respond "$TMP/pid"
            done
            """)
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger)
        let configuration = makeConfiguration(code: code, timeout: .seconds(1))
        let hung = try await pool.invoke(configuration, InvocationRequest(payload: []))
        #expect(hung.errorType == "Sandbox.Timedout")
        let hungPid = try #require(startedPids(code).first)
        #expect(try await eventually { !processIsAlive(hungPid) })
        let next = try await pool.invoke(configuration, InvocationRequest(payload: []))
        #expect(next.errorType == nil)
        let nextPid = try #require(Int32(next.payloadText))
        #expect(nextPid != hungPid)
        #expect(await pool.instanceCount(configuration) == 1)
        await pool.shutdown()
        #expect(!processIsAlive(nextPid))
    }

    @Test func shutdownStopsBusyInstancesAndReleasesWaitingCallers() async throws {
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger, maxInstancesPerFunction: 1)
        let code = try pidFunction(delay: "30")
        let configuration = makeConfiguration(code: code, timeout: .seconds(60))
        let running = Task { try await pool.invoke(configuration, InvocationRequest(payload: [])) }
        let waiting = Task { try await pool.invoke(configuration, InvocationRequest(payload: [])) }
        #expect(try await eventually { startedPids(code).count == 1 })
        let pid = try #require(startedPids(code).first)
        await pool.shutdown()
        await #expect(throws: RuntimeError.shutDown) { try await running.value }
        await #expect(throws: RuntimeError.shutDown) { try await waiting.value }
        #expect(!processIsAlive(pid))
        #expect(startedPids(code).count == 1)
        await #expect(throws: RuntimeError.shutDown) { try await pool.prewarm(configuration) }
    }
}

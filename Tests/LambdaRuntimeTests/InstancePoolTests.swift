import Foundation
import TestSupport
import Testing

@testable import LambdaRuntime

/// Warm reuse, scale-out and invalidation, with real processes.
@Suite(.timeLimit(.minutes(2)))
struct InstancePoolTests {
    /// A function that answers with its own pid, after `delay` seconds.
    func pidFunction(delay: String = "0") throws -> URL {
        try makeProvidedFunction(
            """
            while true; do next; sleep \(delay); printf '%s' "$$" > "$TMP/pid"; respond "$TMP/pid"; done
            """)
    }

    @Test func warmInstanceIsReused() async throws {
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger)
        let configuration = makeConfiguration(code: try pidFunction())
        let first = try await pool.invoke(configuration, InvocationRequest(payload: []))
        let second = try await pool.invoke(configuration, InvocationRequest(payload: []))
        #expect(first.payloadText == second.payloadText)
        #expect(first.initDuration != nil)
        #expect(second.initDuration == nil)
        #expect(await pool.instanceCount(configuration) == 1)
        await pool.shutdown()
        #expect(!processIsAlive(Int32(first.payloadText) ?? 0))
    }

    @Test func concurrentInvokesGetTheirOwnInstances() async throws {
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger)
        let configuration = makeConfiguration(code: try pidFunction(delay: "0.5"))
        async let a = pool.invoke(configuration, InvocationRequest(payload: []))
        async let b = pool.invoke(configuration, InvocationRequest(payload: []))
        let (resultA, resultB) = try await (a, b)
        #expect(resultA.payloadText != resultB.payloadText)
        #expect(await pool.instanceCount(configuration) == 2)
        await pool.shutdown()
        #expect(!processIsAlive(Int32(resultA.payloadText) ?? 0))
        #expect(!processIsAlive(Int32(resultB.payloadText) ?? 0))
    }

    @Test func limitMakesCallersWait() async throws {
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger, maxInstancesPerFunction: 1)
        let configuration = makeConfiguration(code: try pidFunction(delay: "0.2"))
        async let a = pool.invoke(configuration, InvocationRequest(payload: []))
        async let b = pool.invoke(configuration, InvocationRequest(payload: []))
        let (resultA, resultB) = try await (a, b)
        #expect(resultA.payloadText == resultB.payloadText)
        #expect(await pool.instanceCount(configuration) == 1)
        await pool.shutdown()
    }

    @Test func crashedInstanceIsReplaced() async throws {
        let code = try makeProvidedFunction(
            """
            next
            if [ -f "$LAMBDA_TASK_ROOT/crashed" ]; then printf '%s' "$$" > "$TMP/pid"; respond "$TMP/pid"; fi
            touch "$LAMBDA_TASK_ROOT/crashed"
            exit 2
            """)
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger)
        let configuration = makeConfiguration(code: code)
        let crash = try await pool.invoke(configuration, InvocationRequest(payload: []))
        #expect(crash.errorType == "Runtime.ExitError")
        let next = try await pool.invoke(configuration, InvocationRequest(payload: []))
        #expect(next.errorType == nil)
        #expect(Int32(next.payloadText) != nil)
        await pool.shutdown()
    }

    @Test func invalidateStartsFreshInstances() async throws {
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger)
        let configuration = makeConfiguration(code: try pidFunction())
        let before = try await pool.invoke(configuration, InvocationRequest(payload: []))
        await pool.invalidate(instanceGroup: configuration.instanceGroup)
        #expect(!processIsAlive(Int32(before.payloadText) ?? 0))
        let after = try await pool.invoke(configuration, InvocationRequest(payload: []))
        #expect(before.payloadText != after.payloadText)
        #expect(after.initDuration != nil)
        await pool.shutdown()
        await #expect(throws: RuntimeError.shutDown) {
            try await pool.invoke(configuration, InvocationRequest(payload: []))
        }
    }

    @Test func aChangedConfigurationRetiresIdleInstancesOfTheOldOne() async throws {
        let pool = InstancePool(logSink: DiscardingLogSink(), logger: quietLogger)
        let old = makeConfiguration(code: try pidFunction(), environment: ["VERSION": "1"])
        var new = old
        new.environment["VERSION"] = "2"
        let before = try await pool.invoke(old, InvocationRequest(payload: []))
        let after = try await pool.invoke(new, InvocationRequest(payload: []))
        #expect(before.payloadText != after.payloadText)
        #expect(await pool.instanceCount(old) == 0)
        let stale = Int32(before.payloadText) ?? 0
        let deadline = ContinuousClock.now + .seconds(10)
        while processIsAlive(stale), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(!processIsAlive(stale))
        await pool.shutdown()
    }
}

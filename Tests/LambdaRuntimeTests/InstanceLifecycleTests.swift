import Testing

@testable import LambdaRuntime

/// A clock the test moves by hand.
struct ManualClock: Clock {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    var now = Instant(offset: .zero)
    var minimumResolution: Duration { .nanoseconds(1) }
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {}
}

/// The instance lifecycle as a value: every transition and the action it asks for, without a process.
@Suite struct InstanceLifecycleTests {
    typealias Lifecycle = InstanceLifecycle<ManualClock>
    let clock = ManualClock()

    @Test func theFirstInvocationGetsTheInitTimeoutAndLaterOnesTheFunctionsOwn() {
        var lifecycle = Lifecycle(timeout: .seconds(3), initTimeout: .seconds(10))
        #expect(lifecycle.state == .starting)
        #expect(lifecycle.isAvailable)
        let r1 = lifecycle.begin()
        #expect(r1 == .run(waitForNext: .seconds(10), isFirst: true))
        #expect(lifecycle.state == .busy)
        #expect(!lifecycle.isAvailable)
        let r2 = lifecycle.begin()
        #expect(r2 == .busy, "one invocation at a time")
        let r3 = lifecycle.end(.answered, at: clock.now)
        #expect(r3 == .none)
        #expect(lifecycle.state == .idle(since: clock.now))
        let r4 = lifecycle.begin()
        #expect(r4 == .run(waitForNext: .seconds(3), isFirst: false))
        #expect(lifecycle.invocations == 2)
        // A function whose timeout is longer than 10 s gets it for init too.
        var slow = Lifecycle(timeout: .seconds(30), initTimeout: .seconds(10))
        let r5 = slow.begin()
        #expect(r5 == .run(waitForNext: .seconds(30), isFirst: true))
    }

    @Test func anInstanceIsIdleFromTheEndOfItsLastInvocation() {
        var clock = self.clock
        var lifecycle = Lifecycle(timeout: .seconds(3), initTimeout: .seconds(10))
        _ = lifecycle.begin()
        clock.now = clock.now.advanced(by: .seconds(2))
        _ = lifecycle.end(.answered, at: clock.now)
        #expect(lifecycle.state == .idle(since: ManualClock.Instant(offset: .seconds(2))))
    }

    @Test(arguments: [
        (Lifecycle.Ending.initFailed, Lifecycle.ProcessAction.terminate, Lifecycle.StopReason.initFailed),
        (.timedOut, .kill, .timedOut),
        (.exited, .none, .exited),
        (.shutDown, .none, .shutDown),
    ])
    func aFaultStopsTheInstanceWithTheRightAction(
        ending: Lifecycle.Ending, action: Lifecycle.ProcessAction, reason: Lifecycle.StopReason
    ) {
        var lifecycle = Lifecycle(timeout: .seconds(3), initTimeout: .seconds(10))
        _ = lifecycle.begin()
        let r6 = lifecycle.end(ending, at: clock.now)
        #expect(r6 == action)
        #expect(lifecycle.state == .stopped(reason))
        #expect(!lifecycle.isAvailable)
        let r7 = lifecycle.begin()
        #expect(r7 == .stopped)
        // Ending again (a late answer) changes nothing.
        let r8 = lifecycle.end(.answered, at: clock.now)
        #expect(r8 == .none)
        #expect(lifecycle.state == .stopped(reason))
    }

    @Test func retiringAnIdleInstanceStopsItAndABusyOneDrainsFirst() {
        var idle = Lifecycle(timeout: .seconds(3), initTimeout: .seconds(10))
        _ = idle.begin()
        _ = idle.end(.answered, at: clock.now)
        let r9 = idle.retire()
        #expect(r9 == .terminate)
        #expect(idle.state == .stopped(.retired))
        let r10 = idle.retire()
        #expect(r10 == .none, "once")

        var busy = Lifecycle(timeout: .seconds(3), initTimeout: .seconds(10))
        _ = busy.begin()
        let r11 = busy.retire()
        #expect(r11 == .none)
        #expect(busy.state == .draining)
        let r12 = busy.begin()
        #expect(r12 == .busy)
        // Its invocation ends normally, and the answer goes out; then the owner stops it.
        let r13 = busy.end(.answered, at: clock.now)
        #expect(r13 == .none)
        #expect(busy.state == .stopped(.retired))
        #expect(!busy.isAvailable)

        // A draining instance that times out is still killed.
        var draining = Lifecycle(timeout: .seconds(3), initTimeout: .seconds(10))
        _ = draining.begin()
        _ = draining.retire()
        let r14 = draining.end(.timedOut, at: clock.now)
        #expect(r14 == .kill)
    }

    @Test func shutdownHappensOnceAndAlsoCleansUpAStoppedInstance() {
        var lifecycle = Lifecycle(timeout: .seconds(3), initTimeout: .seconds(10))
        _ = lifecycle.begin()
        _ = lifecycle.end(.timedOut, at: clock.now)
        let r15 = lifecycle.shutDown()
        #expect(r15, "a timed-out instance still has an endpoint and perhaps grandchildren")
        #expect(lifecycle.state == .stopped(.timedOut), "the reason it stopped is kept")
        let r16 = lifecycle.shutDown()
        #expect(!r16)

        var running = Lifecycle(timeout: .seconds(3), initTimeout: .seconds(10))
        _ = running.begin()
        let r17 = running.shutDown()
        #expect(r17)
        #expect(running.state == .stopped(.shutDown))
        let r18 = running.end(.shutDown, at: clock.now)
        #expect(r18 == .none)
        let r19 = running.begin()
        #expect(r19 == .stopped)
    }

    @Test func aProcessThatExitsWhileIdleStopsTheInstance() {
        var lifecycle = Lifecycle(timeout: .seconds(3), initTimeout: .seconds(10))
        _ = lifecycle.begin()
        _ = lifecycle.end(.answered, at: clock.now)
        lifecycle.processExited()
        #expect(lifecycle.state == .stopped(.exited))
        let r20 = lifecycle.begin()
        #expect(r20 == .stopped)
    }
}

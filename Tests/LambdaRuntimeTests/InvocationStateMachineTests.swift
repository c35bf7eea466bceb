import ProcessLauncher
import Testing

@testable import LambdaRuntime

struct InvocationStateMachineTests {
    typealias Machine = InvocationStateMachine

    func invocation(_ id: String) -> Machine.Invocation {
        Machine.Invocation(request: InvocationRequest(payload: [], requestID: id))
    }

    @Test func submitBeforeNextQueuesThenDelivers() {
        var machine = Machine()
        #expect(machine.submit(invocation("a")) == .wait)
        let (action, first) = machine.nextRequested()
        #expect(action == .deliver(invocation("a")))
        #expect(first)
        let (reply, completion) = machine.responsePosted(requestID: "a", body: .bytes([1]))
        #expect(reply == .accepted)
        #expect(completion == Machine.Completion(requestID: "a", outcome: .response([1])))
        #expect(machine.phase == .idle)
        #expect(machine.isHealthy)
    }

    @Test func parkedNextGetsTheNextSubmission() {
        var machine = Machine()
        #expect(machine.nextRequested().action == .park)
        #expect(machine.submit(invocation("a")) == .deliver(invocation("a")))
        #expect(machine.submit(invocation("b")) == .busy)
        #expect(machine.nextRequested().becameInitialized == false)
    }

    @Test func unknownAndRepeatedAnswersAreRejected() {
        var machine = Machine()
        _ = machine.nextRequested()
        _ = machine.submit(invocation("a"))
        #expect(machine.responsePosted(requestID: "zzz", body: .bytes([])).reply == .invalidRequestID)
        #expect(machine.responsePosted(requestID: "a", body: .bytes([])).reply == .accepted)
        let repeated = machine.responsePosted(requestID: "a", body: .bytes([]))
        #expect(repeated.reply.status == 403)
        #expect(repeated.completion == nil)
        #expect(machine.errorPosted(requestID: "a", errorType: nil, body: .bytes([])).reply.status == 403)
    }

    @Test func oversizedResponseFailsTheInvocationWith413() {
        var machine = Machine()
        _ = machine.nextRequested()
        _ = machine.submit(invocation("a"))
        let (reply, completion) = machine.responsePosted(requestID: "a", body: .tooLarge(size: 6_291_557))
        #expect(reply == .payloadTooLarge)
        #expect(completion?.outcome == .responseTooLarge(size: 6_291_557))
    }

    @Test func initErrorFailsTheQueuedInvocationAndLaterOnes() {
        var machine = Machine()
        _ = machine.submit(invocation("a"))
        let (reply, completion) = machine.initErrorPosted(errorType: "Runtime.ImportModuleError", body: [7])
        #expect(reply == .accepted)
        #expect(completion?.outcome == .initError(errorType: "Runtime.ImportModuleError", body: [7]))
        #expect(!machine.isHealthy)
        #expect(machine.processExited(.exited(1)) == nil)
        #expect(machine.submit(invocation("b")) == .fail(.initError(errorType: "Runtime.ImportModuleError", body: [7])))
    }

    @Test func initErrorAfterNextIsAStateError() {
        var machine = Machine()
        _ = machine.nextRequested()
        #expect(machine.initErrorPosted(errorType: nil, body: []).reply.status == 403)
    }

    @Test func exitDuringAnInvocationFailsIt() {
        var machine = Machine()
        _ = machine.nextRequested()
        _ = machine.submit(invocation("a"))
        #expect(machine.processExited(.exited(1))?.outcome == .exited(.exited(1)))
        #expect(machine.submit(invocation("b")) == .fail(.exited(.exited(1))))
        #expect(machine.nextRequested().action == .reject(.internalError))
    }

    @Test func timeoutOnlyEndsTheMatchingInvocation() {
        var machine = Machine()
        _ = machine.nextRequested()
        _ = machine.submit(invocation("a"))
        #expect(machine.timedOut(requestID: "old") == nil)
        #expect(machine.timedOut(requestID: "a")?.outcome == .timedOut)
        #expect(!machine.isHealthy)
    }

    @Test(arguments: [
        (ProcessExit.exited(1), "Runtime exited with error: exit status 1"),
        (.exited(0), "Runtime exited without providing a reason"),
        (.signaled(9), "Runtime exited with error: signal: killed"),
    ])
    func exitWording(exit: ProcessExit, text: String) {
        #expect(exit.lambdaDescription == text)
    }
}

import Foundation
import Testing
import TestSupport

@testable import LambdaRuntime

/// Defects found by probing the process layer, each reproduced.
@Suite(.timeLimit(.minutes(2)))
struct HardeningTests {
    /// A function that writes one 40 MB line (no newline) finishes well inside its timeout: the output pump handles
    /// a long line in time proportional to its length (it used to re-copy and re-scan the partial line on every
    /// read: 9.4 s for 40 MB, past this 8-second timeout).
    @Test func aLongLineWithoutANewlineIsReadInLinearTime() async throws {
        let code = try makeProvidedFunction(
            """
            while true; do
              next
              head -c 40000000 /dev/zero | tr '\\0' 'x' >&2
              echo >&2
              respond "$EVENT"
            done
            """)
        let sink = CollectingLogSink()
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code, timeout: .seconds(8)), logSink: sink, logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let result = try await instance.invoke(InvocationRequest(payload: Array(#"{"n":1}"#.utf8)))
        #expect(result.errorType == nil, "\(result.payloadText)")
        #expect(result.payloadText == #"{"n":1}"#)
        #expect(sink.text.utf8.count >= 40_000_000, "the whole line reached the log")
    }

    /// A warm instance that stops asking for events (it answered, then hangs) times the next caller out after the
    /// function's own timeout, not the 10 s a new instance gets to initialize.
    @Test func aWarmInstanceThatHangsTimesOutAfterTheFunctionsTimeout() async throws {
        let code = try makeProvidedFunction(
            """
            next
            respond "$EVENT"
            sleep 60
            """)
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code, timeout: .seconds(2)), logSink: CollectingLogSink(), logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let first = try await instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(first.errorType == nil)
        let started = ContinuousClock.now
        let second = try await instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        let waited = ContinuousClock.now - started
        #expect(second.errorType == "Sandbox.Timedout", "\(second.payloadText)")
        #expect(waited < .seconds(7), "waited \(waited)")
    }
}

import Foundation
import ProcessLauncher
import Testing

@testable import LambdaRuntime

struct PayloadAndLogLineTests {
    @Test func lambdaShapedErrorBodiesPassThrough() {
        let body = Array(#"{"errorMessage":"boom","errorType":"ValueError","stackTrace":["x"]}"#.utf8)
        let (payload, type) = ErrorPayload.functionError(headerType: "Runtime.Unknown", body: body)
        #expect(payload == body)
        #expect(type == "ValueError")
    }

    @Test func nodeTraceKeyIsAccepted() {
        let body = Array(#"{"errorType":"Error","errorMessage":"boom","trace":["Error: boom"]}"#.utf8)
        let (payload, type) = ErrorPayload.functionError(headerType: nil, body: body)
        #expect(payload == body)
        #expect(type == "Error")
    }

    @Test func otherBodiesAreNormalised() throws {
        let (payload, type) = ErrorPayload.functionError(
            headerType: "Custom.Failure", body: Array("plain \"text\"".utf8))
        #expect(type == "Custom.Failure")
        let object = try #require(jsonObject(payload))
        #expect(object["errorMessage"] as? String == "plain \"text\"")
        #expect(object["errorType"] as? String == "Custom.Failure")
        #expect((object["stackTrace"] as? [Any])?.isEmpty == true)
        #expect(ErrorPayload.functionError(headerType: nil, body: []).errorType == "Unhandled")
    }

    @Test func platformErrorsUseLambdaWording() {
        let exit = ErrorPayload.platform(
            errorType: "Runtime.ExitError", requestID: "r1", message: ProcessExit.exited(1).lambdaDescription)
        #expect(
            String(decoding: exit, as: UTF8.self)
                == #"{"errorType":"Runtime.ExitError","#
                + #""errorMessage":"RequestId: r1 Error: Runtime exited with error: exit status 1"}"#
        )
        #expect(ErrorPayload.timeoutMessage(.seconds(3)) == "Task timed out after 3.00 seconds")
        #expect(
            String(decoding: ErrorPayload.responseTooLarge(size: 7_000_000), as: UTF8.self)
                == #"{"errorMessage":"Response payload size (7000000 bytes) exceeded maximum allowed payload size "#
                + #"(6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}"#
        )
    }

    @Test func reportLineMatchesTheCloudFormat() {
        let cold = InvocationLogLines.report(
            requestID: "r1", duration: .microseconds(12_341), memorySize: 128, maxMemoryUsedMB: 18,
            initDuration: .microseconds(123_450))
        #expect(
            cold
                == "REPORT RequestId: r1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t"
                + "Max Memory Used: 18 MB\tInit Duration: 123.45 ms\t\n")
        let warm = InvocationLogLines.report(
            requestID: "r2", duration: .milliseconds(2), memorySize: 512, maxMemoryUsedMB: 30, initDuration: nil)
        #expect(
            warm
                == "REPORT RequestId: r2\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\t"
                + "Max Memory Used: 30 MB\t\n")
        #expect(InvocationLogLines.start(requestID: "r1") == "START RequestId: r1 Version: $LATEST\n")
        #expect(InvocationLogLines.end(requestID: "r1") == "END RequestId: r1\n")
    }

    @Test(arguments: [
        (0.0, "0.00"), (0.004, "0.00"), (0.006, "0.01"), (1.05, "1.05"), (9.999, "10.00"), (12.3, "12.30"),
        (123_456.789, "123456.79"),
    ])
    func durationsHaveTwoDecimals(value: Double, text: String) {
        #expect(InvocationLogLines.twoDecimals(value) == text)
    }

    @Test func timedOutLineHasATimestampAndTheRequestID() {
        let line = InvocationLogLines.timedOut(
            requestID: "r1", timeout: .seconds(1), at: Date(timeIntervalSince1970: 1_700_000_000.5))
        #expect(line == "2023-11-14T22:13:20.500Z r1 Task timed out after 1.00 seconds\n")
    }
}

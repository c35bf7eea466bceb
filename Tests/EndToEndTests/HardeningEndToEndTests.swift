import Foundation
import Testing
import TestSupport

/// Defects found by probing standin as an unlucky user would, each reproduced end to end.
@Suite("hardening, end to end")
struct HardeningEndToEndTests {
    /// A local STS endpoint that refuses connections (moto not started yet) fails in seconds, not after the whole
    /// 15-30 s deadline of a remote call.
    @Test func aRefusedLocalSTSEndpointFailsQuickly() throws {
        let cli = try StandinCLI()
        let port = freeLoopbackPort()
        let started = Date()
        let result = try cli.run(
            ["whoami"], in: cli.home,
            extra: [
                "AWS_ENDPOINT_URL": "http://127.0.0.1:\(port)", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
            ])
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 3, "\(result.stderrText)")
        #expect(result.stderrText.contains("127.0.0.1:\(port)"), "\(result.stderrText)")
        #expect(elapsed < 12, "gave up after \(elapsed) s")
    }
}

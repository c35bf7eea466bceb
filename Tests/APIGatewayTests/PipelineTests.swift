import Testing

@testable import APIGateway

struct PipelineTests {
    struct Unreachable: Error {}

    final class FailingInvoker: FunctionInvoking {
        func invoke(functionLogicalID: String, payload: [UInt8]) async throws -> FunctionInvocationOutcome {
            throw Unreachable()
        }
    }

    @Test func invocationFailuresAre500WithADiagnostic() async throws {
        let table = try RouteTable(routes: [
            APIRoute(method: "GET", path: "/r", kind: .rest, functionLogicalID: "R"),
            APIRoute(method: "GET", path: "/h", kind: .http, functionLogicalID: "H"),
        ])
        let pipeline = GatewayPipeline(routes: table, invoker: FailingInvoker())
        let rest = await pipeline.handle(APIRequest(method: "GET", target: "/r"))
        #expect(rest.response.status == 500)
        #expect(String(decoding: rest.response.body, as: UTF8.self) == #"{"message":"Internal server error"}"#)
        #expect(rest.diagnostic?.contains("Unreachable") == true)
        #expect(rest.functionLogicalID == "R")
        let http = await pipeline.handle(APIRequest(method: "GET", target: "/h"))
        #expect(http.response.status == 500)
        #expect(String(decoding: http.response.body, as: UTF8.self) == #"{"message":"Internal Server Error"}"#)
    }

    @Test func requestIDsAreVersion4UUIDs() {
        let id = EventContext.makeRequestID()
        let parts = id.split(separator: "-").map(\.count)
        #expect(parts == [8, 4, 4, 4, 12])
        #expect(id[id.index(id.startIndex, offsetBy: 14)] == "4")
        #expect(id != EventContext.makeRequestID())
    }

    @Test func formattedTimeFollowsTheSecond() {
        let first = EventContext(timeEpochMilliseconds: 1_587_481_701_067)
        let second = EventContext(timeEpochMilliseconds: 1_587_481_702_001)
        #expect(first.formattedTime == "21/Apr/2020:15:08:21 +0000")
        #expect(second.formattedTime == "21/Apr/2020:15:08:22 +0000")
        #expect(first.formattedTime == "21/Apr/2020:15:08:21 +0000")
    }
}

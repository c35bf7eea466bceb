import APIGateway
import Foundation
import Hummingbird
import LambdaRuntime
import Logging
import ProjectModel
import ServiceLifecycle
import Synchronization

extension ServerRunner {
    /// `standin bench-floor` (hidden): a bare Hummingbird server that answers every request with `body` as
    /// `application/json`, the bytes start-api sends for a function returning that body. `bench/api-load.py` measures
    /// it as the floor that start-api's overhead is compared with. Runs until SIGINT/SIGTERM.
    public static func benchFloor(host: String, port: Int, body: String) async throws(StandinError) {
        let bytes = ByteBuffer(string: body)
        let responder = CallbackResponder<BasicRequestContext> { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: bytes))
        }
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                printNote("bench-floor: listening on http://\(host):\(channel.localAddress?.port ?? port)")
            },
            logger: Logger(label: "standin.bench-floor"))
        let group = ServiceGroup(
            configuration: .init(
                services: [app], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "standin.bench-floor")))
        do {
            try await group.run()
        } catch {
            throw StandinError(.failure, "bench-floor: \(error)")
        }
    }
}

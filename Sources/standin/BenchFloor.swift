import ArgumentParser
import StandinKit

/// `standin bench-floor`: the floor server of `bench/api-load.py` (hidden from help).
struct BenchFloor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-floor",
        abstract: "Answer every request with the same bytes (the benchmark's floor).",
        shouldDisplay: false)

    @Option(name: .long, help: "The address to bind.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port.")
    var port: Int = 3099

    @Option(name: .long, help: "The JSON body of every response.")
    var body: String = #"{"message":"hello"}"#

    func run() async throws {
        let (host, port, body) = (host, port, body)
        try await runReportingErrors { try await ServerRunner.benchFloor(host: host, port: port, body: body) }
    }
}

import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import LambdaRuntime

/// `--debug-port` launches: the argv of each runtime with and without a debug port, `DEBUGGER_ARGS` as SAM passes it,
/// the debug variables of a `provided` bootstrap, and suspended timeouts.
@Suite(.timeLimit(.minutes(2)))
struct DebugLaunchTests {
    /// Stand-in client files: only their paths matter to a launch plan.
    let clients = RuntimeClientPaths(
        python: URL(fileURLWithPath: "/clients/standin_runtime.py"),
        node: URL(fileURLWithPath: "/clients/standin-runtime.mjs"))

    private func configuration(
        runtime: String, port: Int?, debuggerArguments: String? = nil, hostPath: String = "/usr/local/bin:/usr/bin:/bin"
    ) throws -> FunctionConfiguration {
        let code = try makeTemporaryDirectory("standin-debug")
        try writeFile(code, "bootstrap", "#!/bin/sh\nexit 0\n", executable: true)
        var configuration = makeConfiguration(code: code, runtime: runtime, hostPath: hostPath)
        configuration.debugPort = port
        if let debuggerArguments { configuration.hostEnvironment["DEBUGGER_ARGS"] = debuggerArguments }
        return configuration
    }

    /// A PATH with the venv's `bin` first (its `python3.x`, or `python3` standing in), or nil (skip) without a venv.
    private var venvPath: String? {
        guard let bin = TestPaths.venvBin, TestPaths.venvTool("python3") != nil else { return nil }
        return "\(bin.path):/usr/bin:/bin"
    }

    // MARK: Java and Ruby

    /// `sam local invoke -d N` for Java: the JDWP agent on the loopback port, waiting for the debugger.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/javac")))
    func javaListensForJDWPAndWaits() throws {
        var configuration = try configuration(runtime: "java17", port: 5005)
        configuration.cacheDirectory = try makeTemporaryDirectory("standin-java-client")
        configuration.hostEnvironment["DEBUGGER_ARGS"] = "-Dexample=1"
        let installed = try RuntimeClients.install(in: configuration.cacheDirectory)
        let plan = try LaunchPlan.make(
            configuration, clients: RuntimeClientPaths(python: installed.python, node: installed.node))
        #expect(plan.arguments.contains("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:5005"))
        #expect(plan.arguments.suffix(4) == ["-Dexample=1", "-cp", plan.runtimeDirectory?.path ?? "?", "StandinRuntime"])
        #expect(plan.debug == DebugSetup(address: "127.0.0.1:5005", waitsForDebugger: true))
    }

    @Test func rubyOpensTheDebugGemServerThroughItsClient() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ruby") else { return }
        let plan = try LaunchPlan.make(configuration(runtime: "ruby3.3", port: 1234, hostPath: "/usr/bin:/bin"), clients: clients)
        #expect(plan.arguments == ["--disable-gems", clients.ruby.path])
        #expect(plan.debug == DebugSetup(address: "127.0.0.1:1234", waitsForDebugger: true))
        let environment = FunctionEnvironment.build(
            try configuration(runtime: "ruby3.3", port: 1234), runtimeAPI: "127.0.0.1:9")
        #expect(environment["STANDIN_DEBUG_PORT"] == "1234")
    }

    // MARK: Python

    @Test func pythonWithoutADebugPortRunsTheClientAlone() throws {
        guard let path = venvPath else { return }
        let plan = try LaunchPlan.make(
            configuration(runtime: "python3.11", port: nil, debuggerArguments: "-X dev", hostPath: path),
            clients: clients,
            debugpyProbe: { _, _ in
                Issue.record("debugpy probed without a debug port")
                return true
            })
        #expect(plan.arguments == clients.pythonArguments)
        #expect(plan.debug == nil && plan.debugWarning == nil)
    }

    @Test func pythonWithDebugpyWaitsForAClientOnTheDebugPort() throws {
        guard let path = venvPath else { return }
        let plan = try LaunchPlan.make(
            configuration(runtime: "python3.11", port: 5890, hostPath: path), clients: clients,
            debugpyProbe: { _, _ in true })
        #expect(
            plan.arguments
                == ["-Xfrozen_modules=off", "-m", "debugpy", "--listen", "127.0.0.1:5890", "--wait-for-client"]
                + clients.pythonArguments)
        #expect(plan.debug == DebugSetup(address: "127.0.0.1:5890", waitsForDebugger: true))
        #expect(plan.debugWarning == nil)
    }

    @Test func pythonDebuggerArgumentsGoBeforeDebugpy() throws {
        guard let path = venvPath else { return }
        let plan = try LaunchPlan.make(
            configuration(runtime: "python3.11", port: 5890, debuggerArguments: "-X  dev", hostPath: path),
            clients: clients, debugpyProbe: { _, _ in true })
        #expect(Array(plan.arguments.prefix(4)) == ["-X", "dev", "-Xfrozen_modules=off", "-m"])
    }

    @Test func pythonDebuggerArgumentsThatStartDebugpyAreUsedAsGiven() throws {
        guard let path = venvPath else { return }
        let sam = "-m debugpy --listen 0.0.0.0:5891 --wait-for-client"
        let plan = try LaunchPlan.make(
            configuration(runtime: "python3.11", port: 5890, debuggerArguments: sam, hostPath: path),
            clients: clients, debugpyProbe: { _, _ in Issue.record("debugpy probed"); return false })
        #expect(plan.arguments == sam.split(separator: " ").map(String.init) + clients.pythonArguments)
        #expect(plan.debug == DebugSetup(address: "0.0.0.0:5891", waitsForDebugger: true))
    }

    @Test func pythonDebuggerArgumentsThatRunAnotherModuleAreUsedAsGiven() throws {
        guard let path = venvPath else { return }
        let ptvsd = "-m ptvsd --host 127.0.0.1 --port 5890 --wait"
        let plan = try LaunchPlan.make(
            configuration(runtime: "python3.11", port: 5890, debuggerArguments: ptvsd, hostPath: path),
            clients: clients, debugpyProbe: { _, _ in true })
        #expect(plan.arguments == ptvsd.split(separator: " ").map(String.init) + clients.pythonArguments)
        #expect(plan.debug == DebugSetup(address: "127.0.0.1:5890", waitsForDebugger: true))
    }

    @Test func pythonWithoutDebugpyRunsUndebuggedWithAWarning() throws {
        guard let path = venvPath else { return }
        let plan = try LaunchPlan.make(
            configuration(runtime: "python3.11", port: 5890, hostPath: path), clients: clients,
            debugpyProbe: { _, _ in false })
        #expect(plan.arguments == clients.pythonArguments)
        #expect(plan.debug == nil)
        let warning = try #require(plan.debugWarning)
        #expect(warning.contains("test-fn") && warning.contains("pip install debugpy") && !warning.contains("\n"))
    }

    @Test func debugpyProbeAsksTheInterpreter() throws {
        let code = try makeTemporaryDirectory("standin-debugpy")
        let configuration = makeConfiguration(code: code, runtime: "python3.11")
        let without = try writeFile(code, "python-without", "#!/bin/sh\nexit 3\n", executable: true)
        #expect(!DebugLaunch.hasDebugpy(without.path, configuration))
        guard let python = try TestPaths.requireVenvTool("python3") else { return }
        #expect(DebugLaunch.hasDebugpy(python.path, configuration))
    }

    // MARK: Node.js

    @Test func nodeWithoutADebugPortRunsTheClientAlone() throws {
        guard InterpreterLocator.find("node", path: "/usr/local/bin:/usr/bin:/bin") != nil else { return }
        let plan = try LaunchPlan.make(
            configuration(runtime: "nodejs20.x", port: nil, debuggerArguments: "--no-lazy"), clients: clients)
        #expect(plan.arguments == [clients.node.path])
        #expect(plan.debug == nil)
    }

    @Test func nodeBreaksOnTheFirstLineUntilAnInspectorAttaches() throws {
        guard InterpreterLocator.find("node", path: "/usr/local/bin:/usr/bin:/bin") != nil else { return }
        let plan = try LaunchPlan.make(configuration(runtime: "nodejs20.x", port: 9229), clients: clients)
        #expect(plan.arguments == ["--inspect-brk=127.0.0.1:9229", clients.node.path])
        #expect(plan.debug == DebugSetup(address: "127.0.0.1:9229", waitsForDebugger: true))
    }

    @Test func nodeDebuggerArgumentsGoBeforeTheClient() throws {
        guard InterpreterLocator.find("node", path: "/usr/local/bin:/usr/bin:/bin") != nil else { return }
        let plan = try LaunchPlan.make(
            configuration(runtime: "nodejs20.x", port: 9229, debuggerArguments: "--no-lazy --expose-gc"),
            clients: clients)
        #expect(plan.arguments == ["--inspect-brk=127.0.0.1:9229", "--no-lazy", "--expose-gc", clients.node.path])
    }

    // MARK: provided

    @Test(arguments: [nil, 7000] as [Int?])
    func providedRunsItsBootstrapAsIs(port: Int?) throws {
        let configuration = try configuration(runtime: "provided.al2023", port: port, debuggerArguments: "--x")
        let plan = try LaunchPlan.make(configuration, clients: clients)
        #expect(plan.executable == configuration.codeDirectory.appendingPathComponent("bootstrap").path)
        #expect(plan.arguments == [])
        #expect(plan.debug == port.map { DebugSetup(address: "127.0.0.1:\($0)", waitsForDebugger: false) })
    }

    @Test func debugVariablesReachTheFunctionOnlyWithADebugPort() throws {
        let plain = FunctionEnvironment.build(
            try configuration(runtime: "provided.al2023", port: nil, debuggerArguments: "-x"), runtimeAPI: "a:1")
        #expect(plain["STANDIN_DEBUG_PORT"] == nil && plain["DEBUGGER_ARGS"] == nil)
        let provided = FunctionEnvironment.build(
            try configuration(runtime: "provided.al2023", port: 7000, debuggerArguments: "--wait 1"), runtimeAPI: "a:1")
        #expect(provided["STANDIN_DEBUG_PORT"] == "7000")
        #expect(provided["DEBUGGER_ARGS"] == "--wait 1")
        let python = FunctionEnvironment.build(
            try configuration(runtime: "python3.12", port: 5890, debuggerArguments: "-X dev"), runtimeAPI: "a:1")
        #expect(python["STANDIN_DEBUG_PORT"] == "5890")
        #expect(python["DEBUGGER_ARGS"] == nil)
    }

    // MARK: Timeouts

    @Test func timeoutIsSuspendedAndTheDeadlineFarAway() async throws {
        let code = try makeProvidedFunction(
            """
            next
            sleep 2
            DEADLINE=$(grep -i '^Lambda-Runtime-Deadline-Ms:' "$TMP/headers" | cut -d: -f2 | tr -d ' \\r')
            printf '{"deadline":%s,"port":"%s","args":"%s"}' "$DEADLINE" "$STANDIN_DEBUG_PORT" "$DEBUGGER_ARGS" \\
                > "$TMP/out"
            respond "$TMP/out"
            next
            """)
        var configuration = makeConfiguration(code: code, timeout: .seconds(1))
        configuration.debugPort = 7001
        configuration.hostEnvironment["DEBUGGER_ARGS"] = "--attach me"
        let logs = RecordingLogger(level: .warning)
        let instance = try await FunctionInstance.start(
            configuration, logSink: DiscardingLogSink(), logger: logs.logger)
        defer { Task { await instance.shutdown() } }
        // Shown even though the logger's level is `warning`; a bootstrap decides itself whether it waits.
        #expect(logs.messages == ["debugging test-fn on 127.0.0.1:7001: timeout suspended"])
        let result = try await instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(result.errorType == nil, "\(result.payloadText) \(result.logText)")
        let object = try #require(jsonObject(result.payload), "\(result.payloadText)")
        #expect(object["port"] as? String == "7001")
        #expect(object["args"] as? String == "--attach me")
        let deadline = try #require(object["deadline"] as? Double)
        #expect(deadline > (Date().timeIntervalSince1970 + 24 * 3600) * 1000)
    }

    @Test func aSecondInstanceRunsUndebuggedWhileTheFirstHoldsThePort() async throws {
        let code = try makeProvidedFunction(
            """
            while true; do
                next
                printf '{"port":"%s"}' "${STANDIN_DEBUG_PORT:-}" > "$TMP/out"
                respond "$TMP/out"
            done
            """)
        var configuration = makeConfiguration(code: code)
        configuration.debugPort = 7102
        let logs = RecordingLogger()
        let first = try await FunctionInstance.start(configuration, logSink: DiscardingLogSink(), logger: logs.logger)
        let second = try await FunctionInstance.start(configuration, logSink: DiscardingLogSink(), logger: logs.logger)
        func port(_ instance: FunctionInstance) async throws -> String? {
            let result = try await instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
            return jsonObject(result.payload)?["port"] as? String
        }
        #expect(try await port(first) == "7102")
        #expect(try await port(second) == "")
        #expect(logs.messages.contains { $0.contains("another instance holds debug port 127.0.0.1:7102") })
        await first.shutdown()
        let third = try await FunctionInstance.start(configuration, logSink: DiscardingLogSink(), logger: logs.logger)
        #expect(try await port(third) == "7102")
        await second.shutdown()
        await third.shutdown()
    }

    @Test func withoutADebugPortTheTimeoutStillApplies() async throws {
        let code = try makeProvidedFunction(
            """
            next
            sleep 3
            echo '{}' > "$TMP/out"
            respond "$TMP/out"
            """)
        let configuration = makeConfiguration(code: code, timeout: .seconds(1))
        let instance = try await FunctionInstance.start(
            configuration, logSink: DiscardingLogSink(), logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let result = try await instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(result.errorType == "Sandbox.Timedout")
    }
}

/// A logger that keeps the messages logged through it at `level` and above.
final class RecordingLogger: Sendable {
    private let store = Mutex<[String]>([])
    private let level: Logger.Level

    init(level: Logger.Level = .trace) {
        self.level = level
    }

    var messages: [String] { store.withLock { $0 } }

    var logger: Logger {
        Logger(label: "debug-test") { [level] _ in
            Handler(record: { message in self.store.withLock { $0.append(message) } }, logLevel: level)
        }
    }

    private struct Handler: LogHandler {
        let record: @Sendable (String) -> Void
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) { record("\(event.message)") }
    }
}

import Foundation
import ProcessLauncher
import Synchronization

/// How an instance started with a debug port (`--debug-port`) is debugged.
struct DebugSetup: Sendable, Equatable {
    /// Where a debugger attaches, e.g. `127.0.0.1:5858`.
    var address: String
    /// True when the runtime stops before the function's code runs until a debugger attaches (Node.js
    /// `--inspect-brk`, debugpy `--wait-for-client`).
    var waitsForDebugger: Bool
}

/// The debug flavour of each runtime's launch, matching `sam local invoke --debug-port` where SAM has one.
///
/// SAM puts its `--debug-args` (environment variable `DEBUGGER_ARGS`), split at spaces, between the interpreter and
/// the runtime client: `python3.x <args> bootstrap.py`, `node <args> ... index.mjs`. standin does the same, and
/// adds the debugger itself: `python -Xfrozen_modules=off -m debugpy --listen 127.0.0.1:N --wait-for-client`
/// (unless `DEBUGGER_ARGS` already runs a module such as debugpy, as SAM users write it) and
/// `node --inspect-brk=127.0.0.1:N`.
/// A `provided` bootstrap gets `STANDIN_DEBUG_PORT` and `DEBUGGER_ARGS` in its environment
/// (``FunctionEnvironment``) and starts its own debug server.
enum DebugLaunch {
    /// What decides whether an interpreter can import debugpy: the interpreter and the function's configuration.
    typealias DebugpyProbe = @Sendable (_ python: String, _ configuration: FunctionConfiguration) -> Bool

    /// `DEBUGGER_ARGS` of standin's environment, split at spaces as SAM splits it (empty pieces dropped).
    static func debuggerArguments(_ configuration: FunctionConfiguration) -> [String] {
        (configuration.hostEnvironment["DEBUGGER_ARGS"] ?? "").split(separator: " ").map(String.init)
    }

    /// The loopback address of `port`.
    static func address(_ port: Int) -> String { "127.0.0.1:\(port)" }

    /// A Python launch: the interpreter's arguments, the debug setup and a warning.
    static func python(
        _ configuration: FunctionConfiguration, interpreter: String, client: [String], probe: DebugpyProbe
    ) -> (arguments: [String], debug: DebugSetup?, warning: String?) {
        guard let port = configuration.debugPort else { return (client, nil, nil) }
        let extra = debuggerArguments(configuration)
        if extra.contains("-m") {
            // The arguments run a module, e.g. SAM's usual `DEBUGGER_ARGS="-m debugpy --listen 0.0.0.0:5890
            // --wait-for-client"` (or ptvsd): that module starts the client, so no second `-m debugpy` is added.
            let listen = extra.firstIndex(of: "--listen").flatMap {
                extra.indices.contains($0 + 1) ? extra[$0 + 1] : nil
            }
            let address = listen.map { $0.contains(":") ? $0 : "127.0.0.1:\($0)" } ?? address(port)
            let waits = extra.contains("--wait-for-client") || extra.contains("--wait")
            return (extra + client, DebugSetup(address: address, waitsForDebugger: waits), nil)
        }
        guard probe(interpreter, configuration) else {
            let warning =
                "\(configuration.name): debugpy is not installed for \(interpreter), so it runs without a debugger "
                + "(pip install debugpy)"
            return (extra + client, nil, warning)
        }
        // Frozen standard-library modules (Python 3.11+) make debugpy miss breakpoints in them and warn; older
        // interpreters ignore an unknown `-X` option.
        let debugpy = ["-Xfrozen_modules=off", "-m", "debugpy", "--listen", address(port), "--wait-for-client"]
        return (extra + debugpy + client, DebugSetup(address: address(port), waitsForDebugger: true), nil)
    }

    /// A Node.js launch: `--inspect-brk=127.0.0.1:N`, then `DEBUGGER_ARGS`, then the client.
    static func node(
        _ configuration: FunctionConfiguration, client: [String]
    ) -> (arguments: [String], debug: DebugSetup?) {
        guard let port = configuration.debugPort else { return (client, nil) }
        return (
            ["--inspect-brk=\(address(port))"] + debuggerArguments(configuration) + client,
            DebugSetup(address: address(port), waitsForDebugger: true)
        )
    }

    /// A Java launch's JVM options: the JDWP agent listening on 127.0.0.1:N and waiting for the debugger (what
    /// `sam local invoke -d N` does for Java), then `DEBUGGER_ARGS`.
    static func java(_ configuration: FunctionConfiguration) -> (options: [String], debug: DebugSetup?) {
        guard let port = configuration.debugPort else { return ([], nil) }
        let agent = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=\(address(port))"
        return ([agent] + debuggerArguments(configuration), DebugSetup(address: address(port), waitsForDebugger: true))
    }

    /// A Ruby launch: `ruby --disable-gems CLIENT` (the client loads RubyGems only when the function needs it: a
    /// cold start costs a third). With a debug port the client itself opens the `debug` gem's server on
    /// 127.0.0.1:N (`STANDIN_DEBUG_PORT`) and waits at the handler file's first line for `rdbg --attach`, as
    /// `sam local invoke -d` waits; `DEBUGGER_ARGS` go to the interpreter.
    static func ruby(_ configuration: FunctionConfiguration, client: String) -> (arguments: [String], debug: DebugSetup?) {
        let arguments = ["--disable-gems"] + (configuration.debugPort == nil ? [] : debuggerArguments(configuration))
        guard let port = configuration.debugPort else { return (arguments + [client], nil) }
        return (arguments + [client], DebugSetup(address: address(port), waitsForDebugger: true))
    }

    /// A `provided` launch: the bootstrap is started as usual and finds the port in `STANDIN_DEBUG_PORT`.
    static func provided(_ configuration: FunctionConfiguration) -> DebugSetup? {
        configuration.debugPort.map { DebugSetup(address: address($0), waitsForDebugger: false) }
    }

    private static let debugpyAnswers = Mutex<[String: Bool]>([:])

    /// True when `python` can import debugpy in the function's environment; asked once per interpreter and process.
    static func hasDebugpy(_ python: String, _ configuration: FunctionConfiguration) -> Bool {
        if let known = debugpyAnswers.withLock({ $0[python] }) { return known }
        let run = try? ToolRun.run(
            python, ["-c", "import importlib.util,sys;sys.exit(0 if importlib.util.find_spec('debugpy') else 3)"],
            in: configuration.codeDirectory,
            environment: FunctionEnvironment.build(configuration, runtimeAPI: "127.0.0.1:9"),
            standardError: .discarded)
        let answer = run?.succeeded == true
        debugpyAnswers.withLock { $0[python] = answer }
        return answer
    }
}

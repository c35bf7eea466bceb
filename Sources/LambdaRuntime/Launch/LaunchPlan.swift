import Foundation
import Logging

/// What to execute for an instance of a function: the program, its arguments and `LAMBDA_RUNTIME_DIR`.
struct LaunchPlan: Sendable, Equatable {
    var executable: String
    var arguments: [String]
    var runtimeDirectory: URL?
    var interpreter: Interpreter?
    /// How a debugger attaches, when the configuration has a debug port and the runtime can be debugged.
    var debug: DebugSetup? = nil
    /// A one-line warning about debugging (e.g. debugpy is missing).
    var debugWarning: String? = nil

    /// Works out the launch for `configuration`.
    ///
    /// `provided*` runs `bootstrap` from the code folder, else from the layers (later layers win, as in `/opt`);
    /// `go1.x` runs the executable the handler names; `python3.x`, `nodejs*`, `ruby3.x` run the bundled client with
    /// the interpreter found on `hostPath`; `java*` runs the bundled client (compiled for the JVM on first use) with
    /// the Java installation of the runtime's version. With a debug port,
    /// the launch is the debug one (``DebugLaunch``).
    /// - Parameters:
    ///   - clients: the runtime clients to use; nil installs the bundled ones.
    ///   - debugpyProbe: whether a Python interpreter has debugpy (asked only with a debug port).
    static func make(
        _ configuration: FunctionConfiguration, clients: RuntimeClientPaths? = nil,
        debugpyProbe: DebugLaunch.DebugpyProbe = DebugLaunch.hasDebugpy
    ) throws(RuntimeError) -> LaunchPlan {
        let runtime = configuration.runtime
        if runtime == "provided" || runtime.hasPrefix("provided.") {
            var plan = try bootstrap(configuration)
            plan.debug = DebugLaunch.provided(configuration)
            return plan
        }
        if runtime.hasPrefix("python3") {
            let interpreter = try InterpreterLocator.python(for: configuration)
            let clients = try resolvedClients(clients, configuration)
            let (arguments, debug, warning) = DebugLaunch.python(
                configuration, interpreter: interpreter.executable, client: clients.pythonArguments,
                probe: debugpyProbe)
            return LaunchPlan(
                executable: interpreter.executable, arguments: arguments,
                runtimeDirectory: clients.python.deletingLastPathComponent(), interpreter: interpreter,
                debug: debug, debugWarning: warning)
        }
        if runtime.hasPrefix("nodejs") {
            let interpreter = try InterpreterLocator.node(for: configuration)
            let clients = try resolvedClients(clients, configuration)
            let (arguments, debug) = DebugLaunch.node(configuration, client: clients.nodeArguments)
            return LaunchPlan(
                executable: interpreter.executable, arguments: arguments,
                runtimeDirectory: clients.node.deletingLastPathComponent(), interpreter: interpreter, debug: debug)
        }
        if runtime.hasPrefix("java") {
            let java = try JavaLocator.java(for: configuration)
            let classes = try JavaClient.classes(
                source: try resolvedClients(clients, configuration).java, for: java, configuration: configuration)
            let (options, debug) = DebugLaunch.java(configuration)
            return LaunchPlan(
                executable: java.java,
                arguments: javaOptions + options + ["-cp", classes.path, JavaClient.mainClass],
                runtimeDirectory: classes, interpreter: Interpreter(executable: java.java, warning: java.warning),
                debug: debug)
        }
        if runtime.hasPrefix("ruby") {
            let interpreter = try InterpreterLocator.ruby(for: configuration)
            let client = try resolvedClients(clients, configuration).ruby
            let (arguments, debug) = DebugLaunch.ruby(configuration, client: client.path)
            return LaunchPlan(
                executable: interpreter.executable, arguments: arguments,
                runtimeDirectory: client.deletingLastPathComponent(), interpreter: interpreter, debug: debug)
        }
        if runtime == "go1.x" {
            // The handler names the executable in the code folder; it speaks the Runtime API itself (aws-lambda-go
            // does when `_LAMBDA_SERVER_PORT` is not set).
            var plan = try executable(configuration.handler, configuration, searchLayers: false)
            plan.debug = DebugLaunch.provided(configuration)
            return plan
        }
        throw .unsupportedRuntime(runtime, function: configuration.name)
    }

    /// JVM options for a fast start, as Lambda's Java runtimes start the JVM: client compiler only, serial GC, the
    /// class-data sharing archive when there is one.
    static let javaOptions = ["-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]

    private static func resolvedClients(
        _ clients: RuntimeClientPaths?, _ configuration: FunctionConfiguration
    ) throws(RuntimeError) -> RuntimeClientPaths {
        if let clients { return clients }
        return try RuntimeClientPaths.bundled(cacheDirectory: configuration.cacheDirectory)
    }

    private static func bootstrap(_ configuration: FunctionConfiguration) throws(RuntimeError) -> LaunchPlan {
        try executable("bootstrap", configuration, searchLayers: true)
    }

    /// The executable `name` in the code folder (and, with `searchLayers`, the layers: later layers win, as in /opt).
    private static func executable(
        _ name: String, _ configuration: FunctionConfiguration, searchLayers: Bool
    ) throws(RuntimeError) -> LaunchPlan {
        let candidates =
            [configuration.codeDirectory] + (searchLayers ? configuration.layerDirectories.reversed() : [])
        var notExecutable: String?
        for directory in candidates {
            let file = directory.appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            guard FileManager.default.isExecutableFile(atPath: file) else {
                notExecutable = notExecutable ?? file
                continue
            }
            return LaunchPlan(executable: file, arguments: [], runtimeDirectory: nil, interpreter: nil)
        }
        throw .missingBootstrap(
            function: configuration.name,
            searched: candidates.map { $0.appendingPathComponent(name).path },
            notExecutable: notExecutable)
    }
}

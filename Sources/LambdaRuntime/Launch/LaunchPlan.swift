import Foundation
import Logging

/// What to execute for an instance of a function: the program, its arguments and `LAMBDA_RUNTIME_DIR`.
struct LaunchPlan: Sendable, Equatable {
    var executable: String
    var arguments: [String]
    var runtimeDirectory: URL?
    var interpreter: Interpreter?

    /// Works out the launch for `configuration`.
    ///
    /// `provided*` runs `bootstrap` from the code folder, else from the layers (later layers win, as in `/opt`);
    /// `python3.x` and `nodejs*` run the bundled client with the interpreter found on `hostPath`.
    /// - Parameter clients: the runtime clients to use; nil installs the bundled ones.
    static func make(
        _ configuration: FunctionConfiguration, clients: RuntimeClientPaths? = nil
    ) throws(RuntimeError) -> LaunchPlan {
        let runtime = configuration.runtime
        if runtime == "provided" || runtime.hasPrefix("provided.") {
            return try bootstrap(configuration)
        }
        if runtime.hasPrefix("python3") {
            let interpreter = try InterpreterLocator.python(for: configuration)
            let clients = try resolvedClients(clients, configuration)
            return LaunchPlan(
                executable: interpreter.executable, arguments: clients.pythonArguments,
                runtimeDirectory: clients.python.deletingLastPathComponent(), interpreter: interpreter)
        }
        if runtime.hasPrefix("nodejs") {
            let interpreter = try InterpreterLocator.node(for: configuration)
            let clients = try resolvedClients(clients, configuration)
            return LaunchPlan(
                executable: interpreter.executable, arguments: clients.nodeArguments,
                runtimeDirectory: clients.node.deletingLastPathComponent(), interpreter: interpreter)
        }
        throw .unsupportedRuntime(runtime, function: configuration.name)
    }

    private static func resolvedClients(
        _ clients: RuntimeClientPaths?, _ configuration: FunctionConfiguration
    ) throws(RuntimeError) -> RuntimeClientPaths {
        if let clients { return clients }
        return try RuntimeClientPaths.bundled(cacheDirectory: configuration.cacheDirectory)
    }

    private static func bootstrap(_ configuration: FunctionConfiguration) throws(RuntimeError) -> LaunchPlan {
        let candidates =
            [configuration.codeDirectory] + configuration.layerDirectories.reversed()
        var notExecutable: String?
        for directory in candidates {
            let file = directory.appendingPathComponent("bootstrap").path
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
            searched: candidates.map { $0.appendingPathComponent("bootstrap").path },
            notExecutable: notExecutable)
    }
}

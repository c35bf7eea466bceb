import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error of the LambdaRuntime module: the function could not be started or invoked at all.
///
/// Function faults (handler errors, crashes, timeouts) are not errors: they come back as an ``InvocationResult``.
public struct RuntimeError: Error, Sendable, CustomStringConvertible, Equatable {
    private enum Code: Sendable, Equatable {
        case unsupportedRuntime, missingBootstrap, noInterpreter, launchFailed, serverFailed, shutDown, busy
    }

    private let code: Code
    /// A human-readable explanation.
    public let message: String

    /// A human-readable explanation.
    public var description: String { message }

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The runtime identifier is not one standin can run.
    public static func unsupportedRuntime(_ runtime: String, function: String) -> RuntimeError {
        RuntimeError(
            .unsupportedRuntime,
            "function \(function): runtime '\(runtime)' is not supported "
                + "(use python3.x, nodejs*, java*, ruby3.x, go1.x, provided, provided.al2 or provided.al2023)")
    }

    /// No executable `bootstrap` in the code directory or the layers.
    public static func missingBootstrap(function: String, searched: [String], notExecutable: String?) -> RuntimeError {
        if let notExecutable {
            return RuntimeError(
                .missingBootstrap,
                "function \(function): \(notExecutable) is not executable (chmod +x it)")
        }
        return RuntimeError(
            .missingBootstrap,
            "function \(function): no executable \(URL(fileURLWithPath: searched.first ?? "bootstrap").lastPathComponent)"
                + " for its runtime; looked in " + searched.joined(separator: ", "))
    }

    /// No interpreter for the runtime on PATH.
    public static func noInterpreter(_ names: [String], runtime: String, path: String) -> RuntimeError {
        RuntimeError(
            .noInterpreter,
            "runtime \(runtime): none of \(names.joined(separator: ", ")) found on PATH (\(path))")
    }

    /// The child process could not be started.
    public static func launchFailed(_ executable: String, errno code: Int32) -> RuntimeError {
        RuntimeError(.launchFailed, "could not start \(executable): \(String(cString: strerror(code)))")
    }

    /// The Runtime API server could not be started.
    public static func serverFailed(_ underlying: String) -> RuntimeError {
        RuntimeError(.serverFailed, "could not start the Runtime API server: \(underlying)")
    }

    /// The instance or pool was shut down.
    public static let shutDown = RuntimeError(.shutDown, "the function instance has been shut down")

    /// The instance is already running an invocation.
    public static let busy = RuntimeError(.busy, "the function instance is already running an invocation")

    /// Any other failure to prepare a launch (bundled client install, cache directory...).
    static func launchPreparation(_ message: String) -> RuntimeError { RuntimeError(.launchFailed, message) }
}

import Foundation
import TestSupport

/// Runs the built `standin` binary the way a user would.
struct StandinCLI {
    /// A private HOME (so no AWS config, cache or credentials of the machine leak into a test).
    let home: URL
    var environment: [String: String]

    init() throws {
        home = try makeTemporaryDirectory("standin-home")
        let host = ProcessInfo.processInfo.environment
        environment = [
            "PATH": host["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": home.path,
            "LANG": "C.UTF-8",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
        // Interpreters installed by version managers find their versions through these.
        for key in ["PYENV_ROOT", "PYENV_VERSION", "NVM_DIR", "CI"] { environment[key] = host[key] }
        if host["PYENV_ROOT"] == nil, FileManager.default.fileExists(atPath: "/root/.pyenv") {
            environment["PYENV_ROOT"] = "/root/.pyenv"
        }
    }

    /// Runs `standin ARGS` in `directory`, with `extra` added to the environment.
    func run(
        _ arguments: [String], in directory: URL? = nil, extra: [String: String] = [:], stdin: Data? = nil,
        timeout: TimeInterval = 120
    ) throws -> ProcessResult {
        var env = environment
        env.merge(extra) { $1 }
        return try runProcess(
            TestPaths.standinBinary.path, arguments, environment: env, currentDirectory: directory,
            stdin: stdin ?? Data(), timeout: timeout)
    }

    /// The bundled example app.
    static var exampleApp: URL { TestPaths.packageRoot.appendingPathComponent("Examples/hello") }
}

/// Parses `data` as a JSON object.
func jsonObject(_ data: Data) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
}

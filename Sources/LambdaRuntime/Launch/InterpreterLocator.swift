import Foundation
import Logging
import ProcessLauncher
import Synchronization

/// The first executable file `name` in the folders of `path` (a `PATH` value), as a shell finds a command.
public func findExecutable(_ name: String, onPath path: String) -> String? {
    for directory in path.split(separator: ":") where !directory.isEmpty {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// An interpreter chosen for a runtime, and the warning to print when it is not the runtime's own version.
struct Interpreter: Sendable, Equatable {
    /// The executable to run (a version-manager shim is resolved to the real interpreter).
    var executable: String
    /// A one-line warning, e.g. when `python3` stands in for `python3.12`.
    var warning: String?
}

/// Finds Python, Node.js and Ruby interpreters on a PATH, resolving version-manager shims once and caching the answer.
///
/// Starting an interpreter through a shell-script shim (pyenv, asdf) costs tens of milliseconds per start, more
/// than a whole cold invoke, so the real executable is asked for (`sys.executable`, `process.execPath`) and the
/// answer is kept in `<cacheDirectory>/interpreters/`, keyed by the shim's path and the requested runtime.
enum InterpreterLocator {
    private static let warned = Mutex<Set<String>>([])

    /// The interpreter for a `python3.x` runtime: `python3.x`, else `python3` with a warning.
    static func python(for configuration: FunctionConfiguration) throws(RuntimeError) -> Interpreter {
        let runtime = configuration.runtime
        let wanted = FunctionEnvironment.pythonVersion(runtime) ?? "3"
        let query = ["-c", "import sys;print(sys.executable);print('%d.%d'%sys.version_info[:2])"]
        if let exact = find("python\(wanted)", path: configuration.hostPath) {
            if !isScript(exact) { return Interpreter(executable: exact) }
            if let answer = ask(exact, query, runtime: runtime, configuration: configuration) {
                return Interpreter(executable: answer.executable)
            }
        }
        for name in ["python3", "python"] {
            guard let candidate = find(name, path: configuration.hostPath) else { continue }
            guard let answer = ask(candidate, query, runtime: runtime, configuration: configuration) else {
                if isScript(candidate) { continue }
                return Interpreter(executable: candidate, warning: "\(runtime): using \(candidate) (version unknown)")
            }
            let warning =
                answer.version == wanted
                ? nil : "\(runtime): python\(wanted) is not on PATH; using \(name) (\(answer.version)) instead"
            return Interpreter(executable: answer.executable, warning: warning)
        }
        throw .noInterpreter(["python\(wanted)", "python3"], runtime: runtime, path: configuration.hostPath)
    }

    /// The interpreter for a `nodejs*` runtime: `node`, with a warning when its major version differs.
    static func node(for configuration: FunctionConfiguration) throws(RuntimeError) -> Interpreter {
        let runtime = configuration.runtime
        guard let candidate = find("node", path: configuration.hostPath) else {
            throw .noInterpreter(["node"], runtime: runtime, path: configuration.hostPath)
        }
        let query = ["-e", "console.log(process.execPath);console.log(process.versions.node)"]
        guard let answer = ask(candidate, query, runtime: runtime, configuration: configuration) else {
            return Interpreter(executable: candidate)
        }
        let major = answer.version.split(separator: ".").first.map(String.init) ?? answer.version
        guard let wanted = FunctionEnvironment.nodeMajorVersion(runtime), String(wanted) != major else {
            return Interpreter(executable: answer.executable)
        }
        return Interpreter(
            executable: answer.executable,
            warning: "\(runtime): node \(wanted) is not on PATH; using node \(answer.version) instead")
    }

    /// The interpreter for a `ruby3.x` runtime: `ruby3.x`, else `ruby`, with a warning when its version differs.
    static func ruby(for configuration: FunctionConfiguration) throws(RuntimeError) -> Interpreter {
        let runtime = configuration.runtime
        let wanted = String(runtime.dropFirst("ruby".count))
        let query = ["-e", "puts RbConfig.ruby; puts RUBY_VERSION.split('.')[0, 2].join('.')"]
        for name in ["ruby\(wanted)", "ruby"] {
            guard let candidate = find(name, path: configuration.hostPath) else { continue }
            guard let answer = ask(candidate, query, runtime: runtime, configuration: configuration) else {
                if isScript(candidate) { continue }
                return Interpreter(executable: candidate, warning: "\(runtime): using \(candidate) (version unknown)")
            }
            let warning =
                answer.version == wanted ? nil : "\(runtime): ruby \(wanted) is not on PATH; using ruby \(answer.version) instead"
            return Interpreter(executable: answer.executable, warning: warning)
        }
        throw .noInterpreter(["ruby\(wanted)", "ruby"], runtime: runtime, path: configuration.hostPath)
    }

    /// Logs `interpreter.warning` once per process.
    static func warnOnce(_ interpreter: Interpreter, logger: Logger) {
        guard let warning = interpreter.warning, warned.withLock({ $0.insert(warning).inserted }) else { return }
        logger.warning("\(warning)")
    }

    /// The first executable `name` on `path`.
    static func find(_ name: String, path: String) -> String? { findExecutable(name, onPath: path) }

    /// True when `path` is a script (`#!`), as version-manager shims are, rather than a binary.
    static func isScript(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 2)) ?? Data()
        return head == Data("#!".utf8)
    }

    private struct Answer: Sendable {
        var executable: String
        var version: String
    }

    /// Runs `executable query...` (cached on disk) and reads back two lines: the real executable and its version.
    private static func ask(
        _ executable: String, _ query: [String], runtime: String, configuration: FunctionConfiguration
    ) -> Answer? {
        let cacheFile = configuration.cacheDirectory.appendingPathComponent("interpreters")
            .appendingPathComponent(cacheKey(executable, runtime))
        if let cached = try? String(contentsOf: cacheFile, encoding: .utf8) {
            if let answer = parse(cached), FileManager.default.isExecutableFile(atPath: answer.executable) {
                return answer
            }
            // A shim that failed (e.g. pyenv has no such version active) is not asked again for a while: asking
            // costs hundreds of milliseconds.
            if cached == failedMarker,
                let modified = (try? FileManager.default.attributesOfItem(atPath: cacheFile.path))?[.modificationDate]
                    as? Date, Date().timeIntervalSince(modified) < failureLifetime
            {
                return nil
            }
        }
        var environment = configuration.hostEnvironment
        environment["PATH"] = configuration.hostPath
        guard let run = try? ToolRun.run(executable, query, environment: environment, standardError: .discarded)
        else { return nil }
        let answer = run.succeeded ? parse(run.output) : nil
        try? FileManager.default.createDirectory(
            at: cacheFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        let record = answer.map { "\($0.executable)\n\($0.version)\n" } ?? failedMarker
        try? Data(record.utf8).write(to: cacheFile, options: .atomic)
        return answer
    }

    /// What the cache holds for an interpreter that could not answer.
    private static let failedMarker = "-\n"
    /// How long a failed answer is trusted, in seconds.
    private static let failureLifetime: TimeInterval = 3600

    private static func parse(_ text: String) -> Answer? {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.count >= 2, lines[0].hasPrefix("/") else { return nil }
        return Answer(executable: lines[0], version: lines[1])
    }

    private static func cacheKey(_ executable: String, _ runtime: String) -> String {
        let raw = "\(runtime)\(executable)"
        return String(raw.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bundled runtime clients, installed on disk where an interpreter can run them.
public struct InstalledRuntimeClients: Sendable, Equatable {
    /// `standin_runtime.py`: the Python client.
    public var python: URL
    /// `standin-runtime.mjs`: the Node.js client, run as `node <file>`.
    public var node: URL
    /// `StandinRuntime.java`: the Java client's source, compiled on first use (``JavaClient``).
    public var java: URL
    /// `standin_runtime.rb`: the Ruby client, run as `ruby <file>`.
    public var ruby: URL

    /// Creates the value from the client files.
    public init(python: URL, node: URL, java: URL, ruby: URL) {
        self.python = python
        self.node = node
        self.java = java
        self.ruby = ruby
    }

    /// The clients as installed in `folder`.
    init(folder: URL) {
        self.init(
            python: folder.appendingPathComponent("standin_runtime.py"),
            node: folder.appendingPathComponent("standin-runtime.mjs"),
            java: folder.appendingPathComponent("StandinRuntime.java"),
            ruby: folder.appendingPathComponent("standin_runtime.rb"))
    }

    /// The interpreter arguments that start the Python client.
    ///
    /// `python <file>` works too, but a script is compiled on every start (several milliseconds, a good part of a
    /// cold invoke); imported as a module, its bytecode is cached in `__pycache__` beside it. The client puts the
    /// function's code folder in place of its own at the head of `sys.path`.
    public var pythonArguments: [String] {
        let folder = python.deletingLastPathComponent().path
        let literal = "'" + folder.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "'", with: "\\'").replacingOccurrences(of: "\n", with: "\\n") + "'"
        return ["-c", "import sys; sys.path[0] = \(literal); import standin_runtime; standin_runtime.main()"]
    }

    /// Each client file and what it holds.
    var files: [(url: URL, text: String)] {
        [
            (python, EmbeddedRuntimeClients.python), (node, EmbeddedRuntimeClients.node),
            (java, EmbeddedRuntimeClients.java), (ruby, EmbeddedRuntimeClients.ruby),
        ]
    }

    /// The interpreter arguments that start the Node.js client.
    public var nodeArguments: [String] { [node.path] }
}

/// Installs the runtime clients standin ships for `python3.x`, `nodejs*`, `java*` and `ruby*` functions.
///
/// The clients speak the Lambda Runtime API (REFERENCE.md §1) and need nothing but the interpreter's standard library.
/// Their sources live in `Sources/LambdaRuntime/RuntimeClients/` and are compiled into the binary by
/// `scripts/embed-runtime-clients.sh` (``EmbeddedRuntimeClients``).
public enum RuntimeClients {
    /// The SHA-256 of both clients; they are installed in a folder of that name.
    public static var version: String { EmbeddedRuntimeClients.version }

    /// Writes the clients to `directory/runtime-clients/<version>/` unless they are already there.
    ///
    /// This runs on every cold start: when the files exist it returns after a `stat` each. Files are written to a
    /// temporary name and renamed into place, so a concurrent start never sees a partial client.
    /// - Parameter directory: standin's cache folder.
    /// - Returns: where the clients are.
    /// - Throws: ``RuntimeError`` when the folder or a file cannot be written.
    public static func install(in directory: URL) throws(RuntimeError) -> InstalledRuntimeClients {
        let folder = directory.appendingPathComponent("runtime-clients", isDirectory: true)
            .appendingPathComponent(EmbeddedRuntimeClients.version, isDirectory: true)
        let installed = InstalledRuntimeClients(folder: folder)
        let missing = installed.files.filter { !fileExists($0.url) }
        if missing.isEmpty { return installed }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .launchPreparation(
                "could not create the runtime clients folder \(folder.path): \(error.localizedDescription)")
        }
        for file in missing { try write(file.text, to: file.url) }
        return installed
    }

    private static func fileExists(_ url: URL) -> Bool {
        var info = stat()
        return stat(url.path, &info) == 0
    }

    static func write(_ text: String, to file: URL) throws(RuntimeError) {
        let temporary = file.deletingLastPathComponent()
            .appendingPathComponent(".\(file.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            throw .launchPreparation("could not write the runtime client \(file.path): \(error.localizedDescription)")
        }
        guard rename(temporary.path, file.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw .launchPreparation(
                "could not install the runtime client \(file.path): \(String(cString: strerror(code)))")
        }
    }
}

import Foundation

/// Where the runtime clients live on disk, and how an interpreter starts them.
struct RuntimeClientPaths: Sendable, Equatable {
    /// The Python client.
    var python: URL
    /// The Node.js client, run as `node <file>`.
    var node: URL
    /// The Java client's source (compiled on first use by ``JavaClient``).
    var java: URL
    /// The Ruby client, run as `ruby <file>`.
    var ruby: URL

    /// Client files; the Java and Ruby ones default to the Python client's folder.
    init(python: URL, node: URL, java: URL? = nil, ruby: URL? = nil) {
        self.python = python
        self.node = node
        let folder = python.deletingLastPathComponent()
        self.java = java ?? folder.appendingPathComponent("StandinRuntime.java")
        self.ruby = ruby ?? folder.appendingPathComponent("standin_runtime.rb")
    }

    /// The Python interpreter's arguments: the bundled `standin_runtime.py` is imported as a module (its bytecode is
    /// then cached); any other file is run as a script.
    var pythonArguments: [String] {
        guard python.lastPathComponent == "standin_runtime.py" else { return [python.path] }
        return InstalledRuntimeClients(python: python, node: node, java: java, ruby: ruby).pythonArguments
    }

    /// The Node.js interpreter's arguments.
    var nodeArguments: [String] { [node.path] }

    /// Installs (or finds already installed) the bundled clients under `<cacheDirectory>/runtime-clients/<version>`.
    static func bundled(cacheDirectory: URL) throws(RuntimeError) -> RuntimeClientPaths {
        let installed = try RuntimeClients.install(in: cacheDirectory)
        return RuntimeClientPaths(python: installed.python, node: installed.node, java: installed.java, ruby: installed.ruby)
    }
}

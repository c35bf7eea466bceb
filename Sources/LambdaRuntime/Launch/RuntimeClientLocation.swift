import Foundation

/// Where the bundled Python and Node.js runtime clients live on disk.
struct RuntimeClientPaths: Sendable, Equatable {
    /// The Python client, run as `python <file>`.
    var python: URL
    /// The Node.js client, run as `node <file>`.
    var node: URL

    /// Installs (or finds already installed) the bundled clients under `<cacheDirectory>/runtime-clients`.
    static func bundled(cacheDirectory: URL) throws(RuntimeError) -> RuntimeClientPaths {
        let directory = cacheDirectory.appendingPathComponent("runtime-clients")
        // Wired to `RuntimeClients.install(in:)` once the bundled clients land.
        throw .launchPreparation("the bundled runtime clients are not available yet (\(directory.path))")
    }
}

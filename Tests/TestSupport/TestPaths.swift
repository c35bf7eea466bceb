import Foundation

/// Locations that tests need: the package root, the shared conformance data, the test virtualenv and the built binary.
public enum TestPaths {
    /// The package root: `STANDIN_PACKAGE_ROOT`, else the nearest folder above this file that holds `Package.swift`.
    public static let packageRoot: URL = {
        if let root = ProcessInfo.processInfo.environment["STANDIN_PACKAGE_ROOT"] {
            return URL(fileURLWithPath: root)
        }
        return findUpwards(from: URL(fileURLWithPath: #filePath), containing: "Package.swift")
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `shared/conformance` beside (or above) the package root, or nil when it is not there.
    public static let conformance: URL? = {
        if let dir = ProcessInfo.processInfo.environment["STANDIN_CONFORMANCE"] {
            return URL(fileURLWithPath: dir)
        }
        var dir = packageRoot
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("shared/conformance")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    /// The conformance folder; fails clearly in CI when it is missing, returns nil (skip) elsewhere.
    public static func requireConformance() throws -> URL? {
        if let conformance { return conformance }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            throw TestSupportError("shared/conformance not found beside the package root \(packageRoot.path)")
        }
        return nil
    }

    /// The test virtualenv's `bin` folder: `STANDIN_VENV/bin`, else `.venv/bin` in or above the package root.
    public static let venvBin: URL? = {
        if let venv = ProcessInfo.processInfo.environment["STANDIN_VENV"] {
            return URL(fileURLWithPath: venv).appendingPathComponent("bin")
        }
        guard let base = findUpwards(from: packageRoot.appendingPathComponent("x"), containing: ".venv/bin/python")
        else { return nil }
        return base.appendingPathComponent(".venv/bin")
    }()

    /// A tool from the test virtualenv (`moto_server`, `aws`, `python`), or nil when the venv lacks it.
    public static func venvTool(_ name: String) -> URL? {
        guard let bin = venvBin else { return nil }
        let url = bin.appendingPathComponent(name)
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// A venv tool that must exist; in CI its absence is an error, elsewhere the caller may skip.
    public static func requireVenvTool(_ name: String) throws -> URL? {
        if let url = venvTool(name) { return url }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            throw TestSupportError("\(name) is not in the test virtualenv; run scripts/test.sh")
        }
        return nil
    }

    /// The built `standin` binary: `STANDIN_BIN`, else `.build/debug/standin` under the package root.
    public static var standinBinary: URL {
        if let bin = ProcessInfo.processInfo.environment["STANDIN_BIN"] { return URL(fileURLWithPath: bin) }
        return packageRoot.appendingPathComponent(".build/debug/standin")
    }

    /// A fixture folder of a test target: `Tests/<target>/Fixtures/<name>`.
    public static func fixture(_ target: String, _ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/\(target)/Fixtures/\(name)")
    }

    static func findUpwards(from file: URL, containing name: String) -> URL? {
        var dir = file.deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}

/// An error raised by the test support code itself.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A new, empty temporary folder (its path resolved, so it compares equal to what child processes see).
public func makeTemporaryDirectory(_ prefix: String = "standin-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.resolvingSymlinksInPath()
}

/// Writes `text` to `dir/relativePath`, creating folders; returns the file URL.
@discardableResult
public func writeFile(_ dir: URL, _ relativePath: String, _ text: String, executable: Bool = false) throws -> URL {
    let url = dir.appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    if executable {
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }
    return url
}

import Foundation
import ProcessLauncher

#if canImport(Glibc)
    import Glibc
#endif

/// The Java runtime client, compiled once per Java version into standin's cache with a local `javac`: standin ships
/// it as source (a JDK's standard library is all it needs), so no class files built elsewhere have to match the JVM.
enum JavaClient {
    /// The client's main class.
    static let mainClass = "StandinRuntime"

    /// The folder of compiled classes for `java`: `<source folder>/java<major>/`, compiled from `source` unless it is
    /// there already. Compiled into a temporary folder and renamed into place, so concurrent starts never see a
    /// partial one.
    /// - Throws: ``RuntimeError`` when no `javac` is found or the compilation fails.
    static func classes(source: URL, for java: JavaHome, configuration: FunctionConfiguration) throws(RuntimeError)
        -> URL
    {
        let folder = source.deletingLastPathComponent().appendingPathComponent("java\(java.major)", isDirectory: true)
        let marker = folder.appendingPathComponent("\(mainClass).class")
        if FileManager.default.fileExists(atPath: marker.path) { return folder }
        // The JVM's own javac; else another JDK's, compiling for the JVM's version.
        var arguments = ["-nowarn", "-encoding", "UTF-8"]
        var javac = java.javac
        if javac == nil, let other = JavaLocator.candidates(configuration).first(where: { $0.major >= java.major && $0.javac != nil }) {
            javac = other.javac
            arguments += ["--release", String(max(java.major, 8))]
        }
        guard let javac else {
            throw .noInterpreter(["javac (a JDK)"], runtime: configuration.runtime, path: configuration.hostPath)
        }
        let temporary = source.deletingLastPathComponent()
            .appendingPathComponent(".java\(java.major).\(getpid()).\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let run: ToolRun
        do {
            run = try ToolRun.run(javac, arguments + ["-d", temporary.path, source.path])
        } catch {
            throw .launchPreparation("could not run \(javac): \(error.localizedDescription)")
        }
        guard run.status == 0 else {
            throw .launchPreparation("could not compile the Java runtime client with \(javac): \(run.output)")
        }
        if rename(temporary.path, folder.path) != 0, !FileManager.default.fileExists(atPath: marker.path) {
            throw .launchPreparation("could not install the compiled Java runtime client in \(folder.path)")
        }
        return folder
    }
}

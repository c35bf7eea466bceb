import Foundation

/// A Java installation chosen for a `javaN` runtime.
struct JavaHome: Sendable, Equatable {
    /// The installation's folder (the one with `bin/java` and `release`).
    var home: URL
    /// Its major version (8, 11, 17, 21, 25...).
    var major: Int
    /// A one-line warning when it is not the runtime's own version.
    var warning: String?

    var java: String { home.appendingPathComponent("bin/java").path }
    /// `bin/javac` when this is a JDK (not a JRE).
    var javac: String? {
        let path = home.appendingPathComponent("bin/javac").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
}

/// Finds the Java installation for a `javaN` runtime without starting a JVM: each candidate's `release` file names
/// its version (`JAVA_VERSION="17.0.15"`, `"1.8.0_392"`). Candidates, in order: `JAVA_HOME`, the `java` on PATH
/// (symbolic links followed to its installation), then every installation in `/usr/lib/jvm` and `/opt/java`.
enum JavaLocator {
    /// The folders that hold Java installations on Linux distributions (and where the Temurin images put them).
    static let installationFolders = ["/usr/lib/jvm", "/opt/java"]

    /// The installation whose major version is the runtime's, else the nearest newer one (a newer JVM runs older
    /// classes), else the newest older one, with a warning naming both.
    static func java(for configuration: FunctionConfiguration) throws(RuntimeError) -> JavaHome {
        let runtime = configuration.runtime
        let wanted = majorVersion(runtime) ?? 21
        let found = candidates(configuration)
        if let exact = found.first(where: { $0.major == wanted }) { return exact }
        let newer = found.filter { $0.major > wanted }.min { $0.major < $1.major }
        guard var chosen = newer ?? found.max(by: { $0.major < $1.major }) else {
            throw .noInterpreter(["java \(wanted) (JAVA_HOME, java on PATH, \(installationFolders.joined(separator: ", ")))"],
                runtime: runtime, path: configuration.hostPath)
        }
        chosen.warning = "\(runtime): no Java \(wanted) found; using Java \(chosen.major) (\(chosen.home.path)) instead"
        return chosen
    }

    /// `java17` -> 17, `java8.al2` -> 8, `java21.al2023` -> 21.
    static func majorVersion(_ runtime: String) -> Int? {
        guard runtime.hasPrefix("java") else { return nil }
        return Int(runtime.dropFirst(4).prefix { $0.isNumber })
    }

    /// Every installation found, first the ones the user pointed at, without duplicates.
    static func candidates(_ configuration: FunctionConfiguration) -> [JavaHome] {
        var homes: [URL] = []
        if let javaHome = configuration.hostEnvironment["JAVA_HOME"], !javaHome.isEmpty {
            homes.append(URL(fileURLWithPath: javaHome))
        }
        if let java = InterpreterLocator.find("java", path: configuration.hostPath) {
            let real = URL(fileURLWithPath: java).resolvingSymlinksInPath()
            homes.append(real.deletingLastPathComponent().deletingLastPathComponent())
        }
        for folder in installationFolders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            homes += names.sorted().map { URL(fileURLWithPath: folder).appendingPathComponent($0) }
        }
        var seen: Set<String> = []
        return homes.compactMap { home in
            let real = home.resolvingSymlinksInPath()
            guard seen.insert(real.path).inserted,
                FileManager.default.isExecutableFile(atPath: real.appendingPathComponent("bin/java").path),
                let major = releaseMajor(real)
            else { return nil }
            return JavaHome(home: real, major: major)
        }
    }

    /// The major version in an installation's `release` file.
    static func releaseMajor(_ home: URL) -> Int? {
        guard let text = try? String(contentsOf: home.appendingPathComponent("release"), encoding: .utf8) else {
            return nil
        }
        for line in text.split(separator: "\n") where line.hasPrefix("JAVA_VERSION=") {
            let version = line.dropFirst("JAVA_VERSION=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            let parts = version.split(separator: ".")
            guard let first = parts.first.flatMap({ Int($0) }) else { return nil }
            // "1.8.0_392" is Java 8.
            return first == 1 && parts.count > 1 ? Int(parts[1]) : first
        }
        return nil
    }
}

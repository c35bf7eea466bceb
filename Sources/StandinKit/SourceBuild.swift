import Foundation
import LambdaRuntime
import ProcessLauncher
import ProjectModel
import ZIPFoundation

/// Builds a compiled function from its sources when its code folder holds sources but no built artifact, which
/// `sam local` cannot do without `sam build`:
///
/// - `Metadata: BuildMethod: makefile`: `make build-<LogicalId>` in the code folder with `ARTIFACTS_DIR` set, as
///   `sam build` runs it;
/// - Go (`BuildMethod: go1.x`, or a `go1.x` / `provided*` function whose folder has a `go.mod` but no executable
///   handler / `bootstrap`): `go build -o <artifacts>/<handler or bootstrap> .`;
/// - Maven (a `java*` function whose folder has a `pom.xml`): `mvn -q package -DskipTests`, and the jar it makes
///   unpacked into `<artifacts>`.
///
/// Artifacts go in `<cache>/build/<function>/`; a build is skipped while no source file is newer than the last one,
/// so a warm server rebuilds only after an edit (hot reload drops the function's configuration, and the next
/// request builds again).
enum SourceBuild {
    /// One build: what to run, where, and where the artifact lands.
    struct Plan: Equatable {
        var tool: String
        var arguments: [String]
        var workingDirectory: URL
        var artifacts: URL
        /// Added to the build's environment.
        var environment: [String: String]
        /// What the one-line note calls the build (`go build`, `make build-Fn`).
        var label: String
        /// Maven: the build leaves a jar in this folder (not in `artifacts`), which becomes the function's code.
        var jarFolder: URL?
    }

    /// The build `function` needs, or nil when its code folder already holds what its runtime runs.
    static func plan(for function: FunctionSpec, code: URL, cacheDirectory: URL) -> Plan? {
        guard let runtime = function.runtime else { return nil }
        let artifacts = cacheDirectory.appendingPathComponent("build")
            .appendingPathComponent(function.id.replacingOccurrences(of: "/", with: "_"), isDirectory: true)
        let method = function.buildMethod?.lowercased()
        let manager = FileManager.default
        if method == "makefile" {
            let target = "build-\(function.logicalID)"
            return Plan(
                tool: "make", arguments: [target, "ARTIFACTS_DIR=\(artifacts.path)"], workingDirectory: code,
                artifacts: artifacts, environment: ["ARTIFACTS_DIR": artifacts.path], label: "make \(target)")
        }
        if runtime.hasPrefix("java"), manager.fileExists(atPath: code.appendingPathComponent("pom.xml").path) {
            // A Maven project (what `sam build` builds for BuildMethod java*): `mvn package`, then its jar.
            return Plan(
                tool: "mvn", arguments: ["-q", "package", "-DskipTests"], workingDirectory: code, artifacts: artifacts,
                environment: [:], label: "mvn package", jarFolder: code.appendingPathComponent("target"))
        }
        let isGo = runtime == "go1.x" || runtime.hasPrefix("provided")
        let executable = runtime == "go1.x" ? (function.handler ?? "bootstrap") : "bootstrap"
        guard isGo, method == "go1.x" || manager.fileExists(atPath: code.appendingPathComponent("go.mod").path),
            method == "go1.x" || !manager.isExecutableFile(atPath: code.appendingPathComponent(executable).path)
        else { return nil }
        return Plan(
            tool: "go", arguments: ["build", "-o", artifacts.appendingPathComponent(executable).path, "."],
            workingDirectory: code, artifacts: artifacts,
            // A toolchain named by go.mod is never downloaded; cgo off gives the static binary Lambda runs.
            environment: ["GOTOOLCHAIN": "local", "CGO_ENABLED": "0"], label: "go build")
    }

    /// Runs `plan` unless its artifacts are newer than every source file; returns the artifacts folder.
    /// - Parameter environment: standin's environment (the tools' PATH, HOME, Go caches).
    /// - Throws: `StandinError` with the tool's output when the build fails.
    static func run(_ plan: Plan, function: FunctionSpec, environment: [String: String]) throws(StandinError) -> URL {
        let stampFile = plan.artifacts.appendingPathComponent(".standin-build")
        let sources = newestSource(in: plan.workingDirectory)
        let stamp = "\(plan.label) \(sources)"
        if (try? String(contentsOf: stampFile, encoding: .utf8)) == stamp { return plan.artifacts }
        guard let tool = findExecutable(plan.tool, onPath: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        else {
            throw .usage("\(function.id): its code is source to build with \(plan.tool), which is not on PATH")
        }
        try? FileManager.default.removeItem(at: plan.artifacts)
        do {
            try FileManager.default.createDirectory(at: plan.artifacts, withIntermediateDirectories: true)
        } catch {
            throw .failure("\(function.id): cannot create \(plan.artifacts.path): \(error.localizedDescription)")
        }
        let started = ContinuousClock.now
        var buildEnvironment = environment
        for (name, value) in plan.environment where name == "ARTIFACTS_DIR" || environment[name] == nil {
            buildEnvironment[name] = value
        }
        let run: ToolRun
        do {
            run = try ToolRun.run(tool, plan.arguments, in: plan.workingDirectory, environment: buildEnvironment)
        } catch {
            throw .failure("\(function.id): cannot run \(tool): \(error.localizedDescription)")
        }
        guard run.status == 0 else {
            throw .failure(
                "\(function.id): \(plan.label) failed (exit \(run.status)) in "
                    + "\(plan.workingDirectory.path):\n\(run.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        if let jarFolder = plan.jarFolder {
            try unpackJar(from: jarFolder, into: plan.artifacts, function: function)
        }
        try? Data(stamp.utf8).write(to: stampFile)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        printNote("built \(function.id) with \(plan.label) in \(String(format: "%.1f", seconds)) s")
        return plan.artifacts
    }

    /// Unpacks the jar Maven built (the shaded one when there are two: not `original-*`, sources or javadoc) into
    /// `artifacts`, where the Java runtime client reads classes from.
    static func unpackJar(from folder: URL, into artifacts: URL, function: FunctionSpec) throws(StandinError) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let jars = names.filter {
            $0.hasSuffix(".jar") && !$0.hasPrefix("original-") && !$0.hasSuffix("-sources.jar")
                && !$0.hasSuffix("-javadoc.jar")
        }
        let newest = jars.max { a, b in
            let date = { (name: String) in
                (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path))?[
                    .modificationDate] as? Date ?? .distantPast
            }
            return date(a) < date(b)
        }
        guard let jar = newest else {
            throw .failure("\(function.id): mvn package made no jar in \(folder.path)")
        }
        do {
            try FileManager.default.unzipItem(at: folder.appendingPathComponent(jar), to: artifacts)
        } catch {
            throw .failure("\(function.id): cannot unpack \(jar): \(error.localizedDescription)")
        }
    }

    /// The newest modification time (and count) of the files under `folder`, hidden folders and build outputs
    /// (`target`) skipped: what decides whether a build is up to date.
    static func newestSource(in folder: URL) -> String {
        let keys: [URLResourceKey] = [.contentModificationDateKey, .isRegularFileKey]
        guard
            let walker = FileManager.default.enumerator(
                at: folder, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles])
        else { return "0" }
        var newest = 0.0
        var count = 0
        for case let url as URL in walker {
            if url.lastPathComponent == "target" {
                walker.skipDescendants()
                continue
            }
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else {
                continue
            }
            count += 1
            newest = max(newest, values.contentModificationDate?.timeIntervalSince1970 ?? 0)
        }
        return "\(count)@\(newest)"
    }
}

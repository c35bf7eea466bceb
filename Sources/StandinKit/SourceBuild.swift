import Foundation
import LambdaRuntime
import ProjectModel

/// Builds a compiled function from its sources when its code folder holds sources but no built artifact, which
/// `sam local` cannot do without `sam build`:
///
/// - `Metadata: BuildMethod: makefile`: `make build-<LogicalId>` in the code folder with `ARTIFACTS_DIR` set, as
///   `sam build` runs it;
/// - Go (`BuildMethod: go1.x`, or a `go1.x` / `provided*` function whose folder has a `go.mod` but no executable
///   handler / `bootstrap`): `go build -o <artifacts>/<handler or bootstrap> .`.
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
    }

    /// The build `function` needs, or nil when its code folder already holds what its runtime runs.
    static func plan(for function: FunctionSpec, code: URL, cacheDirectory: URL) -> Plan? {
        guard let runtime = function.runtime else { return nil }
        let artifacts = cacheDirectory.appendingPathComponent("build")
            .appendingPathComponent(function.id.replacingOccurrences(of: "/", with: "_"), isDirectory: true)
        let method = function.buildMethod?.lowercased()
        if method == "makefile" {
            let target = "build-\(function.logicalID)"
            return Plan(
                tool: "make", arguments: [target, "ARTIFACTS_DIR=\(artifacts.path)"], workingDirectory: code,
                artifacts: artifacts, environment: ["ARTIFACTS_DIR": artifacts.path], label: "make \(target)")
        }
        let isGo = runtime == "go1.x" || runtime.hasPrefix("provided")
        let executable = runtime == "go1.x" ? (function.handler ?? "bootstrap") : "bootstrap"
        let manager = FileManager.default
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = plan.arguments
        process.currentDirectoryURL = plan.workingDirectory
        var buildEnvironment = environment
        for (name, value) in plan.environment where name == "ARTIFACTS_DIR" || environment[name] == nil {
            buildEnvironment[name] = value
        }
        process.environment = buildEnvironment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .failure("\(function.id): cannot run \(tool): \(error.localizedDescription)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw .failure(
                "\(function.id): \(plan.label) failed (exit \(process.terminationStatus)) in "
                    + "\(plan.workingDirectory.path):\n\(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        try? Data(stamp.utf8).write(to: stampFile)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        printNote("built \(function.id) with \(plan.label) in \(String(format: "%.1f", seconds)) s")
        return plan.artifacts
    }

    /// The newest modification time (and count) of the files under `folder`, hidden folders skipped: what decides
    /// whether a build is up to date.
    static func newestSource(in folder: URL) -> String {
        let keys: [URLResourceKey] = [.contentModificationDateKey, .isRegularFileKey]
        guard
            let walker = FileManager.default.enumerator(
                at: folder, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles])
        else { return "0" }
        var newest = 0.0
        var count = 0
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else {
                continue
            }
            count += 1
            newest = max(newest, values.contentModificationDate?.timeIntervalSince1970 ?? 0)
        }
        return "\(count)@\(newest)"
    }
}

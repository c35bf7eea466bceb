import Foundation

/// The environment a function instance runs with, built from scratch (nothing is inherited from standin).
///
/// Lowest to highest precedence: the unreserved defaults (`LANG`, `PATH`, `PYTHONPATH`, `NODE_PATH`,
/// `LD_LIBRARY_PATH`, markers such as `AWS_SAM_LOCAL`), then the configuration's own variables, then Lambda's reserved
/// variables, which user variables cannot override (Lambda rejects them at deploy time).
///
/// With a debug port (``FunctionConfiguration/debugPort``), `STANDIN_DEBUG_PORT` holds it, and a `provided` bootstrap
/// also gets standin's own `DEBUGGER_ARGS` (SAM's `--debug-args` variable), so that it can start a debug server
/// itself, e.g. `gdbserver 127.0.0.1:$STANDIN_DEBUG_PORT` or `lldb-server gdbserver 127.0.0.1:$STANDIN_DEBUG_PORT`.
/// See https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html.
public enum FunctionEnvironment {
    /// Names a function's own variables can never set.
    public static let reservedNames: Set<String> = [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ",
    ]

    /// The complete environment of an instance of `configuration`.
    ///
    /// - Parameters:
    ///   - runtimeAPI: `AWS_LAMBDA_RUNTIME_API`, `127.0.0.1:PORT`.
    ///   - logStreamName: `AWS_LAMBDA_LOG_STREAM_NAME`; nil makes a new one (``makeLogStreamName(date:)``).
    ///   - runtimeDirectory: `LAMBDA_RUNTIME_DIR`, the bundled client's folder; nil: where
    ///     ``RuntimeClients/install(in:)`` puts them, `<cache>/runtime-clients/<version>`.
    public static func build(
        _ configuration: FunctionConfiguration,
        runtimeAPI: String,
        logStreamName: String? = nil,
        runtimeDirectory: URL? = nil
    ) -> [String: String] {
        let layers = configuration.layerDirectories
        var env: [String: String] = [
            "LANG": "en_US.UTF-8",
            "PATH": (layers.map { $0.appendingPathComponent("bin").path } + [configuration.hostPath])
                .filter { !$0.isEmpty }.joined(separator: ":"),
            "LD_LIBRARY_PATH":
                ([configuration.codeDirectory.appendingPathComponent("lib").path]
                + layers.map { $0.appendingPathComponent("lib").path }).joined(separator: ":"),
            "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
            "AWS_SAM_LOCAL": "true",
            "IS_LOCAL": "true",
            "AWS_LAMBDA_FUNCTION_TIMEOUT": String(Int(configuration.timeout.seconds.rounded())),
        ]
        if let home = configuration.hostEnvironment["HOME"] { env["HOME"] = home }
        let runtime = configuration.runtime
        if let version = pythonVersion(runtime), !layers.isEmpty {
            env["PYTHONPATH"] = layers.flatMap {
                [
                    $0.appendingPathComponent("python/lib/python\(version)/site-packages").path,
                    $0.appendingPathComponent("python").path,
                ]
            }.joined(separator: ":")
        }
        if runtime.hasPrefix("nodejs"), !layers.isEmpty {
            let major = nodeMajorVersion(runtime).map { "node\($0)" }
            env["NODE_PATH"] = layers.flatMap { layer in
                (major.map { [layer.appendingPathComponent("nodejs/\($0)/node_modules").path] } ?? [])
                    + [layer.appendingPathComponent("nodejs/node_modules").path]
            }.joined(separator: ":")
        }
        if runtime.hasPrefix("ruby") {
            // What `bundle install --deployment` / `sam build` vendor, and what Ruby layers hold, as Lambda's Ruby
            // runtime puts them on GEM_PATH (vendor/bundle/ruby/3.3.0, /opt/ruby/gems/3.3.0); the client puts the
            // code folder and its lib/ on the load path.
            // The trailing ":" keeps RubyGems' own folders (installed gems, the bundled `debug` gem) after them.
            env["GEM_PATH"] = ([configuration.codeDirectory.appendingPathComponent("vendor/bundle/ruby")]
                + layers.map { $0.appendingPathComponent("ruby/gems") })
                .flatMap(subfolders).joined(separator: ":") + ":"
            env["RUBYLIB"] = ([configuration.codeDirectory.appendingPathComponent("lib")]
                + layers.map { $0.appendingPathComponent("ruby/lib") }).map(\.path).joined(separator: ":")
        }
        for (name, value) in configuration.environment where !reservedNames.contains(name) {
            env[name] = value
        }
        if let port = configuration.debugPort {
            env["STANDIN_DEBUG_PORT"] = String(port)
            if runtime.hasPrefix("provided"), let arguments = configuration.hostEnvironment["DEBUGGER_ARGS"] {
                env["DEBUGGER_ARGS"] = arguments
            }
        }
        env["_HANDLER"] = configuration.handler
        env["AWS_REGION"] = configuration.region
        env["AWS_DEFAULT_REGION"] = configuration.region
        if !runtime.hasPrefix("provided") { env["AWS_EXECUTION_ENV"] = "AWS_Lambda_\(runtime)" }
        env["AWS_LAMBDA_FUNCTION_NAME"] = configuration.name
        env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = String(configuration.memorySize)
        env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
        env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand"
        env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/\(configuration.name)"
        env["AWS_LAMBDA_LOG_STREAM_NAME"] = logStreamName ?? makeLogStreamName(date: Date())
        env["AWS_LAMBDA_RUNTIME_API"] = runtimeAPI
        env["LAMBDA_TASK_ROOT"] = configuration.codeDirectory.path
        env["LAMBDA_RUNTIME_DIR"] =
            (runtimeDirectory
            ?? configuration.cacheDirectory.appendingPathComponent("runtime-clients")
            .appendingPathComponent(RuntimeClients.version)).path
        env["TZ"] = ":UTC"
        if let credentials = configuration.credentials {
            env["AWS_ACCESS_KEY_ID"] = credentials.accessKeyID
            env["AWS_ACCESS_KEY"] = credentials.accessKeyID
            env["AWS_SECRET_ACCESS_KEY"] = credentials.secretAccessKey
            if let token = credentials.sessionToken { env["AWS_SESSION_TOKEN"] = token }
        }
        return env
    }

    /// The folders in `folder`, sorted (none when it does not exist).
    static func subfolders(_ folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0).path }
    }

    /// The same as ``build(_:runtimeAPI:logStreamName:runtimeDirectory:)``, with a labelled configuration.
    public static func build(
        configuration: FunctionConfiguration,
        runtimeAPI: String,
        logStreamName: String? = nil,
        runtimeDirectory: URL? = nil
    ) -> [String: String] {
        build(configuration, runtimeAPI: runtimeAPI, logStreamName: logStreamName, runtimeDirectory: runtimeDirectory)
    }

    /// A log stream name in Lambda's form: `YYYY/MM/DD/[$LATEST]<32 hex digits>` (UTC date).
    public static func makeLogStreamName(date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let hex = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return String(format: "%04d/%02d/%02d/", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
            + "[$LATEST]" + hex
    }

    /// `3.12` for `python3.12`, nil for other runtimes.
    static func pythonVersion(_ runtime: String) -> String? {
        guard runtime.hasPrefix("python") else { return nil }
        let version = runtime.dropFirst("python".count)
        return version.isEmpty ? nil : String(version)
    }

    /// `20` for `nodejs20.x`, nil when the runtime names no major version.
    static func nodeMajorVersion(_ runtime: String) -> Int? {
        guard runtime.hasPrefix("nodejs") else { return nil }
        return Int(runtime.dropFirst("nodejs".count).prefix { $0.isNumber })
    }
}

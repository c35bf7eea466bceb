import Foundation
import LambdaRuntime
import ProjectModel

/// A loaded project plus the options of one command: finds functions and turns them into runnable configurations.
public struct Session: Sendable {
    public let options: CommonOptions
    public let project: Project
    public let envVars: EnvVarsFile?
    public let region: String
    /// `--container-env-vars`: variables for functions started under a debugger only.
    public var containerEnvVars: EnvVarsFile?

    /// Loads the project named by the options.
    /// - Throws: `StandinError` with the template's file:line:column diagnostics.
    public static func open(_ options: CommonOptions, region: String) throws(StandinError) -> Session {
        let overrides = try options.parameterOverrideValues()
        var load = ProjectLoadOptions(
            workingDirectory: options.workingDirectory,
            templatePath: options.templatePath,
            parameterOverrides: overrides,
            region: region,
            stackName: options.stackName,
            stage: options.stage,
            environment: options.environment)
        load.cacheDirectory = options.cacheDirectory.appendingPathComponent("code")
        load.regionOption = options.region
        load.params = options.serverlessParams
        load.preferBuiltTemplate = true
        let project: Project
        do {
            project = try ProjectLoader.load(load)
        } catch {
            throw .usage(error.description)
        }
        if options.templatePath == nil, project.templateURL.path.contains("/.aws-sam/build/") {
            printNote("using the built template \(displayPath(project.templateURL, options)) (from sam build)")
        }
        // A serverless.yml names its region (provider.region); an explicit --region still wins.
        let region = options.region == nil ? (project.region ?? region) : region
        var envVars = try options.envVarsFile.map { path throws(StandinError) in
            try EnvVarsFile.load(URL(fileURLWithPath: path, relativeTo: options.workingDirectory))
        }
        if let dotenv = options.dotenvFile {
            envVars = try EnvVarsFile.loadDotenv(URL(fileURLWithPath: dotenv, relativeTo: options.workingDirectory))
                .overlaid(by: envVars)
        }
        var session = Session(options: options, project: project, envVars: envVars, region: region)
        session.containerEnvVars = try options.containerEnvVarsFile.map { path throws(StandinError) in
            try EnvVarsFile.load(URL(fileURLWithPath: path, relativeTo: options.workingDirectory))
        }
        return session
    }

    /// Prints the loader's notes once, as one line each: warnings always; errors (a route or nested stack left
    /// out) only when `includingErrors` (servers, which would otherwise silently not serve them).
    public func printProjectNotes(includingErrors: Bool) {
        for note in project.notes where includingErrors || note.severity == .warning {
            printNote(note.description)
        }
    }

    /// Prints the warnings that concern `function` (its own properties, and the template as a whole), once each.
    public func printNotes(for function: FunctionSpec) {
        let own = "Resources.\(function.logicalID)."
        for note in project.notes where note.severity == .warning {
            let path = note.path ?? ""
            // Its own template's notes: about its resource, or about the template as a whole (its parameters).
            if note.file == function.location.file, path.hasPrefix(own) || !path.hasPrefix("Resources.") {
                printNote(note.description)
            }
        }
    }

    /// The function called `name`, checked to be runnable here.
    /// - Throws: `StandinError` (usage) naming the function's problem and its `file:line:col` when it cannot run.
    public func runnableFunction(_ name: String?) throws(StandinError) -> FunctionSpec {
        let function = try self.function(name)
        if let message = function.unavailableMessage { throw .usage(message) }
        return function
    }

    /// The function called `name` (its id, logical id, function name or CDK construct path); with no name, the
    /// template's only function.
    /// - Throws: `StandinError` listing the functions there are.
    public func function(_ name: String?) throws(StandinError) -> FunctionSpec {
        let file = project.templateURL.lastPathComponent
        let names = project.functions.map(\.id)
        guard let name else {
            if project.functions.count == 1 { return project.functions[0] }
            if names.isEmpty { throw .usage("\(file) defines no functions") }
            throw .usage("\(file) defines \(names.count) functions; name one: \(names.joined(separator: ", "))")
        }
        if let function = project.function(named: name) { return function }
        var message = "\(file) has no function \"\(name)\""
        if let near = nearest(name, in: names) { message += "; did you mean \"\(near)\"?" }
        message += " (functions: \(names.joined(separator: ", ")))"
        throw .usage(message)
    }

    /// The function's own variables: template < shell (declared variables only) < `--env-vars`.
    public func environment(for function: FunctionSpec) -> [String: String] {
        EnvironmentMerge.merge(
            template: function.environment,
            shell: options.environment,
            file: envVars?.variables(logicalID: function.logicalID, functionName: function.functionName) ?? [:])
            .merging(options.extraFunctionEnvironment) { $1 }
    }

    /// Everything LambdaRuntime needs to start an instance of `function`.
    /// - Parameters:
    ///   - credentials: the role's credentials (or the caller's, or none).
    ///   - accountID: the account for the invoked-function ARN.
    /// - Throws: `StandinError` for a function standin cannot run (no runtime, a zip that will not extract).
    public func configuration(
        for function: FunctionSpec,
        credentials: FunctionCredentials?,
        accountID: String
    ) throws(StandinError) -> FunctionConfiguration {
        if let message = function.unavailableMessage { throw .usage(message) }
        let location = "\(function.location.file):\(function.location.line):\(function.location.column)"
        guard let runtime = function.runtime else {
            throw .usage("\(location): Resources.\(function.logicalID): has no Runtime (container images are not supported)")
        }
        let handler = function.handler ?? ""
        var code = try directory(of: function.code, what: "\(location): Resources.\(function.logicalID) code")
        if let build = SourceBuild.plan(for: function, code: code, cacheDirectory: options.cacheDirectory) {
            code = try SourceBuild.run(build, function: function, environment: options.environment)
        }
        var layers: [URL] = []
        for layer in function.layers {
            layers.append(try directory(of: layer.code, what: "\(location): layer \(layer.logicalID)"))
        }
        var configuration = FunctionConfiguration(
            name: function.functionName,
            runtime: runtime,
            handler: handler,
            codeDirectory: code,
            layerDirectories: layers,
            timeout: .seconds(function.timeout),
            memorySize: function.memorySize,
            region: region,
            accountID: accountID,
            architecture: function.architectures.first ?? "x86_64",
            environment: environment(for: function),
            credentials: credentials,
            hostPath: options.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            cacheDirectory: options.cacheDirectory)
        configuration.instanceGroup = function.id
        configuration.hostEnvironment = options.environment
        if let port = options.debugPort,
            options.debugFunction == nil || options.debugFunction == function.logicalID
                || options.debugFunction == function.id || options.debugFunction == function.functionName
        {
            configuration.debugPort = port
            if let extra = containerEnvVars?.variables(logicalID: function.logicalID, functionName: function.functionName) {
                configuration.environment.merge(extra) { $1 }
            }
        }
        return configuration
    }

    private func directory(of code: CodeLocation, what: String) throws(StandinError) -> URL {
        switch code {
        case .directory(let url):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw .usage("\(what): folder \(url.path) does not exist")
            }
            return url
        case .zipFile(let zip):
            do {
                return try CodeArchive.extract(zip, cacheDirectory: options.cacheDirectory.appendingPathComponent("code"))
            } catch {
                throw .usage("\(what): cannot extract \(zip.path): \(error)")
            }
        }
    }
}

extension FunctionSpec {
    /// `Fn cannot run locally: template.yaml:12:7: ...`: what every command says of an unavailable function.
    var unavailableMessage: String? {
        unavailableReason.map { "\(id) cannot run locally: \($0)" }
    }
}

/// `url` relative to the working directory when it is below it.
func displayPath(_ url: URL, _ options: CommonOptions) -> String {
    displayPath(url.standardizedFileURL.path, relativeTo: options.workingDirectory)
}

/// `path` relative to `base` when it is below it, else as it is.
func displayPath(_ path: String, relativeTo base: URL) -> String {
    let prefix = base.standardizedFileURL.path + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
}

/// The closest of `candidates` to `name` by edit distance, when it is close enough to be a likely typo.
func nearest(_ name: String, in candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1]
            for (j, cb) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
    let lowered = Array(name.lowercased())
    let scored = candidates.map { ($0, distance(lowered, Array($0.lowercased()))) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, name.count / 3) else { return nil }
    return best.0
}

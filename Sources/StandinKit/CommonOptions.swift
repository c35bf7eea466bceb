import Foundation
import ProjectModel

/// The options every command that runs functions shares, as plain values (the command line fills them in).
public struct CommonOptions: Sendable {
    /// `-t/--template`: a template or serverless.yml; nil looks in the working directory.
    public var templatePath: String?
    /// The folder commands run from (the template is looked for here).
    public var workingDirectory: URL
    /// `--parameter-overrides`, as given (either form).
    public var parameterOverrides: [String]
    /// `--env-vars FILE`.
    public var envVarsFile: String?
    /// `--dotenv FILE` (SAM grammar): variables in `.env` form, under `--env-vars`'s.
    public var dotenvFile: String?
    /// `--container-env-vars FILE` (SAM grammar): variables in `--env-vars`'s format, added only to functions
    /// started under a debugger.
    public var containerEnvVarsFile: String?
    /// `--log-file FILE`: function logs go there instead of standard error.
    public var logFile: String?
    /// `--region`.
    public var region: String?
    /// `--profile`.
    public var profile: String?
    /// `--role ARN` (every function) or `--role Function=ARN` (one function), repeatable.
    public var roles: [String]
    /// `--no-assume-role`: run with the caller's own credentials.
    public var noAssumeRole: Bool
    /// `--stack-name`: the deployed stack, to find roles that CloudFormation named.
    public var stackName: String?
    /// `--mfa-code`: the code for a profile with `mfa_serial`, instead of a prompt.
    public var mfaCode: String?
    /// `--stage` for serverless.yml projects.
    public var stage: String?
    /// serverless `--param k=v` (repeatable), for `${param:k}`.
    public var serverlessParams: [String: String] = [:]
    /// Variables every function gets on top of its own (serverless `invoke local -e KEY=VAL`).
    public var extraFunctionEnvironment: [String: String] = [:]
    /// The environment standin itself was started with.
    public var environment: [String: String]
    /// `--debug-port`: start the function under its debugger, listening on this port on 127.0.0.1.
    public var debugPort: Int?
    /// `--debug-function`: which function the debugger is for (servers; nil: the only one, or every one for invoke).
    public var debugFunction: String?
    /// `--config-file`: a samconfig.toml/yaml (default: samconfig.toml, .yaml or .yml in the working directory).
    public var configFile: String?
    /// `--config-env`: the samconfig environment (default `default`).
    public var configEnvironment: String

    public init(
        workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.templatePath = nil
        self.workingDirectory = workingDirectory
        self.parameterOverrides = []
        self.envVarsFile = nil
        self.logFile = nil
        self.region = nil
        self.profile = nil
        self.roles = []
        self.noAssumeRole = false
        self.stackName = nil
        self.mfaCode = nil
        self.stage = nil
        self.environment = environment
        self.configFile = nil
        self.configEnvironment = "default"
        self.debugPort = nil
        self.debugFunction = nil
    }

    /// Fills options not given on the command line from samconfig (`command` is SAM's section name,
    /// e.g. `local_invoke`).
    /// - Throws: `StandinError` for an unreadable or malformed config file.
    /// - Returns: the values the command reads, for its own keys.
    @discardableResult
    public mutating func applySAMConfig(command: String) throws(StandinError) -> SAMConfigValues {
        guard let config = try SAMConfig.load(file: configFile, directory: configDirectory) else {
            return SAMConfigValues()
        }
        return try config.apply(to: &self, command: command, environment: configEnvironment)
    }

    /// `--parameter-overrides`, parsed: `K=V` pairs, `ParameterKey=K,ParameterValue=V`, and `file://PATH` (relative to
    /// the working directory) naming a JSON or YAML file of `{"Key": "Value"}` or CloudFormation's
    /// `[{"ParameterKey": ..., "ParameterValue": ...}]`, or a TOML file of `Key = "Value"` lines; later values win.
    /// - Throws: `StandinError` naming the option or the file.
    public func parameterOverrideValues() throws(StandinError) -> [String: String] {
        var result: [String: String] = [:]
        for argument in parameterOverrides {
            let trimmed = argument.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("file://") {
                let path = String(trimmed.dropFirst("file://".count))
                let url = URL(fileURLWithPath: path, relativeTo: workingDirectory).standardizedFileURL
                result.merge(try ParameterFile.read(url)) { $1 }
                continue
            }
            do {
                result.merge(try ParameterOverrides.parse([argument])) { $1 }
            } catch {
                throw .usage(error.description)
            }
        }
        return result
    }

    /// Where samconfig is looked for, and what a relative `--config-file` is relative to, as SAM does it: the folder
    /// of the template given with `-t` (never `.aws-sam/build`), else the working directory.
    public var configDirectory: URL {
        guard let templatePath else { return workingDirectory }
        let url = URL(fileURLWithPath: templatePath, relativeTo: workingDirectory).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return url
        }
        return url.deletingLastPathComponent()
    }

    /// Where standin caches extracted code, runtime clients and interpreter look-ups
    /// (`$XDG_CACHE_HOME/standin`, else `~/.cache/standin`).
    public var cacheDirectory: URL {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("standin", isDirectory: true)
        }
        let home = environment["HOME"] ?? NSTemporaryDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/standin", isDirectory: true)
    }
}

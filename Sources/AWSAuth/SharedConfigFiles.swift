import Foundation

/// The shared AWS config and credentials files (`~/.aws/config`, `~/.aws/credentials`), read as the AWS CLI reads
/// them.
///
/// In the config file, profiles are `[default]` and `[profile name]`; other sections are `[sso-session name]` and
/// `[services name]`; anything else is ignored. In the credentials file every section is a profile. A profile in
/// both files gets the config file's keys overridden by the credentials file's (botocore `Session.full_config`).
public struct SharedConfigFiles: Sendable {
    /// The config file path that was read (or would have been).
    public var configFile: String
    /// The credentials file path.
    public var credentialsFile: String
    /// Profiles by name, config and credentials values merged.
    public var profiles: [String: Profile]
    /// `[services name]` sections: service id to nested settings (`sts = \n endpoint_url = …`).
    public var services: [String: [String: ConfigValue]]
    /// `[sso-session name]` sections.
    public var ssoSessions: [String: [String: ConfigValue]]

    /// Reads the files named by `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, by default `~/.aws/config` and
    /// `~/.aws/credentials` under `HOME` from `environment`. Missing files count as empty.
    /// - Throws: `AWSAuthError` when a file exists but does not parse.
    public static func load(environment: [String: String]) throws(AWSAuthError) -> SharedConfigFiles {
        let configPath = expandHome(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config", environment: environment)
        let credentialsPath = expandHome(
            environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials", environment: environment)
        return try SharedConfigFiles(
            configText: readIfPresent(configPath), configFile: configPath,
            credentialsText: readIfPresent(credentialsPath), credentialsFile: credentialsPath)
    }

    /// Parses given file contents (nil: the file does not exist).
    public init(
        configText: String?, configFile: String = "~/.aws/config", credentialsText: String?,
        credentialsFile: String = "~/.aws/credentials"
    ) throws(AWSAuthError) {
        self.configFile = configFile
        self.credentialsFile = credentialsFile
        var profiles: [String: Profile] = [:]
        var services: [String: [String: ConfigValue]] = [:]
        var ssoSessions: [String: [String: ConfigValue]] = [:]
        if let configText {
            for section in try INIFile(parsing: configText, path: configFile).sections {
                if section.name.hasPrefix("profile") {
                    guard let name = Self.subsectionName(section.name) else { continue }
                    profiles[name] = Profile(name: name, values: section.values, file: configFile)
                } else if section.name.hasPrefix("sso-session") {
                    if let name = Self.subsectionName(section.name) { ssoSessions[name] = section.values }
                } else if section.name.hasPrefix("services") {
                    if let name = Self.subsectionName(section.name) { services[name] = section.values }
                } else if section.name == "default" {
                    profiles["default"] = Profile(name: "default", values: section.values, file: configFile)
                }
            }
        }
        if let credentialsText {
            for section in try INIFile(parsing: credentialsText, path: credentialsFile).sections {
                var profile = profiles[section.name] ?? Profile(name: section.name, values: [:], file: credentialsFile)
                for (key, value) in section.values {
                    profile.values[key] = value
                    profile.origins[key] = credentialsFile
                }
                profiles[section.name] = profile
            }
        }
        self.profiles = profiles
        self.services = services
        self.ssoSessions = ssoSessions
    }

    /// The profile with this name, or nil.
    public func profile(named name: String) -> Profile? { profiles[name] }

    /// The nested settings for `service` in the `[services name]` section, e.g. `["endpoint_url": "…"]`.
    public func serviceSettings(section: String, service: String) -> [String: String]? {
        guard case .section(let settings)? = services[section]?[service] else { return nil }
        return settings
    }

    /// botocore `_parse_section`: `profile name` → `name` with shell-like quoting; anything but two words is ignored.
    static func subsectionName(_ header: String) -> String? {
        guard let parts = try? ShellWords.split(header), parts.count == 2 else { return nil }
        return parts[1]
    }

    /// Replaces a leading `~` with `HOME` from the environment.
    public static func expandHome(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst()
    }

    static func readIfPresent(_ path: String) throws(AWSAuthError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .configuration("cannot read \(path): \(error.localizedDescription)")
        }
    }
}

/// One named profile: its keys (lower case) and the file each came from.
public struct Profile: Sendable, Equatable {
    /// The profile name (`default`, `dev`).
    public var name: String
    /// Keys and values, the credentials file's winning over the config file's.
    public var values: [String: ConfigValue]
    /// The file where the profile was first found (for messages).
    public var file: String
    /// Keys that came from a different file than `file`, mapped to that file.
    public var origins: [String: String] = [:]

    /// Creates a profile.
    public init(name: String, values: [String: ConfigValue], file: String) {
        self.name = name
        self.values = values
        self.file = file
    }

    /// A string value, or nil when absent or empty-nested.
    public subscript(_ key: String) -> String? {
        guard case .string(let value)? = values[key.lowercased()] else { return nil }
        return value
    }

    /// A nested section value (`s3 =` + indented lines).
    public func section(_ key: String) -> [String: String]? {
        guard case .section(let value)? = values[key.lowercased()] else { return nil }
        return value
    }

    /// The file `key` came from.
    public func file(for key: String) -> String { origins[key.lowercased()] ?? file }

    /// `profile "dev" in /home/u/.aws/config`.
    public func location(for key: String? = nil) -> String {
        "profile \"\(name)\" in \(key.map { file(for: $0) } ?? file)"
    }
}

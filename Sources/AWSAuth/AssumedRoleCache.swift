import Crypto
import Foundation

/// The AWS CLI's assumed-role credential cache: `~/.aws/cli/cache/<key>.json`, shared with the AWS CLI.
///
/// The key is botocore's `AssumeRoleCredentialFetcher._create_cache_key`: the SHA-1 hex of
/// `json.dumps(args, sort_keys=True)` (Python's default separators `, ` and `: `) over the AssumeRole arguments
/// (`RoleArn`, `RoleSessionName` unless it was generated, `ExternalId`, `SerialNumber`, `DurationSeconds`, `Policy`
/// parsed). A file holds `{"Credentials": {AccessKeyId, SecretAccessKey, SessionToken, Expiration},
/// "AssumedRoleUser": {AssumedRoleId, Arn}}`. Files are written 0600 in a 0700 folder.
public struct AssumedRoleCache: Sendable {
    /// The folder of cache files.
    public var directory: URL
    /// The AWS CLI's margin: entries are used until 15 minutes before they expire.
    public static let cliExpiryMargin: TimeInterval = 15 * 60

    /// A cache in `directory`.
    public init(directory: URL) { self.directory = directory }

    /// The AWS CLI's cache folder, `$HOME/.aws/cli/cache`.
    public init(environment: [String: String]) {
        self.directory = URL(
            fileURLWithPath: SharedConfigFiles.expandHome("~/.aws/cli/cache", environment: environment))
    }

    /// The AWS CLI's cache key for an AssumeRole call.
    /// - Parameter sessionNameIsGenerated: true when `roleSessionName` was made up (`botocore-session-<epoch>`),
    ///   which keeps it out of the key.
    public static func key(for request: AssumeRoleRequest, sessionNameIsGenerated: Bool) -> String {
        var args: [String: PythonJSON] = ["RoleArn": .string(request.roleARN)]
        if !sessionNameIsGenerated { args["RoleSessionName"] = .string(request.roleSessionName) }
        if let value = request.externalID { args["ExternalId"] = .string(value) }
        if let value = request.serialNumber { args["SerialNumber"] = .string(value) }
        if let value = request.durationSeconds { args["DurationSeconds"] = .int(value) }
        if let value = request.sourceIdentity { args["SourceIdentity"] = .string(value) }
        if let policy = request.policy {
            args["Policy"] = PythonJSON.parse(policy) ?? .string(policy)
        }
        let json = PythonJSON.object(args).serialized()
        let digest = Insecure.SHA1.hash(data: Array(json.utf8))
        return SigV4Signer.hex(Array(digest))
    }

    /// The cached result for `key`, when it exists and does not expire within `margin` seconds of `now`.
    public func get(key: String, margin: TimeInterval = cliExpiryMargin, now: Date = Date()) -> AssumeRoleResult? {
        guard let data = FileManager.default.contents(atPath: fileURL(key).path),
            let entry = try? JSONDecoder().decode(Entry.self, from: data),
            let expiration = AWSTimestamp.parse(entry.credentials.expiration),
            expiration.timeIntervalSince(now) >= margin
        else { return nil }
        return AssumeRoleResult(
            credentials: Credentials(
                accessKeyID: entry.credentials.accessKeyID, secretAccessKey: entry.credentials.secretAccessKey,
                sessionToken: entry.credentials.sessionToken, expiration: expiration),
            assumedRoleARN: entry.assumedRoleUser?.arn ?? "", assumedRoleID: entry.assumedRoleUser?.assumedRoleID ?? "")
    }

    /// Stores `result` under `key` (atomically, 0600, folder 0700).
    /// - Throws: `AWSAuthError` when the folder or file cannot be written.
    public func put(key: String, result: AssumeRoleResult) throws(AWSAuthError) {
        let entry = Entry(
            credentials: .init(
                accessKeyID: result.credentials.accessKeyID, secretAccessKey: result.credentials.secretAccessKey,
                sessionToken: result.credentials.sessionToken,
                expiration: AWSTimestamp.format(result.credentials.expiration ?? Date())),
            assumedRoleUser: .init(assumedRoleID: result.assumedRoleID, arn: result.assumedRoleARN))
        let manager = FileManager.default
        let target = fileURL(key)
        do {
            if !manager.fileExists(atPath: directory.path) {
                try manager.createDirectory(
                    at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(entry)
            let temporary = directory.appendingPathComponent(".\(key).\(UUID().uuidString).tmp")
            // Created 0600 from the start (FileManager.createFile makes it 0666 & umask, fills it, then chmods it:
            // secrets readable by others for a moment).
            let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard fd >= 0 else { throw AWSAuthError.configuration("cannot write \(temporary.path)") }
            let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard written == data.count else {
                unlink(temporary.path)
                throw AWSAuthError.configuration("cannot write \(temporary.path)")
            }
            if rename(temporary.path, target.path) != 0 {
                try? manager.removeItem(at: temporary)
                throw AWSAuthError.configuration("cannot move the cache entry to \(target.path)")
            }
        } catch let error as AWSAuthError {
            throw error
        } catch {
            throw .configuration("cannot write the credential cache \(target.path): \(error.localizedDescription)")
        }
    }

    /// Deletes the entry for `key`, if any.
    public func remove(key: String) { try? FileManager.default.removeItem(at: fileURL(key)) }

    /// `<directory>/<key>.json`.
    public func fileURL(_ key: String) -> URL { directory.appendingPathComponent("\(key).json") }

    struct Entry: Codable {
        struct CredentialsJSON: Codable {
            var accessKeyID: String
            var secretAccessKey: String
            var sessionToken: String?
            var expiration: String
            enum CodingKeys: String, CodingKey {
                case accessKeyID = "AccessKeyId"
                case secretAccessKey = "SecretAccessKey"
                case sessionToken = "SessionToken"
                case expiration = "Expiration"
            }
        }
        struct User: Codable {
            var assumedRoleID: String?
            var arn: String?
            enum CodingKeys: String, CodingKey {
                case assumedRoleID = "AssumedRoleId"
                case arn = "Arn"
            }
        }
        var credentials: CredentialsJSON
        var assumedRoleUser: User?
        enum CodingKeys: String, CodingKey {
            case credentials = "Credentials"
            case assumedRoleUser = "AssumedRoleUser"
        }
    }
}

/// A JSON value serialised exactly as Python's `json.dumps(value, sort_keys=True)` does (separators `, ` and `: `,
/// non-ASCII escaped as `\uXXXX`), for cache keys shared with the AWS CLI.
indirect enum PythonJSON: Equatable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([PythonJSON]), object([String: PythonJSON])

    static func parse(_ text: String) -> PythonJSON? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        else { return nil }
        return from(object)
    }

    private static func from(_ value: Any) -> PythonJSON {
        switch value {
        case let dictionary as [String: Any]: return .object(dictionary.mapValues(from))
        case let array as [Any]: return .array(array.map(from))
        case let string as String: return .string(string)
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            if let int = Int(exactly: number.doubleValue), !"\(number)".contains(".") { return .int(int) }
            return .double(number.doubleValue)
        default: return .null
        }
    }

    func serialized() -> String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return Self.quote(value)
        case .array(let values): return "[" + values.map { $0.serialized() }.joined(separator: ", ") + "]"
        case .object(let values):
            let keys = values.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            return "{" + keys.map { Self.quote($0) + ": " + (values[$0] ?? .null).serialized() }.joined(separator: ", ")
                + "}"
        }
    }

    private static func quote(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: out += String(format: "\\u%04x", unit)
            }
        }
        return out + "\""
    }
}

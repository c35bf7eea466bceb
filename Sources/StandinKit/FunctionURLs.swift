import APIGateway
import ProjectModel

/// A function's Lambda function URL (`FunctionUrlConfig` in SAM, `url` in serverless.yml), as `start-api` serves it:
/// every method and path of its own port goes to the function, with the function URL event (payload 2.0, route key
/// `$default`, domain `<url-id>.lambda-url.<region>.on.aws`).
///
/// In AWS each function URL has its own host name; locally each gets its own port. `AuthType: AWS_IAM` is not
/// enforced (requests are not SigV4-checked locally).
struct FunctionURL: Sendable, Equatable {
    /// The function's logical id.
    var functionLogicalID: String
    /// The URL id: 32 lower-case letters and digits, stable for a logical id.
    var urlID: String
    /// `AuthType` (`NONE` or `AWS_IAM`).
    var authType: String
    /// The URL's CORS settings, when it has `Cors`.
    var cors: CORSConfiguration?

    /// The function URLs of a project, ordered by logical id.
    static func all(in project: Project) -> [FunctionURL] {
        project.functions.compactMap { function in
            guard let config = function.functionURL, config != .null, config != .bool(false) else { return nil }
            return FunctionURL(
                functionLogicalID: function.id,
                urlID: urlID(for: function.id),
                authType: config["AuthType"]?.stringValue ?? config["authorizer"]?.stringValue ?? "NONE",
                cors: cors(config["Cors"] ?? config["cors"]))
        }
        .sorted { $0.functionLogicalID < $1.functionLogicalID }
    }

    /// The one catch-all route of this URL's server.
    var route: APIRoute {
        APIRoute(
            method: "ANY", path: "$default", kind: .functionURL, functionLogicalID: functionLogicalID, apiID: urlID,
            stage: "$default", cors: cors)
    }

    /// A stable 32-character id (FNV-1a of the logical id, as lower-case hex), like AWS's random URL ids.
    static func urlID(for logicalID: String) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x84222325cbf29ce4
        for byte in logicalID.utf8 {
            first = (first ^ UInt64(byte)) &* 0x100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x100_0000_01b3 &+ 1
        }
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(first) + hex(second)
    }

    /// `Cors` of a `FunctionUrlConfig` (`AllowOrigins`, `AllowMethods`, `AllowHeaders`, `ExposeHeaders`, `MaxAge`,
    /// `AllowCredentials`); serverless `cors: true` allows any origin.
    static func cors(_ value: JSONValue?) -> CORSConfiguration? {
        guard let value, value != .null, value != .bool(false) else { return nil }
        if value == .bool(true) {
            return CORSConfiguration(allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"])
        }
        func list(_ keys: String...) -> [String]? {
            for key in keys {
                if let array = value[key]?.arrayValue { return array.compactMap(\.scalarString) }
                if let single = value[key]?.scalarString { return [single] }
            }
            return nil
        }
        let maxAge = (value["MaxAge"] ?? value["maxAge"])?.scalarString.flatMap { Int($0) }
        let credentials = (value["AllowCredentials"] ?? value["allowCredentials"])?.scalarString == "true"
        return CORSConfiguration(
            allowOrigins: list("AllowOrigins", "allowedOrigins") ?? ["*"],
            allowMethods: list("AllowMethods", "allowedMethods") ?? ["*"],
            allowHeaders: list("AllowHeaders", "allowedHeaders") ?? [],
            exposeHeaders: list("ExposeHeaders", "exposedResponseHeaders") ?? [],
            maxAge: maxAge,
            allowCredentials: credentials)
    }
}

import ProjectModel

/// Which IAM role a function should run under, before anything is looked up in AWS.
///
/// First match wins: `--role Function=ARN`, `--role ARN`, the template's `Role`, SAM's implicit role in the
/// deployed stack (`--stack-name`), serverless.yml's role names.
public enum RoleTarget: Sendable, Equatable {
    /// A role ARN known already.
    case arn(String, source: String)
    /// A role name; the ARN needs the caller's account id.
    case name(String, source: String)
    /// A role that CloudFormation named: look up `logicalID`'s physical id in `stackName`.
    case stackResource(logicalID: String, stackName: String, source: String)
    /// No role could be found; `reason` says why and how to give the function one.
    case none(reason: String)

    /// Where the choice came from, for messages (`"--role"`, `"template Role"`, ...).
    public var source: String {
        switch self {
        case .arn(_, let source), .name(_, let source), .stackResource(_, _, let source): source
        case .none: "none"
        }
    }
}

/// The `--role` flags: one ARN for every function, and/or `Function=ARN` for one function.
public struct RoleFlags: Sendable, Equatable {
    public var forAll: String?
    public var perFunction: [String: String]

    /// Parses the repeated `--role` values.
    /// - Throws: `StandinError` for two global roles, or a value that is not an ARN or `Function=ARN`.
    public init(_ values: [String]) throws(StandinError) {
        forAll = nil
        perFunction = [:]
        for value in values {
            if value.hasPrefix("arn:") {
                if let existing = forAll, existing != value {
                    throw .usage("--role: two roles for every function (\(existing) and \(value)); use --role Function=ARN")
                }
                forAll = value
            } else if let equals = value.firstIndex(of: "="), value[value.index(after: equals)...].hasPrefix("arn:") {
                perFunction[String(value[..<equals])] = String(value[value.index(after: equals)...])
            } else {
                throw .usage("--role \(value): expected a role ARN (arn:aws:iam::123456789012:role/name) or Function=ARN")
            }
        }
    }

    /// The flag's role for a function, by logical id or function name.
    public func role(for function: FunctionSpec) -> String? {
        perFunction[function.logicalID] ?? perFunction[function.functionName] ?? forAll
    }
}

extension RoleTarget {
    /// Chooses the role for `function` from the flags and the template (no network).
    /// - Parameters:
    ///   - flags: the `--role` values.
    ///   - stackName: `--stack-name` (or samconfig's `stack_name`), for roles that CloudFormation named.
    public static func select(for function: FunctionSpec, flags: RoleFlags, stackName: String?) -> RoleTarget {
        if let arn = flags.role(for: function) { return .arn(arn, source: "--role") }
        let howTo =
            "give it one with --role ARN, a Role in the template, or --stack-name to use the role of the deployed stack"
        switch function.role {
        case .arn(let arn):
            return .arn(arn, source: "template Role")
        case .name(let name):
            return .name(name, source: "role name in the template")
        case .templateRole(let logicalID, let roleName):
            if let roleName { return .name(roleName, source: "template role \(logicalID)") }
            if let stackName {
                return .stackResource(logicalID: logicalID, stackName: stackName, source: "template role \(logicalID)")
            }
            return .none(
                reason: "\(function.logicalID)'s role \(logicalID) has no RoleName, so its name is chosen by "
                    + "CloudFormation; pass --stack-name to look it up, or --role ARN")
        case .implicitSAMRole(let logicalID):
            let roleLogicalID = "\(logicalID)Role"
            if let stackName {
                return .stackResource(
                    logicalID: roleLogicalID, stackName: stackName, source: "SAM's generated role \(roleLogicalID)")
            }
            return .none(reason: "\(function.logicalID) has no Role; \(howTo)")
        case nil:
            return .none(reason: "\(function.logicalID) has no role; \(howTo)")
        }
    }
}

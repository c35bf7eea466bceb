import Foundation

/// One Lambda function of a project, with Globals merged and intrinsics resolved.
public struct FunctionSpec: Sendable {
    /// The resource's logical id (serverless: the function key).
    public var logicalID: String
    /// `FunctionName` when set, else the logical id (serverless: service-stage-fn).
    public var functionName: String
    /// The runtime; nil for image functions.
    public var runtime: String?
    /// The handler; nil for image functions.
    public var handler: String?
    /// Where the code is (absolute).
    public var code: CodeLocation
    /// Seconds; default 3.
    public var timeout: Int
    /// MB; default 128.
    public var memorySize: Int
    /// `Environment.Variables`, values stringified the way CloudFormation does.
    public var environment: [String: String]
    /// The execution role; nil when none is given on a plain `AWS::Lambda::Function` (never for SAM functions).
    public var role: RoleReference?
    /// SAM `Policies`, resolved.
    public var policies: JSONValue?
    /// `Events`, in template order.
    public var events: [EventSpec]
    /// Layers from this template with local content, in order.
    public var layers: [LayerSpec]
    /// Layer ARNs that point outside the template (not available locally).
    public var remoteLayers: [String]
    /// `Architectures`; default ["x86_64"].
    public var architectures: [String]
    /// `FunctionUrlConfig`, resolved.
    public var functionURL: JSONValue?
    /// "Zip" or "Image".
    public var packageType: String
    /// `ImageUri` / `Code.ImageUri` for image functions.
    public var imageURI: String?
    /// The resource type, e.g. `AWS::Serverless::Function`.
    public var resourceType: String
    /// The resource's position in the template.
    public var location: SourceLocation
    /// The nested stacks that hold the function, outermost first, joined with "/" (`ChildApp/Grandchild`); empty for
    /// the top template's functions.
    public var stackPath: String = ""
    /// `Metadata.BuildMethod` (`go1.x`, `makefile`, `java17`...): how `sam build` builds the code from source.
    public var buildMethod: String?
    /// CDK: the construct path from `Metadata.aws:cdk:path`, without its last `/Resource` (`MyStack/Hello`).
    public var cdkPath: String?
    /// What is wrong with the function (code on S3, a folder not built yet, no handler, a runtime standin does not
    /// run, a value of the wrong type...), in template order; empty when it can run. The rest of the project still
    /// loads and runs: only this function is unavailable.
    public var problems: [ProjectError] = []

    /// Why the function cannot run locally (its first problem), when it cannot.
    public var unavailableReason: ProjectError? { problems.first }

    /// The function's id within the project: `stackPath/logicalID` (SAM's full path of a nested function), or the
    /// logical id at the top level. Unique, unlike logical ids and function names across nested stacks.
    public var id: String { stackPath.isEmpty ? logicalID : "\(stackPath)/\(logicalID)" }

    /// True when the function can run locally.
    public var isAvailable: Bool { unavailableReason == nil }

    /// Creates a function spec; everything but the identity, code and location has Lambda's defaults.
    public init(
        logicalID: String,
        functionName: String? = nil,
        runtime: String?,
        handler: String?,
        code: CodeLocation,
        timeout: Int = 3,
        memorySize: Int = 128,
        environment: [String: String] = [:],
        role: RoleReference? = nil,
        policies: JSONValue? = nil,
        events: [EventSpec] = [],
        layers: [LayerSpec] = [],
        remoteLayers: [String] = [],
        architectures: [String] = ["x86_64"],
        functionURL: JSONValue? = nil,
        packageType: String = "Zip",
        imageURI: String? = nil,
        resourceType: String = "AWS::Serverless::Function",
        location: SourceLocation
    ) {
        self.logicalID = logicalID
        self.functionName = functionName ?? logicalID
        self.runtime = runtime
        self.handler = handler
        self.code = code
        self.timeout = timeout
        self.memorySize = memorySize
        self.environment = environment
        self.role = role
        self.policies = policies
        self.events = events
        self.layers = layers
        self.remoteLayers = remoteLayers
        self.architectures = architectures
        self.functionURL = functionURL
        self.packageType = packageType
        self.imageURI = imageURI
        self.resourceType = resourceType
        self.location = location
    }
}

/// Where a function's or layer's code is on disk.
public enum CodeLocation: Sendable, Equatable, CustomStringConvertible {
    /// A folder (absolute).
    case directory(URL)
    /// A zip (or jar) archive (absolute); extract it with `CodeArchive.extract`.
    case zipFile(URL)

    /// The file URL, whichever kind.
    public var url: URL {
        switch self {
        case .directory(let url), .zipFile(let url): return url
        }
    }

    /// The path, with " (zip)" after archives.
    public var description: String {
        switch self {
        case .directory(let url): return url.path
        case .zipFile(let url): return "\(url.path) (zip)"
        }
    }
}

/// A layer defined in the template with local content.
public struct LayerSpec: Sendable, Equatable {
    /// The layer resource's logical id.
    public var logicalID: String
    /// Its content: what `/opt` would hold (a folder, or a zip to extract).
    public var code: CodeLocation

    /// Creates a layer spec.
    public init(logicalID: String, code: CodeLocation) {
        self.logicalID = logicalID
        self.code = code
    }
}

/// Which IAM role a function runs under.
public enum RoleReference: Sendable, Equatable, CustomStringConvertible {
    /// A literal ARN (or a resolved `Sub`).
    case arn(String)
    /// `!GetAtt R.Arn` / `!Ref R` of an `AWS::IAM::Role` in the template; `roleName` is its `RoleName` when set.
    case templateRole(logicalID: String, roleName: String?)
    /// No `Role` on a SAM function: SAM creates a role with logical id `<Function>Role`. `logicalID` is the
    /// *function's* logical id (e.g. "Hello" for the role "HelloRole"); see `stackLogicalResourceID`.
    case implicitSAMRole(logicalID: String)
    /// A role name (serverless, or a non-ARN `Role`): `arn:aws:iam::<account>:role/<name>`.
    case name(String)

    /// A one-line description for listings.
    public var description: String {
        switch self {
        case .arn(let arn): return arn
        case .templateRole(let logicalID, let roleName):
            if let roleName { return "template role \(logicalID) (RoleName \(roleName))" }
            return "template role \(logicalID)"
        case .implicitSAMRole(let logicalID): return "SAM implicit role \(logicalID)Role"
        case .name(let name): return "role \(name)"
        }
    }

    /// The logical id to look up in a deployed stack (`DescribeStackResource`): the template role's, or SAM's
    /// implicit `<Function>Role`; nil for ARNs and names.
    public var stackLogicalResourceID: String? {
        switch self {
        case .templateRole(let logicalID, _): return logicalID
        case .implicitSAMRole(let functionLogicalID): return functionLogicalID + "Role"
        case .arn, .name: return nil
        }
    }

    /// The ARN when it can be known from the template alone (not for implicit roles or unnamed template roles).
    public func arn(accountID: String, partition: String = "aws") -> String? {
        switch self {
        case .arn(let arn): return arn
        case .templateRole(_, let roleName?), .name(let roleName):
            return "arn:\(partition):iam::\(accountID):role/\(roleName)"
        case .templateRole, .implicitSAMRole: return nil
        }
    }
}

/// One entry of a function's `Events`.
public struct EventSpec: Sendable, Equatable {
    /// The event's key.
    public var name: String
    /// `Type`, e.g. "Api", "HttpApi", "SQS", "Schedule".
    public var type: String
    /// `Properties`, resolved.
    public var properties: JSONValue

    /// Creates an event spec.
    public init(name: String, type: String, properties: JSONValue) {
        self.name = name
        self.type = type
        self.properties = properties
    }
}

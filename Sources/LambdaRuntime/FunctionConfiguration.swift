import Foundation

/// Everything needed to start instances of one Lambda function locally.
///
/// Two configurations are "the same function" for warm reuse when they are equal (see ``InstancePool``).
public struct FunctionConfiguration: Sendable, Hashable {
    /// The function name (`AWS_LAMBDA_FUNCTION_NAME`).
    public var name: String
    /// Which function of the project this is, for ``InstancePool`` (its instance limit, hot reload, and retiring
    /// instances of earlier configurations); default: `name`. Two functions may share a name (nested stacks), never
    /// a group.
    public var instanceGroup: String
    /// The Lambda runtime identifier: `python3.x`, `nodejs*`, `provided`, `provided.al2`, `provided.al2023`.
    public var runtime: String
    /// The handler string (`_HANDLER`), e.g. `app.handler`.
    public var handler: String
    /// The unpacked code (`LAMBDA_TASK_ROOT`); the child's working directory.
    public var codeDirectory: URL
    /// The unpacked layers, in template order; each is what `/opt` would hold.
    public var layerDirectories: [URL]
    /// The function timeout; past it the instance is killed.
    public var timeout: Duration
    /// The memory size in MB (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, the REPORT line).
    public var memorySize: Int
    /// The region (`AWS_REGION`, `AWS_DEFAULT_REGION`, the function ARN).
    public var region: String
    /// The account id used in the invoked-function ARN.
    public var accountID: String
    /// The architecture (`x86_64` or `arm64`); informational locally.
    public var architecture: String
    /// The function's own variables, already merged by the caller; reserved names are ignored.
    public var environment: [String: String]
    /// The role credentials given to the function, if any.
    public var credentials: FunctionCredentials?
    /// The `PATH` given to the child, and where interpreters are looked up.
    public var hostPath: String
    /// standin's own environment. Never inherited by the child: only `HOME` is taken from it (interpreters and version
    /// managers want one), and interpreter look-ups (version-manager shims) run with it.
    public var hostEnvironment: [String: String]
    /// Where bundled runtime clients and interpreter look-ups are cached (StandinKit: `~/.cache/standin`).
    public var cacheDirectory: URL
    /// The debugger port (`--debug-port`): the instance starts under its runtime's debugger on 127.0.0.1:PORT and
    /// its timeouts are suspended.
    public var debugPort: Int?

    /// The invoked-function ARN: `arn:aws:lambda:<region>:<account>:function:<name>`.
    public var functionARN: String { "arn:aws:lambda:\(region):\(accountID):function:\(name)" }

    /// Creates a configuration; defaults follow Lambda's (3 s, 128 MB, x86_64).
    public init(
        name: String,
        runtime: String,
        handler: String,
        codeDirectory: URL,
        layerDirectories: [URL] = [],
        timeout: Duration = .seconds(3),
        memorySize: Int = 128,
        region: String = "us-east-1",
        accountID: String = "123456789012",
        architecture: String = "x86_64",
        environment: [String: String] = [:],
        credentials: FunctionCredentials? = nil,
        hostPath: String = "/usr/local/bin:/usr/bin:/bin",
        hostEnvironment: [String: String] = [:],
        cacheDirectory: URL,
        debugPort: Int? = nil
    ) {
        self.name = name
        self.instanceGroup = name
        self.runtime = runtime
        self.handler = handler
        self.codeDirectory = codeDirectory
        self.layerDirectories = layerDirectories
        self.timeout = timeout
        self.memorySize = memorySize
        self.region = region
        self.accountID = accountID
        self.architecture = architecture
        self.environment = environment
        self.credentials = credentials
        self.hostPath = hostPath
        self.hostEnvironment = hostEnvironment
        self.cacheDirectory = cacheDirectory
        self.debugPort = debugPort
    }
}

/// Temporary credentials handed to a function (normally its role's).
public struct FunctionCredentials: Sendable, Hashable {
    /// `AWS_ACCESS_KEY_ID` (also `AWS_ACCESS_KEY`).
    public var accessKeyID: String
    /// `AWS_SECRET_ACCESS_KEY`.
    public var secretAccessKey: String
    /// `AWS_SESSION_TOKEN`, when the credentials are temporary.
    public var sessionToken: String?

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

import Foundation

/// The kind of project file a `Project` was read from.
public enum ProjectFormat: String, Sendable, Equatable {
    /// A SAM or plain CloudFormation template (YAML or JSON).
    case sam
    /// A Serverless Framework `serverless.yml`.
    case serverless
}

/// A loaded project: its functions and API routes, with every intrinsic function resolved.
public struct Project: Sendable {
    /// The template file.
    public var templateURL: URL
    /// SAM/CloudFormation or serverless.yml.
    public var format: ProjectFormat
    /// The functions, in template order.
    public var functions: [FunctionSpec]
    /// Every API route (SAM `Api` / `HttpApi` events; serverless `http` / `httpApi`).
    public var routes: [Route]
    /// Resolved parameter values (defaults and overrides) of the parameters that have one.
    public var parameters: [String: String]
    /// serverless `service`.
    public var serviceName: String?
    /// serverless: the stage the names and variables were resolved for (`--stage`, `provider.stage`, "dev").
    public var stage: String?
    /// serverless: the region the functions are deployed in (`provider.region`, else the load options' region);
    /// nil for SAM templates, whose region is the caller's.
    public var region: String?

    /// Creates a project.
    public init(
        templateURL: URL,
        format: ProjectFormat,
        functions: [FunctionSpec],
        routes: [Route],
        parameters: [String: String],
        serviceName: String? = nil,
        stage: String? = nil,
        region: String? = nil
    ) {
        self.templateURL = templateURL
        self.format = format
        self.functions = functions
        self.routes = routes
        self.parameters = parameters
        self.serviceName = serviceName
        self.stage = stage
        self.region = region
    }

    /// The function with this logical id, or else with this `FunctionName`.
    public func function(named name: String) -> FunctionSpec? {
        functions.first { $0.logicalID == name } ?? functions.first { $0.functionName == name }
    }
}

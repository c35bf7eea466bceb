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
    /// What the loader noticed beyond the functions' own problems: warnings that stop nothing (an unknown
    /// `--parameter-overrides` name, a parameter without a value, a nested stack that is not local) and errors that
    /// left a route, API or nested stack out. Commands print them once; `validate` reports them.
    public var notes: [Diagnostic] = []
    /// Every file the project was read from: the template, nested stacks' templates, OpenAPI definitions and
    /// included files (what a server watches to reload the project).
    public var sourceFiles: [URL] = []
    /// The parsed template of each stack, by stack path ("" for the top one), for `validate`'s locations.
    var stackTemplates: [String: TemplateNode] = [:]

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

    /// Adds a nested stack's functions, routes and notes (their ids already carry the nested stack's path).
    mutating func include(_ child: Project) {
        functions += child.functions
        routes += child.routes
        notes += child.notes
        sourceFiles += child.sourceFiles
        stackTemplates.merge(child.stackTemplates) { current, _ in current }
    }

    /// The function called `name`: its id (`Child/Function` for nested stacks), else a logical id that only one
    /// function has, else its `FunctionName`, else its CDK construct path (`Stack/Construct`, with or without
    /// `/Resource`), else the CDK construct id (`Construct`, as SAM names CDK functions) when only one function has it.
    public func function(named name: String) -> FunctionSpec? {
        if let function = functions.first(where: { $0.id == name }) { return function }
        let byLogicalID = functions.filter { $0.logicalID == name }
        if byLogicalID.count == 1 { return byLogicalID[0] }
        if let function = byLogicalID.first(where: { $0.stackPath.isEmpty }) { return function }
        if let function = functions.first(where: { $0.functionName == name }) { return function }
        let construct = name.hasSuffix("/Resource") ? String(name.dropLast("/Resource".count)) : name
        if let function = functions.first(where: { $0.cdkPath == construct }) { return function }
        // SAM's id for a CDK function: the construct's own id, the last part of its path.
        let byConstructID = functions.filter { $0.cdkPath?.split(separator: "/").last.map(String.init) == name }
        return byConstructID.count == 1 ? byConstructID[0] : nil
    }
}

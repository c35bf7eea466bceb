import Foundation

/// What `ProjectLoader.load` needs: where to look, and the values of parameters and pseudo-parameters.
public struct ProjectLoadOptions: Sendable {
    /// `-t`: a template file or a folder holding one, relative to `workingDirectory`; nil: look in
    /// `workingDirectory` for template.yaml, template.yml, template.json, serverless.yml, serverless.yaml.
    public var templatePath: String?
    /// The folder diagnostics are relative to, and where the template is looked for.
    public var workingDirectory: URL
    /// `--parameter-overrides`, already parsed (see `ParameterOverrides.parse`).
    public var parameterOverrides: [String: String]
    /// `AWS::Region`; serverless.yml: `${opt:region}`, and the region when `provider.region` is not set.
    public var region: String
    /// serverless.yml: the region given explicitly on the command line (`--region`): `${opt:region}`, and it wins
    /// over `provider.region`, as with the framework; nil when not given.
    public var regionOption: String?
    /// `AWS::AccountId`.
    public var accountID: String
    /// `AWS::StackName` (nil: "standin").
    public var stackName: String?
    /// serverless `--stage` (`${opt:stage}`); nil: `provider.stage`, else "dev".
    public var stage: String?
    /// serverless `--param k=v` values, for `${param:k}`.
    public var params: [String: String] = [:]
    /// serverless `${env:X}` values (pass the shell's environment; libraries never read it themselves).
    public var environment: [String: String]
    /// When no `templatePath` is given, use `.aws-sam/build/template.yaml` if it exists (what `sam local` does
    /// after `sam build`); default false.
    public var preferBuiltTemplate: Bool = false
    /// Where inline code (`InlineCode`, `Code.ZipFile`) is written; nil: a folder under the temporary directory.
    public var cacheDirectory: URL?

    /// Creates options; only the working directory is required.
    public init(
        workingDirectory: URL,
        templatePath: String? = nil,
        parameterOverrides: [String: String] = [:],
        region: String = "us-east-1",
        accountID: String = "123456789012",
        stackName: String? = nil,
        stage: String? = nil,
        environment: [String: String] = [:],
        cacheDirectory: URL? = nil
    ) {
        self.workingDirectory = workingDirectory
        self.templatePath = templatePath
        self.parameterOverrides = parameterOverrides
        self.region = region
        self.accountID = accountID
        self.stackName = stackName
        self.stage = stage
        self.environment = environment
        self.cacheDirectory = cacheDirectory
    }
}

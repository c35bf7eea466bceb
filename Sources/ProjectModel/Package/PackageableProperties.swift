/// How one resource property refers to a local artifact that `package` uploads, and what it refers to afterwards:
/// the table `sam package` works from (samcli/lib/package/packageable_resources.py), for ZIP artifacts.
public struct PackageableProperty: Sendable {
    /// The property's path under `Properties` (`CodeUri`, `Command.ScriptLocation`).
    public var path: String
    /// How the uploaded object is written back.
    public var form: ArtifactReference
    /// Lambda code and layers: a single file that is not a zip already is zipped too (a folder always is), and
    /// every file in the zip is made world-readable.
    public var forceZip: Bool
    /// When the property is absent, the template's own folder is packaged (SAM's `PACKAGE_NULL_PROPERTY`).
    public var packagesMissing: Bool
    /// The file is a CloudFormation template, packaged itself before it is uploaded (nested stacks).
    public var isTemplate: Bool

    init(
        _ path: String, _ form: ArtifactReference, forceZip: Bool = false, packagesMissing: Bool = false,
        isTemplate: Bool = false
    ) {
        self.path = path
        self.form = form
        self.forceZip = forceZip
        self.packagesMissing = packagesMissing
        self.isTemplate = isTemplate
    }

    /// The packageable properties of each resource type.
    public static let byResourceType: [String: [PackageableProperty]] = [
        "AWS::Serverless::Function": [.init("CodeUri", .s3URI, forceZip: true, packagesMissing: true)],
        "AWS::Serverless::LayerVersion": [.init("ContentUri", .s3URI, forceZip: true, packagesMissing: true)],
        "AWS::Serverless::Api": [.init("DefinitionUri", .s3URI)],
        "AWS::Serverless::HttpApi": [.init("DefinitionUri", .s3URI)],
        "AWS::Serverless::StateMachine": [
            .init("DefinitionUri", .bucketKey(bucket: "Bucket", key: "Key", version: "Version"))
        ],
        "AWS::Serverless::GraphQLApi": [.init("SchemaUri", .s3URI)],
        "AWS::Serverless::Application": [.init("Location", .httpsURL, isTemplate: true)],
        "AWS::Lambda::Function": [
            .init("Code", .bucketKey(bucket: "S3Bucket", key: "S3Key", version: "S3ObjectVersion"), forceZip: true,
                  packagesMissing: true)
        ],
        "AWS::Lambda::LayerVersion": [
            .init("Content", .bucketKey(bucket: "S3Bucket", key: "S3Key", version: "S3ObjectVersion"), forceZip: true,
                  packagesMissing: true)
        ],
        "AWS::ApiGateway::RestApi": [.init("BodyS3Location", .bucketKey(bucket: "Bucket", key: "Key", version: "Version"))],
        "AWS::ApiGatewayV2::Api": [.init("BodyS3Location", .bucketKey(bucket: "Bucket", key: "Key", version: "Version"))],
        "AWS::StepFunctions::StateMachine": [
            .init("DefinitionS3Location", .bucketKey(bucket: "Bucket", key: "Key", version: "Version"))
        ],
        "AWS::AppSync::GraphQLSchema": [.init("DefinitionS3Location", .s3URI)],
        "AWS::AppSync::Resolver": [
            .init("RequestMappingTemplateS3Location", .s3URI), .init("ResponseMappingTemplateS3Location", .s3URI),
            .init("CodeS3Location", .s3URI),
        ],
        "AWS::AppSync::FunctionConfiguration": [
            .init("RequestMappingTemplateS3Location", .s3URI), .init("ResponseMappingTemplateS3Location", .s3URI),
            .init("CodeS3Location", .s3URI),
        ],
        "AWS::ElasticBeanstalk::ApplicationVersion": [
            .init("SourceBundle", .bucketKey(bucket: "S3Bucket", key: "S3Key", version: nil), packagesMissing: true)
        ],
        "AWS::Glue::Job": [.init("Command.ScriptLocation", .s3URI, packagesMissing: true)],
        "AWS::CloudFormation::Stack": [.init("TemplateURL", .httpsURL, isTemplate: true)],
        "AWS::CloudFormation::ModuleVersion": [.init("ModulePackage", .s3URI, packagesMissing: true)],
        "AWS::CloudFormation::ResourceVersion": [.init("SchemaHandlerPackage", .s3URI, packagesMissing: true)],
        "AWS::CloudFormation::StackSet": [.init("TemplateURL", .httpsURL)],
    ]
}

/// How a template refers to an uploaded object.
public enum ArtifactReference: Sendable, Equatable {
    /// `s3://bucket/key`.
    case s3URI
    /// A map of bucket, key and (when the object has one) version, under these property names.
    case bucketKey(bucket: String, key: String, version: String?)
    /// `https://s3.<region>.amazonaws.com/bucket/key` (nested stack templates).
    case httpsURL
}

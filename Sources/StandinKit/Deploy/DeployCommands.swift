import AWSAuth
import AsyncHTTPClient
import Foundation
import ProjectModel

/// `standin package` and `standin deploy` from the command line's options: the template, the caller's
/// credentials and the clients, wired to `Packager` and `Deployer`.
public enum DeployCommands {
    /// The template `package` and `deploy` read: `-t`, else `.aws-sam/build/template.yaml` (after `sam build`),
    /// else `template.yaml` in the working directory (or a CDK app's synthesized stack).
    /// - Throws: `StandinError` when there is none, or it is a serverless.yml.
    public static func template(_ options: CommonOptions) throws(StandinError) -> URL {
        var load = ProjectLoadOptions(workingDirectory: options.workingDirectory, templatePath: options.templatePath)
        load.preferBuiltTemplate = true
        let url: URL
        do {
            url = try ProjectLoader.templateURL(load)
        } catch {
            throw .usage(error.description)
        }
        if url.lastPathComponent.hasPrefix("serverless.") {
            throw .usage(
                "\(url.lastPathComponent): package and deploy take a SAM or CloudFormation template; a serverless.yml"
                    + " project deploys with the Serverless Framework (serverless deploy)")
        }
        return url
    }

    /// The caller's context and an S3 client for it.
    static func clients(_ options: CommonOptions) async throws(StandinError) -> (AWSContext, S3Client) {
        let context = try await IdentityBroker(options: options).callerContext()
        let s3 = S3Client(
            credentials: context.credentials, region: context.region, endpoint: context.endpoint(for: .s3),
            httpClient: .shared)
        return (context, s3)
    }

    /// Packages the template and returns its packaged text.
    public static func package(options: CommonOptions, package: PackageOptions) async throws(StandinError) -> String {
        let template = try template(options)
        let (_, s3) = try await clients(options)
        let packager = Packager(s3: s3, options: package, workingDirectory: options.workingDirectory)
        let text = try await packager.package(template: template)
        let (uploaded, skipped) = await (packager.uploadedCount, packager.skippedCount)
        printNote("\(uploaded) artifact\(uploaded == 1 ? "" : "s") uploaded, \(skipped) already in s3://\(package.bucket)")
        return text
    }

    /// Deploys the template; the change set table, the events and the outputs go to `write`.
    public static func deploy(
        options: CommonOptions, deploy: DeployOptions, write: @escaping @Sendable (String) -> Void,
        confirm: @escaping @Sendable (String) -> Bool
    ) async throws(StandinError) -> DeployOutcome {
        let template = try template(options)
        let (context, s3) = try await clients(options)
        let cloudFormation = CloudFormationClient(
            credentials: context.credentials, region: context.region, endpoint: context.endpoint(for: .cloudFormation),
            httpClient: .shared, timeout: .seconds(60))
        let deployer = Deployer(
            cloudFormation: cloudFormation, s3: s3, workingDirectory: options.workingDirectory, write: write,
            confirm: confirm)
        printNote("deploying \(deployer.display(template)) to stack \(deploy.stackName) in \(context.region)")
        return try await deployer.deploy(template: template, options: deploy)
    }

    /// `--tags` (or samconfig's `tags`): `Key=Value` entries, quoted as `--parameter-overrides`, in the order given.
    /// - Throws: `StandinError.usage` for an entry that is not `Key=Value`.
    public static func tags(_ words: [String]) throws(StandinError) -> [(key: String, value: String)] {
        do {
            return try ParameterOverrides.pairs(words, option: "--tags")
        } catch {
            throw .usage(error.description)
        }
    }

    /// The template's parameters and their defaults (for `deploy --guided`'s questions).
    public static func parameterDefaults(_ template: URL) -> [(name: String, defaultValue: String?)] {
        guard let plan = try? PackagingPlan(file: template) else { return [] }
        return plan.parameterNames.map { ($0, plan.parameterDefaults[$0]) }
    }
}

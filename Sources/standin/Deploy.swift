import ArgumentParser
import Foundation
import StandinKit

/// Flags `package` and `deploy` share: SAM's spellings.
struct ArtifactFlags: ParsableArguments {
    @Option(
        name: [.customShort("t"), .customLong("template-file"), .customLong("template")],
        help: "The template (default: .aws-sam/build/template.yaml after sam build, else template.yaml).")
    var templateFile: String?

    @Option(name: .customLong("s3-bucket"), help: "The bucket the artifacts are uploaded to.")
    var s3Bucket: String?

    @Option(name: .customLong("s3-prefix"), help: "A prefix for the objects' keys.")
    var s3Prefix: String?

    @Option(name: .customLong("kms-key-id"), help: "Encrypt the objects with this KMS key (SSE-KMS; default SSE-S3).")
    var kmsKeyID: String?

    @Flag(name: .customLong("force-upload"), help: "Upload even the artifacts that are in the bucket already.")
    var forceUpload = false

    @Flag(name: .customLong("no-progressbar"), help: .hidden) var noProgressbar = false

    @Option(name: .long, help: "The AWS region (as the AWS CLI).") var region: String?
    @Option(name: .long, help: "The AWS profile (as the AWS CLI).") var profile: String?
    @Option(name: .customLong("config-file"), help: "samconfig file (relative to the template's folder).")
    var configFile: String?
    @Option(name: .customLong("config-env"), help: "samconfig environment.") var configEnv = "default"

    /// The common options, with samconfig's `[env.<section>.parameters]` filling what the command line left out.
    func options(section: String) throws -> (CommonOptions, SAMConfigValues) {
        var options = CommonOptions()
        options.templatePath = templateFile
        options.region = region
        options.profile = profile
        options.configFile = configFile
        options.configEnvironment = configEnv
        do {
            let values = try options.applySAMConfig(command: section)
            return (options, values)
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(error.exitStatus)
        }
    }

    /// Bucket, prefix, key and `--force-upload` (flags first, then samconfig); nil without a bucket.
    func packageOptions(_ values: SAMConfigValues, defaultPrefix: String? = nil) -> PackageOptions? {
        guard let bucket = s3Bucket ?? values.text("s3_bucket"), !bucket.isEmpty else { return nil }
        return PackageOptions(
            bucket: bucket, prefix: s3Prefix ?? values.text("s3_prefix") ?? defaultPrefix,
            kmsKeyID: kmsKeyID ?? values.text("kms_key_id"), forceUpload: forceUpload || values.flag("force_upload"))
    }
}

struct Package: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package",
        abstract: "Upload the template's local code and files to S3 and write the template that points at them.",
        discussion: """
            As sam package: every local CodeUri, ContentUri, Code, DefinitionUri, AWS::Include Location, nested \
            stack and layer is zipped (folders, deterministically) and uploaded once, named by its content's MD5. \
            The packaged template keeps the input's format, comments and short-form tags. samconfig section: package.
            """)

    @OptionGroup var flags: ArtifactFlags

    @Option(name: .customLong("output-template-file"), help: "Write the packaged template here (default: standard output).")
    var outputTemplateFile: String?

    func run() async throws {
        let (options, values) = try flags.options(section: "package")
        guard let package = flags.packageOptions(values) else {
            throw ValidationError("give --s3-bucket (or s3_bucket in samconfig's [default.package.parameters])")
        }
        let text = try await runReportingErrors {
            try await DeployCommands.package(options: options, package: package)
        }
        guard let output = outputTemplateFile ?? values.text("output_template_file") else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let url = URL(fileURLWithPath: output, relativeTo: options.workingDirectory)
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            FileHandle.standardError.write(Data("error: \(output): cannot write: \(error.localizedDescription)\n".utf8))
            throw ExitCode(1)
        }
        FileHandle.standardError.write(
            Data("standin: wrote \(output); deploy it with: standin deploy -t \(output) --stack-name STACK\n".utf8))
    }
}

struct Deploy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Package the template if needed, then create or update its stack through a change set.",
        discussion: """
            As sam deploy: prints the change set, executes it and follows the stack's events until it settles; \
            exits 1 when the deployment fails, with the failing resources' reasons. A template that changes \
            nothing is not an error unless --fail-on-empty-changeset. samconfig section: deploy.
            """)

    @OptionGroup var flags: ArtifactFlags

    @Option(name: .customLong("stack-name"), help: "The stack to create or update.")
    var stackName: String?

    @Option(name: .customLong("capabilities"), parsing: .upToNextOption, help: "CAPABILITY_IAM, CAPABILITY_NAMED_IAM, ...")
    var capabilities: [String] = []

    @Option(name: .customLong("parameter-overrides"), parsing: .upToNextOption, help: "'Key=Value ...'.")
    var parameterOverrides: [String] = []

    @Option(name: .customLong("tags"), parsing: .upToNextOption, help: "Stack tags: 'Key=Value ...'.")
    var tags: [String] = []

    @Option(name: .customLong("role-arn"), help: "The service role CloudFormation deploys as.")
    var roleARN: String?

    @Option(name: .customLong("notification-arns"), parsing: .upToNextOption, help: "SNS topics for stack events.")
    var notificationARNs: [String] = []

    @Flag(name: .customLong("no-execute-changeset"), help: "Create the change set, print it, and stop.")
    var noExecuteChangeset = false

    @Flag(
        name: .customLong("fail-on-empty-changeset"), inversion: .prefixedNo,
        help: "Exit 1 when the template changes nothing (default: exit 0).")
    var failOnEmptyChangeset: Bool?

    @Flag(
        name: .customLong("confirm-changeset"), inversion: .prefixedNo,
        help: "Ask before executing the change set.")
    var confirmChangeset: Bool?

    @Flag(name: .customLong("disable-rollback"), inversion: .prefixedNo, help: "Keep what was created when it fails.")
    var disableRollback: Bool?

    @Flag(
        name: .customLong("resolve-s3"),
        help: "Upload to the bucket of SAM's managed stack (aws-sam-cli-managed-default), creating it if needed.")
    var resolveS3 = false

    @Flag(name: [.customShort("g"), .customLong("guided")], help: "Ask for the settings and save them in samconfig.toml.")
    var guided = false

    func run() async throws {
        let (flagOptions, values) = try flags.options(section: "deploy")
        var options = flagOptions
        if !parameterOverrides.isEmpty { options.parameterOverrides = parameterOverrides }
        var settings = DeploySettings(
            stackName: stackName ?? values.text("stack_name"),
            region: options.region,
            bucket: flags.s3Bucket ?? values.text("s3_bucket"),
            prefix: flags.s3Prefix ?? values.text("s3_prefix"),
            capabilities: capabilities.isEmpty ? values.values["capabilities"]?.words ?? [] : capabilities,
            parameters: try await runReportingErrors { try options.parameterOverrideValues() },
            confirm: confirmChangeset ?? values.flag("confirm_changeset"))
        if guided {
            let template = try await runReportingErrors { try DeployCommands.template(options) }
            settings = try GuidedDeploy.ask(settings, template: template, options: options)
            options.region = settings.region
        }
        guard let stack = settings.stackName, !stack.isEmpty else {
            throw ValidationError("give --stack-name (or run standin deploy --guided to be asked and save it)")
        }
        var deploy = DeployOptions(stackName: stack)
        deploy.resolveS3 = resolveS3 || values.flag("resolve_s3")
        let bucket = settings.bucket ?? ""
        if !bucket.isEmpty || deploy.resolveS3 {
            // An empty bucket with resolveS3: the deployer finds (or makes) SAM's managed one.
            deploy.package = PackageOptions(
                bucket: bucket, prefix: settings.prefix, kmsKeyID: flags.kmsKeyID ?? values.text("kms_key_id"),
                forceUpload: flags.forceUpload || values.flag("force_upload"))
        }
        deploy.capabilities = settings.capabilities
        deploy.parameters = settings.parameters
        let tagWords = tags.isEmpty ? values.values["tags"]?.words ?? [] : tags
        deploy.tags = try await runReportingErrors { try DeployCommands.tags(tagWords) }
        deploy.roleARN = roleARN ?? values.text("role_arn")
        deploy.notificationARNs = notificationARNs.isEmpty ? values.values["notification_arns"]?.words ?? [] : notificationARNs
        deploy.executeChangeSet = !(noExecuteChangeset || values.flag("no_execute_changeset"))
        deploy.failOnEmptyChangeSet = failOnEmptyChangeset ?? values.flag("fail_on_empty_changeset")
        deploy.confirmChangeSet = settings.confirm
        deploy.disableRollback = disableRollback ?? values.flag("disable_rollback")
        if let interval = options.environment["SAM_CLI_POLL_DELAY"].flatMap(Double.init), interval > 0 {
            deploy.pollInterval = interval
        }
        InterruptHandling.install()
        let outcome = try await runReportingErrors {
            try await DeployCommands.deploy(
                options: options, deploy: deploy,
                write: { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) },
                confirm: { question in
                    FileHandle.standardError.write(Data(question.utf8))
                    return readLine()?.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("y") ?? false
                })
        }
        switch outcome {
        case .deployed(let status):
            FileHandle.standardError.write(Data("standin: stack \(stack) is \(status)\n".utf8))
        case .changeSetCreated(let id):
            FileHandle.standardError.write(Data("standin: change set created, not executed: \(id)\n".utf8))
        case .noChanges:
            break
        }
    }
}

/// The settings `deploy --guided` asks for.
struct DeploySettings {
    var stackName: String?
    var region: String?
    var bucket: String?
    var prefix: String?
    var capabilities: [String]
    var parameters: [String: String]
    var confirm: Bool
}

/// `deploy --guided`: asks for each setting on standard error, reading answers from standard input (an empty
/// answer keeps the default shown in brackets), then offers to save them in samconfig's `[env.deploy.parameters]`.
enum GuidedDeploy {
    static func ask(_ current: DeploySettings, template: URL, options: CommonOptions) throws -> DeploySettings {
        var settings = current
        say("Configuring standin deploy (answers in [brackets] are the defaults)")
        settings.stackName = question("Stack Name", default: current.stackName ?? "standin-app")
        settings.region = question(
            "AWS Region", default: current.region ?? IdentityBroker(options: options).region)
        for (name, defaultValue) in DeployCommands.parameterDefaults(template) {
            let answer = question("Parameter \(name)", default: current.parameters[name] ?? defaultValue ?? "")
            if !answer.isEmpty || current.parameters[name] != nil { settings.parameters[name] = answer }
        }
        let bucket = question("S3 bucket for the artifacts (empty: none)", default: current.bucket ?? "")
        settings.bucket = bucket.isEmpty ? nil : bucket
        if settings.bucket != nil, settings.prefix == nil { settings.prefix = settings.stackName }
        settings.confirm = yesNo("Confirm changes before deploy", default: current.confirm)
        if yesNo("Allow IAM role creation (CAPABILITY_IAM)", default: true) {
            if !settings.capabilities.contains(where: { $0.hasSuffix("_IAM") }) { settings.capabilities.append("CAPABILITY_IAM") }
        } else {
            settings.capabilities.removeAll { $0 == "CAPABILITY_IAM" }
        }
        guard yesNo("Save arguments to configuration file", default: true) else { return settings }
        var values: [String: SAMConfig.Value] = [
            "stack_name": .string(settings.stackName ?? ""), "region": .string(settings.region ?? "us-east-1"),
        ]
        if let bucket = settings.bucket { values["s3_bucket"] = .string(bucket) }
        if let prefix = settings.prefix { values["s3_prefix"] = .string(prefix) }
        if !settings.capabilities.isEmpty { values["capabilities"] = .string(settings.capabilities.joined(separator: " ")) }
        if settings.confirm { values["confirm_changeset"] = .bool(true) }
        if !settings.parameters.isEmpty {
            values["parameter_overrides"] = .string(
                settings.parameters.sorted { $0.key < $1.key }.map {
                    "\($0.key)=\"\($0.value.replacingOccurrences(of: "\"", with: "\\\""))\""
                }.joined(separator: " "))
        }
        do {
            let file = try SAMConfig.save(values, command: "deploy", options: options)
            say("Saved the settings to \(file.path)")
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(error.exitStatus)
        }
        return settings
    }

    static func say(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    static func question(_ text: String, default value: String) -> String {
        FileHandle.standardError.write(Data("\t\(text) [\(value)]: ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces) ?? ""
        return answer.isEmpty ? value : answer
    }

    static func yesNo(_ text: String, default value: Bool) -> Bool {
        FileHandle.standardError.write(Data("\t\(text) [\(value ? "Y/n" : "y/N")]: ".utf8))
        let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        return answer.isEmpty ? value : answer.hasPrefix("y")
    }
}

import AWSAuth
import Foundation
import ProjectModel

/// What `standin deploy` is asked to do.
public struct DeployOptions: Sendable {
    /// The stack to create or update.
    public var stackName: String
    /// Where local artifacts (and a template over 51,200 bytes) are uploaded; nil when none are given. An empty
    /// bucket with ``resolveS3`` means SAM's managed bucket.
    public var package: PackageOptions?
    /// Upload to the bucket of SAM's managed stack (`aws-sam-cli-managed-default`), creating it when it does not
    /// exist (`--resolve-s3`, samconfig's `resolve_s3`).
    public var resolveS3 = false
    /// `CAPABILITY_IAM`, `CAPABILITY_NAMED_IAM`, `CAPABILITY_AUTO_EXPAND`.
    public var capabilities: [String] = []
    /// Parameter values (`--parameter-overrides`).
    public var parameters: [String: String] = [:]
    /// Stack tags, in the order given.
    public var tags: [(key: String, value: String)] = []
    /// The service role CloudFormation deploys as (`--role-arn`).
    public var roleARN: String?
    /// SNS topics for stack events (`--notification-arns`).
    public var notificationARNs: [String] = []
    /// Create the change set and stop (`--no-execute-changeset`).
    public var executeChangeSet = true
    /// A template that changes nothing is an error (`--fail-on-empty-changeset`).
    public var failOnEmptyChangeSet = false
    /// Ask before executing (`--confirm-changeset`).
    public var confirmChangeSet = false
    /// Keep what was created when the deployment fails (`--disable-rollback`).
    public var disableRollback = false
    /// Seconds between two looks at the stack's events.
    public var pollInterval: Double = 2

    /// Creates options for `stackName`.
    public init(stackName: String) { self.stackName = stackName }
}

/// How a deployment ended.
public enum DeployOutcome: Sendable, Equatable {
    /// The stack reached `CREATE_COMPLETE` / `UPDATE_COMPLETE`.
    case deployed(status: String)
    /// The template changes nothing.
    case noChanges
    /// The change set was created and left for later (`--no-execute-changeset`, or not confirmed).
    case changeSetCreated(id: String)
}

/// Creates or updates a stack through a change set and follows its events to the end, as `sam deploy` does
/// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-deploy.html).
public struct Deployer: Sendable {
    let cloudFormation: CloudFormationClient
    let s3: S3Client
    let workingDirectory: URL
    /// Where the change set table and the events go (standard output in the command).
    let write: @Sendable (String) -> Void
    /// Asks a yes/no question (`--confirm-changeset`).
    let confirm: @Sendable (String) -> Bool

    /// CloudFormation's largest inline template (`TemplateBody`); larger ones go through S3.
    static let maximumTemplateBody = 51_200

    /// Creates a deployer.
    public init(
        cloudFormation: CloudFormationClient, s3: S3Client, workingDirectory: URL,
        write: @escaping @Sendable (String) -> Void, confirm: @escaping @Sendable (String) -> Bool
    ) {
        self.cloudFormation = cloudFormation
        self.s3 = s3
        self.workingDirectory = workingDirectory
        self.write = write
        self.confirm = confirm
    }

    /// Packages `template` when it has local artifacts, creates a change set, prints it, executes it and follows
    /// the stack's events until it settles.
    /// - Throws: `StandinError`: bad input (exit 2), AWS refusals (exit 3), a failed deployment with its reasons
    ///   (exit 1).
    public func deploy(template: URL, options: DeployOptions) async throws(StandinError) -> DeployOutcome {
        let shown = display(template)
        let plan: PackagingPlan
        do {
            plan = try PackagingPlan(file: template, shownAs: shown)
        } catch {
            throw .usage(error.description)
        }
        var packageOptions = options.package
        if options.resolveS3, packageOptions?.bucket.isEmpty ?? true, !plan.artifacts.isEmpty {
            var resolved = packageOptions ?? PackageOptions(bucket: "")
            resolved.bucket = try await managedBucket(interval: options.pollInterval)
            packageOptions = resolved
        }
        let packager = packageOptions.flatMap { $0.bucket.isEmpty ? nil : $0 }.map {
            Packager(s3: s3, options: $0, workingDirectory: workingDirectory)
        }
        var body = plan.text
        if !plan.artifacts.isEmpty {
            guard let packager else {
                let first = plan.artifacts[0]
                throw .usage(
                    "\(first.location): \(first.fieldPath): \(first.localPath) is on this machine; give --s3-bucket "
                        + "(or --resolve-s3) to upload the template's local artifacts, or deploy a template made by "
                        + "standin package")
            }
            body = try await packager.package(plan)
        }
        let existing = try await call("DescribeStacks") { try await cloudFormation.describeStack(options.stackName) }
        // A stack left in REVIEW_IN_PROGRESS by a change set never executed has no resources: create it.
        let isUpdate = existing.map { $0.stackStatus != "REVIEW_IN_PROGRESS" } ?? false
        if let existing, !existing.isSettled {
            throw .failure("stack \(options.stackName) is \(existing.stackStatus); wait until it settles and try again")
        }
        var request = CloudFormationClient.ChangeSetRequest(
            stackName: options.stackName, changeSetName: "standin-deploy-\(Int(Date().timeIntervalSince1970))",
            changeSetType: isUpdate ? "UPDATE" : "CREATE")
        request.description = "Created by standin deploy"
        if body.utf8.count > Self.maximumTemplateBody {
            guard let packager else {
                throw .usage(
                    "\(shown) is \(body.utf8.count) bytes, more than the \(Self.maximumTemplateBody) CloudFormation "
                        + "takes inline: give --s3-bucket to upload it")
            }
            request.templateURL = try await packager.storeTemplate(body, describing: shown).url
        } else {
            request.templateBody = body
        }
        request.parameters = Self.parameters(
            declared: plan.parameterNames, given: options.parameters, previous: isUpdate ? existing?.parameterKeys ?? [] : [])
        request.capabilities = options.capabilities
        if plan.declaresTransform, !request.capabilities.contains("CAPABILITY_AUTO_EXPAND") {
            request.capabilities.append("CAPABILITY_AUTO_EXPAND")
        }
        request.tags = options.tags
        request.roleARN = options.roleARN
        request.notificationARNs = options.notificationARNs

        let changeSetID: String
        do {
            changeSetID = try await cloudFormation.createChangeSet(request)
        } catch let error as AWSServiceError where Self.meansNoChanges(error.message) {
            return try noChanges(options)
        } catch {
            throw Self.failure("CreateChangeSet", error)
        }
        printNote("change set \(request.changeSetName) (\(request.changeSetType)) for stack \(options.stackName)")
        let changeSet = try await waitForChangeSet(changeSetID, stackName: options.stackName, interval: options.pollInterval)
        if changeSet.isEmpty { return try noChanges(options) }
        guard changeSet.status == "CREATE_COMPLETE" else {
            throw .failure(
                "the change set for stack \(options.stackName) failed: \(changeSet.statusReason ?? changeSet.status)")
        }
        write(Self.changeTable(changeSet.changes))
        guard options.executeChangeSet else { return .changeSetCreated(id: changeSetID) }
        if options.confirmChangeSet, !confirm("Deploy this change set? [y/N]: ") {
            return .changeSetCreated(id: changeSetID)
        }
        let seen = try await currentEventIDs(options.stackName)
        do {
            try await cloudFormation.executeChangeSet(
                name: changeSetID, stackName: options.stackName, disableRollback: options.disableRollback)
        } catch let error as AWSServiceError where !error.isAccessDenied {
            // The change set was accepted, so a refusal now is the deployment failing (moto creates the resources
            // inside this call and answers a resource's failure here; AWS reports it in the stack's events).
            throw .failure("stack \(options.stackName) failed: \(error)")
        } catch {
            throw Self.failure("ExecuteChangeSet", error, stack: options.stackName)
        }
        let (stack, failures) = try await follow(options.stackName, seen: seen, interval: options.pollInterval)
        guard stack.succeeded else {
            throw .failure(
                (["stack \(options.stackName) is \(stack.stackStatus)" + (stack.stackStatusReason.map { ": \($0)" } ?? "")]
                    + failures).joined(separator: "\n  "))
        }
        if !stack.outputs.isEmpty { write(Self.outputTable(stack.outputs)) }
        return .deployed(status: stack.stackStatus)
    }

    // MARK: Steps

    /// The stack `sam deploy --resolve-s3` keeps its artifact bucket in; shared with the SAM CLI on purpose, so a
    /// project deployed by either finds the same bucket.
    static let managedStackName = "aws-sam-cli-managed-default"

    /// The bucket of SAM's managed stack, creating the stack (a versioned, encrypted bucket that refuses plain HTTP)
    /// when it does not exist yet.
    func managedBucket(interval: Double) async throws(StandinError) -> String {
        let name = Self.managedStackName
        var stack = try await call("DescribeStacks") { try await cloudFormation.describeStack(name) }
        if stack == nil || stack?.stackStatus == "REVIEW_IN_PROGRESS" {
            printNote("creating the managed artifact bucket (stack \(name)), as sam deploy --resolve-s3 does")
            var request = CloudFormationClient.ChangeSetRequest(
                stackName: name, changeSetName: "standin-managed-\(Int(Date().timeIntervalSince1970))",
                changeSetType: "CREATE")
            request.templateBody = Self.managedStackTemplate
            request.tags = [(key: "ManagedStackSource", value: "AwsSamCli")]
            let id = try await call("CreateChangeSet") { try await cloudFormation.createChangeSet(request) }
            let changeSet = try await waitForChangeSet(id, stackName: name, interval: interval)
            guard changeSet.status == "CREATE_COMPLETE" else {
                throw .failure("the change set for stack \(name) failed: \(changeSet.statusReason ?? changeSet.status)")
            }
            try await call("ExecuteChangeSet") { try await cloudFormation.executeChangeSet(name: id, stackName: name) }
            while stack.map({ !$0.isSettled || $0.stackStatus == "REVIEW_IN_PROGRESS" }) ?? true {
                try await pause(interval)
                stack = try await call("DescribeStacks") { try await cloudFormation.describeStack(name) }
            }
        }
        guard let stack, stack.succeeded else {
            throw .failure("stack \(name), which holds the managed artifact bucket, is \(stack?.stackStatus ?? "missing")")
        }
        let resources = try await call("ListStackResources") { try await cloudFormation.listStackResources(stackName: name) }
        guard let bucket = resources.first(where: { $0.logicalResourceID == "SamCliSourceBucket" })?.physicalResourceID
        else {
            throw .failure("stack \(name) has no SamCliSourceBucket")
        }
        return bucket
    }

    /// The managed stack's template: SAM's resource names, so either tool finds the other's bucket.
    static let managedStackTemplate = """
        {
          "AWSTemplateFormatVersion": "2010-09-09",
          "Description": "Managed stack for the artifacts of sam deploy --resolve-s3 (created by standin)",
          "Resources": {
            "SamCliSourceBucket": {
              "Type": "AWS::S3::Bucket",
              "DeletionPolicy": "Retain",
              "Properties": {
                "VersioningConfiguration": {"Status": "Enabled"},
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                  {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                "Tags": [{"Key": "ManagedStackSource", "Value": "AwsSamCli"}]
              }
            },
            "SamCliSourceBucketBucketPolicy": {
              "Type": "AWS::S3::BucketPolicy",
              "Properties": {
                "Bucket": {"Ref": "SamCliSourceBucket"},
                "PolicyDocument": {"Statement": [{
                  "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                  "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:s3:::${SamCliSourceBucket}/*"},
                               {"Fn::Sub": "arn:${AWS::Partition}:s3:::${SamCliSourceBucket}"}],
                  "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
              }
            }
          },
          "Outputs": {"SourceBucket": {"Value": {"Ref": "SamCliSourceBucket"}}}
        }
        """

    func noChanges(_ options: DeployOptions) throws(StandinError) -> DeployOutcome {
        let message = "no changes to deploy: stack \(options.stackName) is up to date"
        if options.failOnEmptyChangeSet { throw .failure(message + " (--fail-on-empty-changeset)") }
        printNote(message)
        return .noChanges
    }

    /// Polls `DescribeChangeSet` until the change set is created or failed.
    func waitForChangeSet(_ id: String, stackName: String, interval: Double) async throws(StandinError) -> ChangeSet {
        var delay = min(0.2, interval)
        while true {
            let changeSet = try await call("DescribeChangeSet") {
                try await cloudFormation.describeChangeSet(name: id, stackName: stackName)
            }
            if changeSet.status == "CREATE_COMPLETE" || changeSet.status == "FAILED" { return changeSet }
            try await pause(delay)
            delay = min(delay * 2, interval)
        }
    }

    /// The ids of the events the stack has now (the first page: newer events come first), so that only the
    /// deployment's own are printed.
    func currentEventIDs(_ stackName: String) async throws(StandinError) -> Set<String> {
        let page = try await call("DescribeStackEvents") {
            try await cloudFormation.describeStackEvents(stackName: stackName)
        }
        return Set(page.events.map(\.eventID))
    }

    /// Prints the stack's new events, oldest first, until the stack settles; returns the settled stack and each
    /// failed resource with its reason (`WorkerFunction CREATE_FAILED: ...`), for the error that follows.
    func follow(_ stackName: String, seen initiallySeen: Set<String>, interval: Double) async throws(StandinError)
        -> (Stack, failures: [String])
    {
        var seen = initiallySeen
        var failures: [String] = []
        var delay = min(0.2, interval)
        var printedHeader = false
        let started = Date()
        while true {
            // Read the stack before the events: events that arrive in between are printed next time.
            let stack = try await call("DescribeStacks") { try await cloudFormation.describeStack(stackName) }
            guard let stack else { throw .failure("stack \(stackName) disappeared while it was being deployed") }
            var fresh: [StackEvent] = []
            var token: String?
            pages: repeat {
                let page = try await call("DescribeStackEvents") {
                    try await cloudFormation.describeStackEvents(stackName: stackName, nextToken: token)
                }
                for event in page.events {
                    if seen.contains(event.eventID) { break pages }
                    fresh.append(event)
                }
                token = page.nextToken
            } while token != nil
            if !fresh.isEmpty {
                Progress.clear()
                if !printedHeader {
                    write(Self.eventRow("ResourceStatus", "ResourceType", "LogicalResourceId", "ResourceStatusReason"))
                    printedHeader = true
                }
                for event in fresh.reversed() {
                    seen.insert(event.eventID)
                    // The cause, not the resources cancelled because of it.
                    if event.resourceStatus.hasSuffix("_FAILED"), event.logicalResourceID != stackName,
                        let reason = event.resourceStatusReason, !reason.contains("cancelled")
                    {
                        failures.append("\(event.logicalResourceID) \(event.resourceStatus): \(reason)")
                    }
                    write(
                        Self.eventRow(
                            event.resourceStatus, event.resourceType, event.logicalResourceID,
                            event.resourceStatusReason ?? "-"))
                }
            }
            if stack.isSettled { Progress.clear(); return (stack, failures) }
            Progress.show("\(stackName): \(stack.stackStatus) (\(Int(Date().timeIntervalSince(started))) s)")
            try await pause(delay)
            delay = min(delay * 2, interval)
        }
    }

    /// Declared parameters: the given value, else (on update) the stack's previous one, else the template's default.
    static func parameters(declared: [String], given: [String: String], previous: [String]) -> [(key: String, value: String?)] {
        var result: [(key: String, value: String?)] = []
        for name in declared {
            if let value = given[name] {
                result.append((name, value))
            } else if previous.contains(name) {
                result.append((name, nil))
            }
        }
        // A value for an undeclared parameter: CloudFormation says which.
        for (name, value) in given.sorted(by: { $0.key < $1.key }) where !declared.contains(name) {
            result.append((name, value))
        }
        return result
    }

    static func meansNoChanges(_ message: String) -> Bool {
        message.contains("No updates are to be performed") || message.contains("didn't contain changes")
    }

    // MARK: Output

    /// The change set as a table whose columns fit its longest names.
    static func changeTable(_ changes: [ResourceChange]) -> String {
        var rows = [["Operation", "LogicalResourceId", "ResourceType", "Replacement"]]
        for change in changes {
            let operation = ["Add": "+ Add", "Modify": "* Modify", "Remove": "- Delete"][change.action] ?? change.action
            rows.append([operation, change.logicalResourceID, change.resourceType, change.replacement ?? "N/A"])
        }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max()! + 2 }
        return (["CloudFormation stack changeset"] + rows.map { row($0, widths: widths) }).joined(separator: "\n")
    }

    static func outputTable(_ outputs: [Stack.Output]) -> String {
        var lines = ["Outputs"]
        for output in outputs {
            lines.append("Key         \(output.key)")
            if let description = output.description { lines.append("Description \(description)") }
            lines.append("Value       \(output.value ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    /// One stack event, in columns wide enough for most names (events are printed as they come, so the widths
    /// cannot be measured first).
    static func eventRow(_ status: String, _ type: String, _ logicalID: String, _ reason: String) -> String {
        row([status, type, logicalID, reason], widths: [28, 36, 28])
    }

    /// Cells padded to `widths` (the last cell free); a cell as wide as its column or wider gets one space.
    static func row(_ cells: [String], widths: [Int]) -> String {
        var line = ""
        for (cell, width) in zip(cells, widths) {
            line += cell + String(repeating: " ", count: max(1, width - cell.count))
        }
        return line + (cells.count > widths.count ? cells[widths.count] : "")
    }

    // MARK: Plumbing

    /// Runs one CloudFormation call, turning its error into a `StandinError`.
    func call<T>(_ operation: String, _ body: () async throws -> T) async throws(StandinError) -> T {
        do {
            return try await body()
        } catch {
            throw Self.failure(operation, error)
        }
    }

    static func failure(_ operation: String, _ error: any Error, stack: String? = nil) -> StandinError {
        if let error = error as? StandinError { return error }
        if let error = error as? AWSServiceError {
            // A refusal (no permission, a template CloudFormation rejects) is about the caller's input or rights.
            let prefix = stack.map { "stack \($0): " } ?? ""
            return error.httpStatus == 400 || error.isAccessDenied
                ? .credentials(prefix + error.description) : .failure(prefix + error.description)
        }
        return .failure("cloudformation:\(operation): \(error)")
    }

    func pause(_ seconds: Double) async throws(StandinError) {
        do {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        } catch {
            throw .failure("interrupted")
        }
    }

    func display(_ url: URL) -> String {
        displayPath(url.standardizedFileURL.path, relativeTo: workingDirectory)
    }
}

/// A one-line progress indicator on standard error, drawn only when it is a terminal.
enum Progress {
    static let isTerminal = isatty(2) == 1

    static func show(_ text: String) {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    static func clear() {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

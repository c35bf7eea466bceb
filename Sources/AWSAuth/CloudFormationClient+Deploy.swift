import Foundation

/// The CloudFormation calls of a deployment: change sets, stacks and their events.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html
extension CloudFormationClient {
    /// What `CreateChangeSet` is asked to do.
    public struct ChangeSetRequest: Sendable {
        /// The stack's name.
        public var stackName: String
        /// The change set's name (unique within the stack).
        public var changeSetName: String
        /// `CREATE` for a new stack, `UPDATE` for an existing one.
        public var changeSetType: String
        /// The template's text (up to 51,200 bytes), or nil with `templateURL`.
        public var templateBody: String?
        /// An S3 URL of the template, for larger ones.
        public var templateURL: String?
        /// Parameter values; a nil value keeps the stack's previous value (`UsePreviousValue`).
        public var parameters: [(key: String, value: String?)] = []
        /// `CAPABILITY_IAM`, `CAPABILITY_NAMED_IAM`, `CAPABILITY_AUTO_EXPAND`.
        public var capabilities: [String] = []
        /// Stack tags.
        public var tags: [(key: String, value: String)] = []
        /// The service role CloudFormation acts as.
        public var roleARN: String?
        /// SNS topics for stack events.
        public var notificationARNs: [String] = []
        /// A description of the change set.
        public var description: String?

        /// Creates a request.
        public init(stackName: String, changeSetName: String, changeSetType: String) {
            self.stackName = stackName
            self.changeSetName = changeSetName
            self.changeSetType = changeSetType
        }

        /// The Query parameters.
        var queryParameters: [(String, String)] {
            var result = [("StackName", stackName), ("ChangeSetName", changeSetName), ("ChangeSetType", changeSetType)]
            if let templateBody { result.append(("TemplateBody", templateBody)) }
            if let templateURL { result.append(("TemplateURL", templateURL)) }
            for (index, parameter) in parameters.enumerated() {
                let prefix = "Parameters.member.\(index + 1)."
                result.append((prefix + "ParameterKey", parameter.key))
                if let value = parameter.value {
                    result.append((prefix + "ParameterValue", value))
                } else {
                    result.append((prefix + "UsePreviousValue", "true"))
                }
            }
            for (index, capability) in capabilities.enumerated() {
                result.append(("Capabilities.member.\(index + 1)", capability))
            }
            for (index, tag) in tags.enumerated() {
                result.append(("Tags.member.\(index + 1).Key", tag.key))
                result.append(("Tags.member.\(index + 1).Value", tag.value))
            }
            for (index, arn) in notificationARNs.enumerated() {
                result.append(("NotificationARNs.member.\(index + 1)", arn))
            }
            if let roleARN { result.append(("RoleARN", roleARN)) }
            if let description { result.append(("Description", description)) }
            return result
        }
    }

    /// `CreateChangeSet`: returns the change set's id (an ARN).
    public func createChangeSet(_ request: ChangeSetRequest) async throws -> String {
        let bytes = try await client.call("CreateChangeSet", request.queryParameters, quick: false)
        return try QueryProtocolClient.decode(
            CreateChangeSetResponse.self, from: bytes, operation: "cloudformation:CreateChangeSet"
        ).result.id
    }

    /// `DescribeChangeSet`, every page of its changes.
    public func describeChangeSet(name: String, stackName: String) async throws -> ChangeSet {
        var nextToken: String?
        var whole: ChangeSet?
        repeat {
            var parameters = [("ChangeSetName", name), ("StackName", stackName)]
            if let nextToken { parameters.append(("NextToken", nextToken)) }
            let bytes = try await client.call("DescribeChangeSet", parameters)
            let page = try QueryProtocolClient.decode(
                DescribeChangeSetResponse.self, from: bytes, operation: "cloudformation:DescribeChangeSet"
            ).result
            if whole == nil { whole = page } else { whole?.changes += page.changes }
            nextToken = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while nextToken != nil
        return whole!
    }

    /// `ExecuteChangeSet`.
    /// - Parameter disableRollback: keep what was created when the deployment fails.
    public func executeChangeSet(name: String, stackName: String, disableRollback: Bool = false) async throws {
        var parameters = [("ChangeSetName", name), ("StackName", stackName)]
        if disableRollback { parameters.append(("DisableRollback", "true")) }
        _ = try await client.call("ExecuteChangeSet", parameters, quick: false)
    }

    /// `DescribeStacks` for one stack; nil when it does not exist.
    public func describeStack(_ stackName: String) async throws -> Stack? {
        do {
            let bytes = try await client.call("DescribeStacks", [("StackName", stackName)])
            return try QueryProtocolClient.decode(
                DescribeStacksResponse.self, from: bytes, operation: "cloudformation:DescribeStacks"
            ).result.stacks.first
        } catch let error as AWSServiceError where error.code == "ValidationError" && error.message.contains("does not exist") {
            return nil
        }
    }

    /// `DescribeStackEvents`: one page, newest first, and the token of the next.
    public func describeStackEvents(stackName: String, nextToken: String? = nil) async throws
        -> (events: [StackEvent], nextToken: String?)
    {
        var parameters = [("StackName", stackName)]
        if let nextToken { parameters.append(("NextToken", nextToken)) }
        let bytes = try await client.call("DescribeStackEvents", parameters)
        let result = try QueryProtocolClient.decode(
            DescribeStackEventsResponse.self, from: bytes, operation: "cloudformation:DescribeStackEvents"
        ).result
        return (result.events, result.nextToken.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// `ListStackResources`, every page: every resource of a stack (`DescribeStackResources` stops at 100).
    public func listStackResources(stackName: String) async throws -> [StackResource] {
        var resources: [StackResource] = []
        var nextToken: String?
        repeat {
            var parameters = [("StackName", stackName)]
            if let nextToken { parameters.append(("NextToken", nextToken)) }
            let bytes = try await client.call("ListStackResources", parameters)
            let page = try QueryProtocolClient.decode(
                ListStackResourcesResponse.self, from: bytes, operation: "cloudformation:ListStackResources"
            ).result
            resources += page.resources
            nextToken = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while nextToken != nil
        return resources
    }
}

/// A Query-protocol list: `<member>` elements (none when the list element is empty or missing).
struct MemberList<Element: Decodable & Sendable>: Decodable, Sendable {
    var items: [Element]
    enum CodingKeys: String, CodingKey { case member }
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = (try? container.decodeIfPresent([Element].self, forKey: .member)) ?? []
    }
}

extension KeyedDecodingContainer {
    /// The `<member>` items of a list element; empty when it is missing.
    func members<Element: Decodable & Sendable>(_ key: Key) -> [Element] {
        ((try? decodeIfPresent(MemberList<Element>.self, forKey: key)) ?? nil)?.items ?? []
    }
}

/// A change set and its changes.
public struct ChangeSet: Sendable, Decodable {
    /// `CREATE_PENDING`, `CREATE_IN_PROGRESS`, `CREATE_COMPLETE`, `FAILED`, …
    public var status: String
    /// `AVAILABLE`, `UNAVAILABLE`, `EXECUTE_COMPLETE`, …
    public var executionStatus: String?
    /// Why it failed.
    public var statusReason: String?
    /// The resource changes.
    public var changes: [ResourceChange]
    /// Its id (ARN).
    public var changeSetID: String?
    /// The capabilities it was created with.
    public var capabilities: [String]
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case status = "Status", executionStatus = "ExecutionStatus", statusReason = "StatusReason"
        case changes = "Changes", changeSetID = "ChangeSetId", capabilities = "Capabilities", nextToken = "NextToken"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(String.self, forKey: .status)
        executionStatus = try container.decodeIfPresent(String.self, forKey: .executionStatus)
        statusReason = try container.decodeIfPresent(String.self, forKey: .statusReason)
        changeSetID = try container.decodeIfPresent(String.self, forKey: .changeSetID)
        nextToken = try container.decodeIfPresent(String.self, forKey: .nextToken)
        let wrapped: [ChangeWrapper] = container.members(.changes)
        changes = wrapped.compactMap(\.resourceChange)
        capabilities = container.members(.capabilities)
    }

    struct ChangeWrapper: Decodable, Sendable {
        var resourceChange: ResourceChange?
        enum CodingKeys: String, CodingKey { case resourceChange = "ResourceChange" }
    }

    /// True when the change set failed only because the template changes nothing.
    public var isEmpty: Bool {
        guard status == "FAILED", let reason = statusReason else { return false }
        return reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")
    }
}

/// One resource change of a change set.
public struct ResourceChange: Sendable, Decodable, Equatable {
    /// `Add`, `Modify`, `Remove`, `Import`, `Dynamic`.
    public var action: String
    /// The template's logical id.
    public var logicalResourceID: String
    /// The resource type.
    public var resourceType: String
    /// `True`, `False`, `Conditional` (for `Modify`).
    public var replacement: String?

    enum CodingKeys: String, CodingKey {
        case action = "Action", logicalResourceID = "LogicalResourceId", resourceType = "ResourceType"
        case replacement = "Replacement"
    }
}

/// A stack as `DescribeStacks` describes it.
public struct Stack: Sendable, Decodable {
    /// The stack's id (ARN).
    public var stackID: String
    /// Its name.
    public var stackName: String
    /// `CREATE_COMPLETE`, `UPDATE_ROLLBACK_COMPLETE`, `REVIEW_IN_PROGRESS`, …
    public var stackStatus: String
    /// Why it is in that status.
    public var stackStatusReason: String?
    /// The template's outputs.
    public var outputs: [Output]
    /// The parameters it was deployed with.
    public var parameterKeys: [String]

    /// One output.
    public struct Output: Sendable, Decodable, Equatable {
        /// The output's name.
        public var key: String
        /// Its value.
        public var value: String?
        /// Its description.
        public var description: String?
        enum CodingKeys: String, CodingKey { case key = "OutputKey", value = "OutputValue", description = "Description" }
    }

    struct Parameter: Decodable, Sendable {
        var key: String
        enum CodingKeys: String, CodingKey { case key = "ParameterKey" }
    }

    enum CodingKeys: String, CodingKey {
        case stackID = "StackId", stackName = "StackName", stackStatus = "StackStatus"
        case stackStatusReason = "StackStatusReason", outputs = "Outputs", parameters = "Parameters"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stackID = try container.decode(String.self, forKey: .stackID)
        stackName = try container.decode(String.self, forKey: .stackName)
        stackStatus = try container.decode(String.self, forKey: .stackStatus)
        stackStatusReason = try container.decodeIfPresent(String.self, forKey: .stackStatusReason)
        outputs = container.members(.outputs)
        let parameters: [Parameter] = container.members(.parameters)
        parameterKeys = parameters.map(\.key)
    }

    /// True for a status no operation will change (`…_COMPLETE`, `…_FAILED`).
    public var isSettled: Bool { !stackStatus.hasSuffix("_IN_PROGRESS") }
    /// True for a stack whose last operation succeeded.
    public var succeeded: Bool {
        ["CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"].contains(stackStatus)
    }
}

/// One stack event.
public struct StackEvent: Sendable, Decodable, Equatable {
    /// Unique per event.
    public var eventID: String
    /// The template's logical id (the stack's name for the stack itself).
    public var logicalResourceID: String
    /// The resource type.
    public var resourceType: String
    /// `CREATE_IN_PROGRESS`, `CREATE_FAILED`, …
    public var resourceStatus: String
    /// Why (for a failure, the cause).
    public var resourceStatusReason: String?
    /// When, as the service wrote it.
    public var timestamp: String

    enum CodingKeys: String, CodingKey {
        case eventID = "EventId", logicalResourceID = "LogicalResourceId", resourceType = "ResourceType"
        case resourceStatus = "ResourceStatus", resourceStatusReason = "ResourceStatusReason", timestamp = "Timestamp"
    }

    /// The event's time.
    public var date: Date? { AWSTimestamp.parse(timestamp) }
}

struct CreateChangeSetResponse: Decodable {
    struct Result: Decodable {
        var id: String
        enum CodingKeys: String, CodingKey { case id = "Id" }
    }
    var result: Result
    enum CodingKeys: String, CodingKey { case result = "CreateChangeSetResult" }
}

struct DescribeChangeSetResponse: Decodable {
    var result: ChangeSet
    enum CodingKeys: String, CodingKey { case result = "DescribeChangeSetResult" }
}

struct DescribeStacksResponse: Decodable {
    struct Result: Decodable {
        var stacks: [Stack]
        enum CodingKeys: String, CodingKey { case stacks = "Stacks" }
        init(from decoder: any Decoder) throws {
            stacks = try decoder.container(keyedBy: CodingKeys.self).members(.stacks)
        }
    }
    var result: Result
    enum CodingKeys: String, CodingKey { case result = "DescribeStacksResult" }
}

struct DescribeStackEventsResponse: Decodable {
    struct Result: Decodable {
        var events: [StackEvent]
        var nextToken: String?
        enum CodingKeys: String, CodingKey { case events = "StackEvents", nextToken = "NextToken" }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            events = container.members(.events)
            nextToken = try container.decodeIfPresent(String.self, forKey: .nextToken)
        }
    }
    var result: Result
    enum CodingKeys: String, CodingKey { case result = "DescribeStackEventsResult" }
}

struct ListStackResourcesResponse: Decodable {
    struct Result: Decodable {
        var resources: [StackResource]
        var nextToken: String?
        enum CodingKeys: String, CodingKey { case resources = "StackResourceSummaries", nextToken = "NextToken" }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            resources = container.members(.resources)
            nextToken = try container.decodeIfPresent(String.self, forKey: .nextToken)
        }
    }
    var result: Result
    enum CodingKeys: String, CodingKey { case result = "ListStackResourcesResult" }
}

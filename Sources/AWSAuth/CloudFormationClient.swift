import AsyncHTTPClient
import Foundation
import NIOCore

/// An AWS CloudFormation client (Query protocol, API version 2010-05-15), for finding deployed resources.
public struct CloudFormationClient: Sendable {
    let client: QueryProtocolClient

    /// Creates a client that signs with `credentials` and sends to `endpoint` over the shared `httpClient`.
    /// - Parameter timeout: the deadline of one call, connecting included.
    public init(
        credentials: Credentials, region: String, endpoint: URL, httpClient: HTTPClient,
        timeout: TimeAmount = .seconds(15)
    ) {
        client = QueryProtocolClient(
            service: .cloudFormation, credentials: credentials, region: region, endpoint: endpoint,
            apiVersion: "2010-05-15", httpClient: httpClient, timeout: timeout)
    }

    /// `DescribeStackResource`: the deployed (physical) id of a template resource.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResource.html
    public func describeStackResource(stackName: String, logicalResourceID: String) async throws -> StackResource {
        let bytes = try await client.call(
            "DescribeStackResource", [("StackName", stackName), ("LogicalResourceId", logicalResourceID)])
        let response = try QueryProtocolClient.decode(
            DescribeStackResourceResponse.self, from: bytes, operation: "cloudformation:DescribeStackResource")
        return response.result.detail
    }
}

/// One resource of a deployed stack.
public struct StackResource: Sendable, Equatable, Decodable {
    /// The template's logical id.
    public var logicalResourceID: String
    /// The deployed name or id (for an `AWS::IAM::Role`, the role name).
    public var physicalResourceID: String?
    /// `AWS::IAM::Role`, …
    public var resourceType: String
    /// `CREATE_COMPLETE`, …
    public var resourceStatus: String
    /// The stack's name.
    public var stackName: String?

    /// Creates a resource description.
    public init(
        logicalResourceID: String, physicalResourceID: String?, resourceType: String, resourceStatus: String,
        stackName: String? = nil
    ) {
        self.logicalResourceID = logicalResourceID
        self.physicalResourceID = physicalResourceID
        self.resourceType = resourceType
        self.resourceStatus = resourceStatus
        self.stackName = stackName
    }

    enum CodingKeys: String, CodingKey {
        case logicalResourceID = "LogicalResourceId"
        case physicalResourceID = "PhysicalResourceId"
        case resourceType = "ResourceType"
        case resourceStatus = "ResourceStatus"
        case stackName = "StackName"
    }
}

struct DescribeStackResourceResponse: Decodable {
    struct Result: Decodable {
        var detail: StackResource
        enum CodingKeys: String, CodingKey { case detail = "StackResourceDetail" }
    }
    var result: Result
    enum CodingKeys: String, CodingKey { case result = "DescribeStackResourceResult" }
}

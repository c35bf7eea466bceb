import AWSAuth
import Foundation

/// `standin invoke FUNCTION --remote`: invokes the deployed function through Lambda's `Invoke` API, found by its
/// logical id in `--stack-name`'s resources, or by its name or ARN.
public enum RemoteInvoker {
    /// What the command prints and how it exits.
    public struct Outcome: Sendable {
        /// The deployed function's name (the physical id).
        public var functionName: String
        /// What `Invoke` answered.
        public var result: LambdaClient.InvokeResult
    }

    /// Finds the function and invokes it once.
    /// - Parameters:
    ///   - function: a logical id of the stack, or (without a stack, or when the stack has no such id) a function
    ///     name or ARN; nil when the stack has one function.
    ///   - logType: `Tail` for the log tail.
    /// - Throws: `StandinError`: no such stack or function (exit 2), an AWS refusal (exit 3).
    public static func invoke(
        options: CommonOptions, function: String?, event: EventInput, logType: String?, invocationType: String,
        qualifier: String?
    ) async throws(StandinError) -> Outcome {
        let payload = try event.read()
        let context = try await IdentityBroker(options: options).callerContext()
        let name = try await resolve(function, stackName: options.stackName, context: context)
        let lambda = LambdaClient(
            credentials: context.credentials, region: context.region, endpoint: context.endpoint(for: .lambda),
            httpClient: .shared)
        do {
            let result = try await lambda.invoke(
                function: name, payload: payload, invocationType: invocationType, logType: logType,
                qualifier: qualifier)
            return Outcome(functionName: name, result: result)
        } catch let error as AWSServiceError {
            throw error.code == "ResourceNotFoundException"
                ? .usage("\(name): no such function in \(context.region): \(error)") : .credentials(error.description)
        } catch {
            throw .failure("lambda:Invoke of \(name): \(error)")
        }
    }

    /// The function name to invoke.
    static func resolve(_ function: String?, stackName: String?, context: AWSContext) async throws(StandinError)
        -> String
    {
        guard let stackName else {
            guard let function else { throw .usage("name the function to invoke, or give --stack-name") }
            return function
        }
        if let function, function.hasPrefix("arn:") { return function }
        let cloudFormation = CloudFormationClient(
            credentials: context.credentials, region: context.region, endpoint: context.endpoint(for: .cloudFormation),
            httpClient: .shared)
        let resources: [StackResource]
        do {
            resources = try await cloudFormation.listStackResources(stackName: stackName)
        } catch let error as AWSServiceError where error.code == "ValidationError" {
            throw .usage("--stack-name \(stackName): \(error.message)")
        } catch {
            throw .credentials("cloudformation:ListStackResources for \(stackName): \(error)")
        }
        let functions = resources.filter { $0.resourceType == "AWS::Lambda::Function" }
        if let function {
            if let match = functions.first(where: { $0.logicalResourceID == function }), let physical = match.physicalResourceID {
                return physical
            }
            if functions.contains(where: { $0.physicalResourceID == function }) { return function }
            let known = functions.map(\.logicalResourceID).sorted().joined(separator: ", ")
            throw .usage(
                "stack \(stackName) has no function \(function)" + (known.isEmpty ? "" : " (its functions: \(known))"))
        }
        guard functions.count == 1, let physical = functions[0].physicalResourceID else {
            throw .usage(
                functions.isEmpty
                    ? "stack \(stackName) has no Lambda function"
                    : "stack \(stackName) has \(functions.count) functions; name one: "
                        + functions.map(\.logicalResourceID).sorted().joined(separator: ", "))
        }
        return physical
    }
}

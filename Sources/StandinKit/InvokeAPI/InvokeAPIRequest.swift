import Foundation

/// One call of Lambda's `Invoke` API (`POST /2015-03-31/functions/{FunctionName}/invocations`), parsed and
/// checked as Lambda checks it. Pure: no I/O. See REFERENCE.md §2 and
/// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html.
public struct InvokeAPIRequest: Sendable, Equatable {
    /// `X-Amz-Invocation-Type`.
    public enum InvocationType: String, Sendable {
        case requestResponse = "RequestResponse"
        case event = "Event"
        case dryRun = "DryRun"
    }

    /// The function name as given: a name, a partial or full ARN, maybe with `:qualifier`.
    public var functionName: String
    /// The name alone (the ARN's function part, without a qualifier).
    public var name: String
    /// `:qualifier` or `?Qualifier=`; nil for `$LATEST`.
    public var qualifier: String?
    /// `X-Amz-Invocation-Type` (default `RequestResponse`).
    public var invocationType: InvocationType
    /// `X-Amz-Log-Type: Tail`.
    public var tailLog: Bool
    /// The decoded `X-Amz-Client-Context` (JSON text).
    public var clientContext: String?
    /// `X-Amz-Tenant-Id`: the tenant of a tenant-isolated function, passed to the runtime.
    public var tenantID: String?

    /// Sync payloads above this are refused (6 MB).
    public static let maximumSyncPayload = 6 * 1024 * 1024
    /// Async (`Event`) payloads above this are refused (1 MB).
    public static let maximumAsyncPayload = 1024 * 1024

    /// Parses the parts of the HTTP request.
    /// - Parameters:
    ///   - pathName: the `{FunctionName}` path segment, percent-decoded.
    ///   - query: the `Qualifier` query value.
    ///   - header: looks up a request header (case-insensitive).
    /// - Throws: `InvokeAPIError` as Lambda answers a bad request.
    public init(pathName: String, qualifier queryQualifier: String?, header: (String) -> String?) throws(InvokeAPIError)
    {
        functionName = pathName
        var name = pathName
        var qualifier: String?
        if pathName.hasPrefix("arn:") {
            // arn:aws:lambda:region:account:function:name[:qualifier]
            let parts = pathName.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 7, parts[2] == "lambda", parts[5] == "function" else {
                throw .constraint(pathName, field: "functionName", "Member must satisfy regular expression pattern")
            }
            name = parts[6]
            if parts.count > 7 { qualifier = parts[7] }
        } else if pathName.contains(":") {
            // account:function:name or name:qualifier
            let parts = pathName.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if parts.count >= 3, parts[1] == "function" {
                name = parts[2]
                if parts.count > 3 { qualifier = parts[3] }
            } else {
                name = parts[0]
                qualifier = parts.count > 1 ? parts[1] : nil
            }
        }
        guard !name.isEmpty, name.count <= 140 else {
            throw .constraint(pathName, field: "functionName", "Member must have length less than or equal to 140")
        }
        if let queryQualifier, !queryQualifier.isEmpty {
            if let qualifier, qualifier != queryQualifier {
                throw .validation(
                    "The derived qualifier from the function name does not match the specified qualifier.")
            }
            qualifier = queryQualifier
        }
        self.name = name
        self.qualifier = qualifier == "$LATEST" ? nil : qualifier

        let type = header("X-Amz-Invocation-Type") ?? "RequestResponse"
        guard let invocationType = InvocationType(rawValue: type) else {
            throw .constraint(
                type, field: "invocationType", "Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
        }
        self.invocationType = invocationType
        let logType = header("X-Amz-Log-Type") ?? "None"
        guard logType == "None" || logType == "Tail" else {
            throw .constraint(logType, field: "logType", "Member must satisfy enum value set: [Tail, None]")
        }
        tailLog = logType == "Tail" && invocationType == .requestResponse
        if let encoded = header("X-Amz-Client-Context"), !encoded.isEmpty {
            guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else {
                throw .invalidRequestContent("Client context must be a valid Base64-encoded JSON object.")
            }
            clientContext = text
        } else {
            clientContext = nil
        }
        tenantID = header("X-Amz-Tenant-Id").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The largest payload this invocation type accepts.
    public var payloadLimit: Int {
        invocationType == .event ? Self.maximumAsyncPayload : Self.maximumSyncPayload
    }

    /// Checks the payload's size and that it is JSON, as Lambda does before invoking.
    public func checkPayload(_ payload: [UInt8]) throws(InvokeAPIError) {
        if payload.count > payloadLimit { throw .requestTooLarge(limit: payloadLimit, invocationType: invocationType) }
        if payload.isEmpty { return }
        do {
            _ = try JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed])
        } catch {
            throw .invalidRequestContent("Could not parse request body into json: \(describeJSONError(error))")
        }
    }

    /// The last 4 KB of a log, base64-encoded, for `X-Amz-Log-Result`.
    public static func logTail(_ log: [UInt8]) -> String {
        Data(log.suffix(4096)).base64EncodedString()
    }
}

/// An error answer of the Invoke API: HTTP status, `x-amzn-ErrorType`, and `{"Type":"User","Message":...}`.
public struct InvokeAPIError: Error, Sendable, Equatable {
    /// The HTTP status.
    public var status: Int
    /// `x-amzn-ErrorType`: the exception name SDKs surface as the error code.
    public var type: String
    /// The `Message` of the body.
    public var message: String
    /// `User` for the caller's mistakes, `Service` for ours.
    public var fault: String

    static func validation(_ message: String) -> InvokeAPIError {
        InvokeAPIError(status: 400, type: "ValidationException", message: message, fault: "User")
    }
    static func invalidRequestContent(_ message: String) -> InvokeAPIError {
        InvokeAPIError(status: 400, type: "InvalidRequestContentException", message: message, fault: "User")
    }
    /// A parameter that breaks its constraint, worded as Lambda words it.
    static func constraint(_ value: String, field: String, _ rule: String) -> InvokeAPIError {
        validation(
            "1 validation error detected: Value '\(value)' at '\(field)' failed to satisfy constraint: \(rule)")
    }
    /// A payload above the limit of its invocation type.
    static func requestTooLarge(limit: Int, invocationType: InvokeAPIRequest.InvocationType) -> InvokeAPIError {
        let operation = invocationType == .event ? "InvokeAsync" : "InvokeFunction"
        return InvokeAPIError(
            status: 413, type: "RequestTooLargeException",
            message: "Request must be smaller than \(limit) bytes for the \(operation) operation", fault: "User")
    }
    /// The function (or that version of it) does not exist.
    public static func notFound(_ arn: String) -> InvokeAPIError {
        InvokeAPIError(
            status: 404, type: "ResourceNotFoundException", message: "Function not found: \(arn)", fault: "User")
    }
    /// The function exists but cannot run here (its code is on S3 or not built, its runtime is not supported...):
    /// what Lambda answers for a function in the `Failed` state (`ResourceConflictException`), or
    /// `InvalidRuntimeException` for a runtime it cannot run, with standin's reason.
    public static func unavailable(_ reason: String, runtime: Bool) -> InvokeAPIError {
        if runtime {
            return InvokeAPIError(
                status: 502, type: "InvalidRuntimeException",
                message: "The runtime parameter of the function is not supported locally: \(reason)", fault: "User")
        }
        return InvokeAPIError(
            status: 409, type: "ResourceConflictException",
            message: "The operation cannot be performed at this time. The function is currently in the following"
                + " state: Failed (standin: \(reason))", fault: "User")
    }
    /// standin could not run the function (its role, its start).
    public static func service(_ message: String) -> InvokeAPIError {
        InvokeAPIError(status: 500, type: "ServiceException", message: message, fault: "Service")
    }

    /// The JSON body.
    public var body: [UInt8] {
        let object: [String: String] = ["Type": fault, "Message": message]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}

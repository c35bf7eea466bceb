import APIGateway
import Foundation
import LambdaRuntime
import Logging
import ProjectModel

/// The functions of a project, runnable on demand through a warm instance pool; what `start-api` and
/// `start-lambda` invoke.
///
/// Every invocation gets credentials valid for at least five minutes: when the role's credentials are renewed,
/// the function's warm instances (which hold the old ones in their environment) are retired.
public actor LocalFunctions: FunctionInvoking {
    /// Credentials must outlive the start of an invocation by this much.
    public static let minimumCredentialValidity: Duration = .seconds(300)

    public private(set) var session: Session
    private let broker: IdentityBroker
    private let pool: InstancePool
    private let logger: Logger
    private var credentialsInUse: [String: FunctionCredentials?] = [:]
    private var notesShown: Set<String> = []
    /// Unavailable functions whose reason was printed already (once per function, not per request).
    private var reportedUnavailable: Set<String> = []
    /// Each function's configuration for the credentials it was built with (dropped on any reload).
    private var configurations: [String: CachedConfiguration] = [:]

    private struct CachedConfiguration {
        var credentials: FunctionCredentials?
        var accountID: String
        var configuration: FunctionConfiguration
    }

    public init(session: Session, broker: IdentityBroker, pool: InstancePool, logger: Logger) {
        self.session = session
        self.broker = broker
        self.pool = pool
        self.logger = logger
    }

    /// The function with this id, logical id, function name or CDK path (ARNs and qualifiers are taken apart by
    /// `InvokeAPIRequest`, the only place names arrive in those forms).
    public func function(named name: String) -> FunctionSpec? {
        session.project.function(named: name)
    }

    /// Invokes a function through the pool.
    /// - Throws: `StandinError` when the function is unknown, its role cannot be assumed, or it cannot start.
    public func invoke(_ function: FunctionSpec, _ request: InvocationRequest) async throws(StandinError)
        -> InvocationResult
    {
        if let message = function.unavailableMessage { throw .usage(message) }
        let identity = try await broker.identity(for: function, minimumValidity: Self.minimumCredentialValidity)
        if !notesShown.contains(function.id) {
            notesShown.insert(function.id)
            identity.printNotes()
        }
        let configuration: FunctionConfiguration
        if let cached = configurations[function.id], cached.credentials == identity.credentials,
            cached.accountID == identity.accountID
        {
            configuration = cached.configuration  // the hot path of a warm server: no file system look-ups
        } else {
            configuration = try session.configuration(
                for: function, credentials: identity.credentials, accountID: identity.accountID)
            configurations[function.id] = CachedConfiguration(
                credentials: identity.credentials, accountID: identity.accountID, configuration: configuration)
        }
        if let previous = credentialsInUse[function.id], previous != identity.credentials {
            logger.debug("credentials renewed; retiring warm instances", metadata: ["function": "\(function.id)"])
            await pool.invalidate(instanceGroup: function.id)
        }
        credentialsInUse[function.id] = identity.credentials
        do {
            return try await pool.invoke(configuration, request)
        } catch {
            throw StandinError(.failure, "\(function.id): \(error)")
        }
    }

    /// `FunctionInvoking`, for the API Gateway server.
    public func invoke(functionLogicalID: String, payload: [UInt8]) async throws -> FunctionInvocationOutcome {
        guard let function = session.project.functions.first(where: { $0.id == functionLogicalID }) else {
            throw StandinError(.failure, "no function \(functionLogicalID) in the template")
        }
        if let message = function.unavailableMessage {
            // One log line per function, not per request: the access log has each request.
            if reportedUnavailable.insert(function.id).inserted { printNote(message) }
            throw StandinError(.usage, message)
        }
        let result = try await invoke(function, InvocationRequest(payload: payload))
        return FunctionInvocationOutcome(payload: result.payload, errorType: result.errorType)
    }

    /// Replaces the project (the template changed) and retires every warm instance.
    public func replaceSession(_ session: Session) async {
        self.session = session
        configurations = [:]
        for function in session.project.functions {
            await pool.invalidate(instanceGroup: function.id)
        }
        credentialsInUse = [:]
        reportedUnavailable = []
    }

    /// Retires the warm instances of the functions whose code or layers live under `changedPath`.
    /// - Returns: the logical ids of the functions that were reloaded.
    public func codeChanged(at changedPath: String) async -> [String] {
        Self.removeStaleBytecode(of: changedPath)
        var reloaded: [String] = []
        for function in session.project.functions where function.isAvailable {
            let folders = [function.code] + function.layers.map(\.code)
            let touched = folders.contains { location in
                switch location {
                case .directory(let url), .zipFile(let url):
                    // `/src/fn2/app.py` is not under `/src/fn`: compare whole path components.
                    changedPath == url.standardizedFileURL.path || changedPath.hasPrefix(url.standardizedFileURL.path + "/")
                }
            }
            if touched {
                configurations[function.id] = nil
                await pool.invalidate(instanceGroup: function.id)
                reloaded.append(function.id)
            }
        }
        return reloaded
    }

    /// Deletes the cached bytecode of an edited Python file. Python trusts a `.pyc` whose recorded source mtime (in
    /// whole seconds) and size match, so an edit in the same second that keeps the size would otherwise be ignored.
    static func removeStaleBytecode(of path: String) {
        guard path.hasSuffix(".py") else { return }
        let source = URL(fileURLWithPath: path)
        let cache = source.deletingLastPathComponent().appendingPathComponent("__pycache__")
        let stem = source.deletingPathExtension().lastPathComponent + "."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: cache.path) else { return }
        for name in names where name.hasPrefix(stem) && name.hasSuffix(".pyc") {
            try? FileManager.default.removeItem(at: cache.appendingPathComponent(name))
        }
    }

    /// Stops every instance.
    public func shutdown() async {
        await pool.shutdown()
    }
}

extension LocalFunctions {
    /// Starts one instance of `function` ahead of its first request (`--warm eager`).
    public func prewarm(_ function: FunctionSpec) async throws(StandinError) {
        let identity = try await broker.identity(for: function, minimumValidity: Self.minimumCredentialValidity)
        let configuration = try session.configuration(
            for: function, credentials: identity.credentials, accountID: identity.accountID)
        credentialsInUse[function.id] = identity.credentials
        do {
            try await pool.prewarm(configuration)
        } catch {
            throw StandinError(.failure, "\(function.id): \(error)")
        }
    }
}

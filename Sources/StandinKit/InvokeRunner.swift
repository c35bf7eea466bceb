import Foundation
import LambdaRuntime
import Logging

/// `standin invoke`: one invocation of one function, start to finish.
public enum InvokeRunner {
    /// What the command prints and how it exits.
    public struct Outcome: Sendable {
        /// The function's response, or Lambda's error document.
        public var payload: [UInt8]
        /// True when the function failed (the exit status is then non-zero).
        public var failed: Bool
    }

    /// Loads the project, resolves the function's role and environment, runs one instance, invokes it once and
    /// stops it.
    /// - Throws: `StandinError` for anything that stops the invocation before the function runs.
    /// - Parameters:
    ///   - runtime: `sam local invoke --runtime`: runs the function with this runtime instead of its own.
    ///   - tenantID: `--tenant-id`: the tenant passed to the runtime (`Lambda-Runtime-Aws-Tenant-Id`).
    ///   - clientContext: JSON the function gets as its context's client context (serverless `--context`).
    public static func run(
        options: CommonOptions, function name: String?, event: EventInput, runtime: String? = nil,
        tenantID: String? = nil, clientContext: String? = nil
    ) async throws(StandinError) -> Outcome {
        let sink: any LogSink = try options.logFile.map { path throws(StandinError) in
            try FileDescriptorLogSink.appending(to: path)
        } ?? FileDescriptorLogSink.standardError
        let payload = try event.read()
        let broker = IdentityBroker(options: options)
        let session = try Session.open(options, region: broker.region)
        var function = try session.runnableFunction(name)
        if let runtime { function.runtime = runtime }
        session.printNotes(for: function)
        let identity = try await broker.identity(for: function, minimumValidity: .seconds(60))
        identity.printNotes()
        let configuration = try session.configuration(
            for: function, credentials: identity.credentials, accountID: identity.accountID)
        let logger = Logger(label: "standin.invoke")
        let instance: FunctionInstance
        do {
            instance = try await FunctionInstance.start(configuration, logSink: sink, logger: logger)
        } catch {
            throw StandinError(.failure, "\(function.id): \(error)")
        }
        let result: InvocationResult
        do {
            result = try await instance.invoke(InvocationRequest(payload: payload, clientContext: clientContext, tenantID: tenantID))
        } catch {
            await instance.shutdown()
            throw StandinError(.failure, "\(function.id): \(error)")
        }
        // One invocation and done: Lambda ends a function without extensions at once (a 0 ms shutdown phase), and
        // so does invoke, which also spares the caller the runtime's SIGTERM handling.
        await instance.shutdown(grace: .zero)
        return Outcome(payload: result.payload, failed: result.isError)
    }
}

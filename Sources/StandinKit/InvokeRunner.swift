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
    public static func run(options: CommonOptions, function name: String?, event: EventInput) async throws(StandinError)
        -> Outcome
    {
        let sink: any LogSink = try options.logFile.map { path throws(StandinError) in
            try FileDescriptorLogSink.appending(to: path)
        } ?? FileDescriptorLogSink.standardError
        let payload = try event.read()
        let broker = IdentityBroker(options: options)
        let session = try Session.open(options, region: broker.region)
        let function = try session.runnableFunction(name)
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
            result = try await instance.invoke(InvocationRequest(payload: payload))
        } catch {
            await instance.shutdown()
            throw StandinError(.failure, "\(function.id): \(error)")
        }
        await instance.shutdown()
        return Outcome(payload: result.payload, failed: result.isError)
    }
}

import Foundation
import TestSupport
import Testing

@testable import LambdaRuntime

/// The bundled Python and Node.js runtime clients: their embedded copies, the installer, and real functions run
/// through `FunctionInstance` (real interpreters, the real Runtime API server, real HTTP on loopback).
@Suite(.timeLimit(.minutes(3)))
struct RuntimeClientTests {
    static let hostPath = "/usr/local/bin:/usr/bin:/bin"
    static let clientsFolder = TestPaths.packageRoot.appendingPathComponent("Sources/LambdaRuntime/RuntimeClients")

    // MARK: embedding and installing

    /// The client files, in the order the version hash reads them, and their embedded copies.
    static let clients: [(path: String, embedded: String)] = [
        ("python/standin_runtime.py", EmbeddedRuntimeClients.python),
        ("node/standin-runtime.mjs", EmbeddedRuntimeClients.node),
        ("java/StandinRuntime.java", EmbeddedRuntimeClients.java),
        ("ruby/standin_runtime.rb", EmbeddedRuntimeClients.ruby),
    ]

    @Test func embeddedClientsMatchTheFiles() throws {
        for (path, embedded) in Self.clients {
            let file = try String(contentsOf: Self.clientsFolder.appendingPathComponent(path), encoding: .utf8)
            #expect(embedded == file, "run scripts/embed-runtime-clients.sh after editing RuntimeClients/\(path)")
        }
    }

    @Test func versionIsTheSHA256OfTheClients() throws {
        let paths = Self.clients.map { Self.clientsFolder.appendingPathComponent($0.path).path }
        let result = try runProcess("/bin/sh", ["-c", "cat \"$@\" | sha256sum", "sh"] + paths)
        try #require(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.hasPrefix(EmbeddedRuntimeClients.version + " "))
        #expect(RuntimeClients.version == EmbeddedRuntimeClients.version)
    }

    @Test func installWritesTheClientsOnceIntoAVersionedFolder() throws {
        let cache = try makeTemporaryDirectory("standin-clients")
        let installed = try RuntimeClients.install(in: cache)
        let folder = cache.appendingPathComponent("runtime-clients/\(RuntimeClients.version)")
        #expect(installed.python.path == folder.appendingPathComponent("standin_runtime.py").path)
        #expect(installed.node.path == folder.appendingPathComponent("standin-runtime.mjs").path)
        #expect(try String(contentsOf: installed.python, encoding: .utf8) == EmbeddedRuntimeClients.python)
        #expect(try String(contentsOf: installed.node, encoding: .utf8) == EmbeddedRuntimeClients.node)
        #expect(try String(contentsOf: installed.java, encoding: .utf8) == EmbeddedRuntimeClients.java)
        #expect(try String(contentsOf: installed.ruby, encoding: .utf8) == EmbeddedRuntimeClients.ruby)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            == ["StandinRuntime.java", "standin-runtime.mjs", "standin_runtime.py", "standin_runtime.rb"])

        // Present files are left alone (a marker written into one survives a second install).
        try Data("# marker\n".utf8).write(to: installed.python)
        let again = try RuntimeClients.install(in: cache)
        #expect(again == installed)
        #expect(try String(contentsOf: installed.python, encoding: .utf8) == "# marker\n")

        // A missing file is written again.
        try FileManager.default.removeItem(at: installed.node)
        _ = try RuntimeClients.install(in: cache)
        #expect(try String(contentsOf: installed.node, encoding: .utf8) == EmbeddedRuntimeClients.node)
    }

    @Test func installIntoAnUnwritableFolderIsAClearError() throws {
        let cache = try makeTemporaryDirectory("standin-clients")
        let blocker = try writeFile(cache, "file", "not a folder")
        #expect {
            _ = try RuntimeClients.install(in: blocker)
        } throws: { error in
            (error as? RuntimeError)?.description.contains("runtime clients folder") == true
        }
    }

    /// The `-c` launch imports the client from its folder (so its bytecode is cached there) and the client ends at
    /// once when nothing answers at AWS_LAMBDA_RUNTIME_API.
    @Test func pythonArgumentsImportTheClientAndItExitsWhenTheAPIIsGone() throws {
        guard let python = InterpreterLocator.find("python3", path: Self.hostPath) else { return }
        let code = try makeTemporaryDirectory("standin-py")
        try writeFile(code, "app.py", "def handler(event, context):\n    return 1\n")
        let installed = try RuntimeClients.install(in: code.appendingPathComponent(".cache"))
        let environment = [
            "PATH": Self.hostPath, "LAMBDA_TASK_ROOT": code.path, "_HANDLER": "app.handler",
            "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:\(freeLoopbackPort())",
        ]
        let result = try runProcess(
            python, installed.pythonArguments, environment: environment, currentDirectory: code, timeout: 30)
        #expect(result.status == 1, "\(result.stdoutText) \(result.stderrText)")
        #expect(result.stderrText.isEmpty)
        let cached = installed.python.deletingLastPathComponent().appendingPathComponent("__pycache__")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: cached.path)) ?? []
        #expect(entries.contains { $0.hasPrefix("standin_runtime.") && $0.hasSuffix(".pyc") })
    }

    @Test func nodeClientExitsWhenTheAPIIsGone() throws {
        guard let node = InterpreterLocator.find("node", path: Self.hostPath) else { return }
        let code = try makeTemporaryDirectory("standin-node")
        try writeFile(code, "index.js", "exports.handler = async () => 1;\n")
        let installed = try RuntimeClients.install(in: code.appendingPathComponent(".cache"))
        let environment = [
            "PATH": Self.hostPath, "LAMBDA_TASK_ROOT": code.path, "_HANDLER": "index.handler",
            "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:\(freeLoopbackPort())",
        ]
        let result = try runProcess(
            node, installed.nodeArguments, environment: environment, currentDirectory: code, timeout: 30)
        #expect(result.status == 1, "\(result.stdoutText) \(result.stderrText)")
    }

    // MARK: Python through FunctionInstance

    @Test func pythonHandlerReturnsADictAndSeesItsContext() async throws {
        guard let run = try await PythonFunction.start(
            files: [
                "app.py": """
                import os
                def handler(event, context):
                    return {
                        "event": event,
                        "requestId": context.aws_request_id,
                        "functionName": context.function_name,
                        "functionVersion": context.function_version,
                        "memory": context.memory_limit_in_mb,
                        "arn": context.invoked_function_arn,
                        "logGroup": context.log_group_name,
                        "logStream": context.log_stream_name,
                        "remaining": context.get_remaining_time_in_millis(),
                        "identityID": context.identity.cognito_identity_id,
                        "clientCustom": context.client_context.custom,
                        "appTitle": context.client_context.client.app_title,
                        "trace": os.environ.get("_X_AMZN_TRACE_ID"),
                    }
                """
            ])
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let trace = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"
        let request = InvocationRequest(
            payload: Array(#"{"a": [1, 2]}"#.utf8), requestID: "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
            clientContext: #"{"custom": {"k": "v"}, "env": {}, "client": {"app_title": "demo"}}"#,
            cognitoIdentity: #"{"cognitoIdentityId": "id-1", "cognitoIdentityPoolId": "pool-1"}"#, traceID: trace)
        let result = try await run.instance.invoke(request)
        #expect(result.errorType == nil, "\(result.payloadText) \(result.logText)")
        let object = try #require(jsonObject(result.payload), "\(result.payloadText) \(result.logText)")
        #expect((object["event"] as? [String: Any])?["a"] as? [Int] == [1, 2])
        #expect(object["requestId"] as? String == "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
        #expect(object["functionName"] as? String == "test-fn")
        #expect(object["functionVersion"] as? String == "$LATEST")
        #expect(object["memory"] as? String == "256")
        #expect(object["arn"] as? String == "arn:aws:lambda:eu-west-1:111122223333:function:test-fn")
        #expect(object["logGroup"] as? String == "/aws/lambda/test-fn")
        #expect((object["logStream"] as? String)?.contains("[$LATEST]") == true)
        let remaining = try #require(object["remaining"] as? Int)
        #expect(remaining > 0 && remaining <= 10_000)
        #expect(object["identityID"] as? String == "id-1")
        #expect((object["clientCustom"] as? [String: String]) == ["k": "v"])
        #expect(object["appTitle"] as? String == "demo")
        #expect(object["trace"] as? String == trace)
        // json.dumps' separators, as awslambdaric writes them.
        #expect(result.payloadText.hasPrefix(#"{"event": {"a": [1, 2]}, "requestId": "#))
        // The client was imported as a module, so its bytecode is cached for the next cold start.
        let pycache = run.instance.configuration.cacheDirectory
            .appendingPathComponent("runtime-clients/\(RuntimeClients.version)/__pycache__")
        #expect(FileManager.default.fileExists(atPath: pycache.path))
    }

    @Test func pythonHandlerErrorHasTypeMessageAndStackTrace() async throws {
        guard let run = try await PythonFunction.start(
            files: [
                "app.py": """
                def handler(event, context):
                    raise ValueError("bad thing happened")
                """
            ])
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let request = InvocationRequest(payload: Array("{}".utf8))
        let result = try await run.instance.invoke(request)
        #expect(result.errorType == "ValueError")
        let object = try #require(jsonObject(result.payload), "\(result.payloadText)")
        #expect(object["errorType"] as? String == "ValueError")
        #expect(object["errorMessage"] as? String == "bad thing happened")
        #expect(object["requestId"] as? String == request.requestID)
        let trace = try #require(object["stackTrace"] as? [String])
        #expect(trace.count == 1)
        #expect(trace.first?.contains(#"app.py", line 2, in handler"#) == true)
        #expect(trace.first?.contains("standin_runtime") == false)
        #expect(result.logText.contains("[ERROR] ValueError: bad thing happened\rTraceback (most recent call last):"))
        // The instance keeps serving after a handled error.
        #expect(run.instance.isHealthy)
    }

    @Test(arguments: [
        ("nope.handler", "Runtime.ImportModuleError", "Unable to import module 'nope': No module named 'nope'"),
        ("app.nope", "Runtime.HandlerNotFound", "Handler 'nope' missing on module 'app'"),
        ("broken.handler", "Runtime.UserCodeSyntaxError", "Syntax error in module 'broken': "),
        ("uses_missing.handler", "Runtime.ImportModuleError",
         "Unable to import module 'uses_missing': No module named 'not_installed_anywhere'"),
        ("crashes.handler", "RuntimeError", "init went wrong"),
        ("nodot", "Runtime.MalformedHandlerName", "Bad handler 'nodot': "),
    ])
    func pythonInitErrors(handler: String, errorType: String, message: String) async throws {
        guard let run = try await PythonFunction.start(
            handler: handler,
            files: [
                "app.py": "def handler(event, context):\n    return 1\n",
                "broken.py": "def handler(event, context)\n    return 1\n",
                "uses_missing.py": "import not_installed_anywhere\n",
                "crashes.py": "raise RuntimeError('init went wrong')\n",
            ])
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let result = try await run.instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(result.errorType == errorType, "\(result.payloadText) \(result.logText)")
        let object = try #require(jsonObject(result.payload), "\(result.payloadText)")
        #expect(object["errorType"] as? String == errorType)
        #expect((object["errorMessage"] as? String)?.hasPrefix(message) == true, "\(result.payloadText)")
        #expect(object["requestId"] as? String == "")
        #expect(object["stackTrace"] is [String])
        #expect(!run.instance.isHealthy)
    }

    @Test(arguments: ["pkg/sub/module.handler", "pkg.sub.module.handler"])
    func pythonNestedHandlerPaths(handler: String) async throws {
        guard let run = try await PythonFunction.start(
            handler: handler,
            files: [
                "pkg/__init__.py": "",
                "pkg/sub/__init__.py": "",
                "pkg/sub/module.py": "def handler(event, context):\n    return {'nested': __name__}\n",
            ])
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let result = try await run.instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(result.payloadText == #"{"nested": "pkg.sub.module"}"#, "\(result.logText)")
    }

    @Test func pythonPrintAndLoggingLandInTheLog() async throws {
        guard let run = try await PythonFunction.start(
            files: [
                "app.py": """
                import logging
                logger = logging.getLogger()
                logger.setLevel(logging.INFO)
                print("loaded")
                def handler(event, context):
                    print("hello from print", end="")
                    print()
                    logger.info("from logging %s", 42)
                    return None
                """
            ])
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let request = InvocationRequest(payload: Array("{}".utf8))
        let result = try await run.instance.invoke(request)
        #expect(result.payloadText == "null")
        let log = result.logText
        #expect(log.contains("hello from print\n"), "\(log)")
        let line = try #require(log.split(separator: "\n").first { $0.contains("from logging 42") })
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        #expect(fields.count == 4, "\(line)")
        #expect(fields.first == "[INFO]")
        #expect(fields.count > 2 && fields[2] == Substring(request.requestID))
        #expect(fields.count > 1 && fields[1].hasSuffix("Z") && fields[1].contains("T"))
    }

    /// `logging` imported only inside the handler still gets Lambda's handler, so `basicConfig` does nothing.
    @Test func pythonLoggingImportedLaterUsesLambdasFormat() async throws {
        guard let run = try await PythonFunction.start(
            files: [
                "app.py": """
                def handler(event, context):
                    import logging
                    logging.basicConfig(format="%(message)s")
                    logging.getLogger("child").warning("late warning")
                    return 1
                """
            ])
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let request = InvocationRequest(payload: Array("{}".utf8))
        let result = try await run.instance.invoke(request)
        #expect(result.payloadText == "1")
        #expect(result.logText.contains("\t\(request.requestID)\tlate warning\n"), "\(result.logText)")
        #expect(result.logText.contains("[WARNING]\t"), "\(result.logText)")
    }

    @Test func pythonJSONLogFormat() async throws {
        guard let run = try await PythonFunction.start(
            files: [
                "app.py": """
                import logging
                logging.getLogger().setLevel(logging.INFO)
                def handler(event, context):
                    logging.getLogger("mine").info("structured %s", "hello", extra={"order": 7})
                    raise KeyError("missing")
                """
            ],
            environment: ["AWS_LAMBDA_LOG_FORMAT": "JSON"])
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let request = InvocationRequest(payload: Array("{}".utf8))
        let result = try await run.instance.invoke(request)
        #expect(result.errorType == "KeyError")
        let records = result.logText.split(separator: "\n").compactMap { jsonObject(Array($0.utf8)) }
        let info = try #require(records.first { $0["level"] as? String == "INFO" }, "\(result.logText)")
        #expect(info["message"] as? String == "structured hello")
        #expect(info["logger"] as? String == "mine")
        #expect(info["requestId"] as? String == request.requestID)
        #expect(info["order"] as? Int == 7)
        let error = try #require(records.first { $0["level"] as? String == "ERROR" }, "\(result.logText)")
        #expect(error["errorType"] as? String == "KeyError")
        #expect(error["requestId"] as? String == request.requestID)
    }

    @Test func pythonUnserializableResultIsAMarshalError() async throws {
        guard let run = try await PythonFunction.start(
            files: ["app.py": "def handler(event, context):\n    return {1, 2}\n"])
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let result = try await run.instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(result.errorType == "Runtime.MarshalError")
        let object = try #require(jsonObject(result.payload))
        #expect(
            object["errorMessage"] as? String
                == "Unable to marshal response: Object of type set is not JSON serializable")
    }

    @Test func pythonUnicodeAndLargePayloadsRoundTrip() async throws {
        guard let run = try await PythonFunction.start(
            files: ["app.py": "def handler(event, context):\n    return event\n"])
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let unicode = try await run.instance.invoke(InvocationRequest(payload: Array(#"{"s": "héllo ✓ 日本 🎉"}"#.utf8)))
        let object = try #require(jsonObject(unicode.payload), "\(unicode.payloadText)")
        #expect(object["s"] as? String == "héllo ✓ 日本 🎉")
        let big = String(repeating: "abcdefghij", count: 100_000) + "é"
        let large = try await run.instance.invoke(InvocationRequest(payload: Array(#"{"big": "\#(big)"}"#.utf8)))
        #expect(large.errorType == nil, "\(large.logText)")
        #expect((jsonObject(large.payload)?["big"] as? String) == big)
    }

    // MARK: Node.js through FunctionInstance

    @Test(arguments: [
        // A non-async handler's return value is ignored, as in Lambda: the response is null.
        ("index.syncReturn", "null"),
        ("index.syncSucceed", #"{"via":"succeed"}"#),
        ("index.asyncHandler", #"{"via":"async","event":{"n":1}}"#),
        ("index.promiseHandler", #"{"via":"promise"}"#),
        ("index.callbackHandler", #"{"via":"callback"}"#),
        // The callback's result is sent once the event loop is empty, unless told not to wait.
        ("index.callbackWaits", #"{"text":"after the timer"}"#),
        ("index.callbackDoesNotWait", #"{"text":"before the timer"}"#),
        ("index.nested.deeper", #""nested""#),
        ("esm/app.handler", #"{"via":"mjs"}"#),
        ("typed/mod.handler", #"{"via":"type-module"}"#),
        ("other.handler", #"{"via":"cjs"}"#),
    ])
    func nodeHandlerStyles(handler: String, expected: String) async throws {
        guard let run = try await NodeFunction.start(handler: handler, files: NodeFunction.fixtures) else { return }
        defer { Task { await run.instance.shutdown() } }
        let result = try await run.instance.invoke(InvocationRequest(payload: Array(#"{"n":1}"#.utf8)))
        #expect(result.errorType == nil, "\(result.payloadText) \(result.logText)")
        #expect(result.payloadText == expected, "\(result.logText)")
        // The instance serves a second invocation too.
        let second = try await run.instance.invoke(InvocationRequest(payload: Array(#"{"n":1}"#.utf8)))
        #expect(second.payloadText == expected, "\(second.logText)")
    }

    @Test func nodeContextAndConsoleFormat() async throws {
        guard let run = try await NodeFunction.start(handler: "index.context", files: NodeFunction.fixtures)
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let trace = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"
        let request = InvocationRequest(
            payload: Array("{}".utf8), clientContext: #"{"custom":{"k":"v"}}"#,
            cognitoIdentity: #"{"cognitoIdentityId":"id-1"}"#, traceID: trace)
        let result = try await run.instance.invoke(request)
        let object = try #require(jsonObject(result.payload), "\(result.payloadText) \(result.logText)")
        #expect(object["awsRequestId"] as? String == request.requestID)
        #expect(object["functionName"] as? String == "test-fn")
        #expect(object["functionVersion"] as? String == "$LATEST")
        #expect(object["memoryLimitInMB"] as? String == "256")
        #expect(object["invokedFunctionArn"] as? String == "arn:aws:lambda:eu-west-1:111122223333:function:test-fn")
        #expect(object["logGroupName"] as? String == "/aws/lambda/test-fn")
        #expect(object["callbackWaitsForEmptyEventLoop"] as? Bool == true)
        let remaining = try #require(object["remaining"] as? Int)
        #expect(remaining > 0 && remaining <= 10_000)
        #expect((object["clientContext"] as? [String: Any])?["custom"] as? [String: String] == ["k": "v"])
        #expect((object["identity"] as? [String: String]) == ["cognitoIdentityId": "id-1"])
        #expect(object["trace"] as? String == trace)
        let line = try #require(result.logText.split(separator: "\n").first { $0.contains("hello from console") })
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        #expect(fields.count == 4, "\(line)")
        #expect(fields.count > 1 && fields[1] == Substring(request.requestID))
        #expect(fields.count > 2 && fields[2] == "INFO")
        #expect(fields.count > 3 && fields[3] == "hello from console { a: 1 } \rsecond line")
        #expect(fields.first?.hasSuffix("Z") == true)
    }

    @Test func nodeJSONLogFormat() async throws {
        guard let run = try await NodeFunction.start(
            handler: "index.throws", files: NodeFunction.fixtures, environment: ["AWS_LAMBDA_LOG_FORMAT": "JSON"])
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let request = InvocationRequest(payload: Array("{}".utf8))
        let result = try await run.instance.invoke(request)
        #expect(result.errorType == "TypeError")
        let records = result.logText.split(separator: "\n").compactMap { jsonObject(Array($0.utf8)) }
        let error = try #require(records.first { $0["level"] as? String == "ERROR" }, "\(result.logText)")
        #expect(error["requestId"] as? String == request.requestID)
        let message = try #require(error["message"] as? [String: Any])
        #expect(message["errorType"] as? String == "TypeError")
        #expect(message["errorMessage"] as? String == "bad thing happened")
    }

    @Test func nodeThrownErrorHasTypeMessageAndTrace() async throws {
        guard let run = try await NodeFunction.start(handler: "index.throws", files: NodeFunction.fixtures)
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let result = try await run.instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(result.errorType == "TypeError")
        let object = try #require(jsonObject(result.payload), "\(result.payloadText)")
        #expect(object["errorType"] as? String == "TypeError")
        #expect(object["errorMessage"] as? String == "bad thing happened")
        let trace = try #require(object["trace"] as? [String])
        #expect(trace.first == "TypeError: bad thing happened")
        #expect(trace.contains { $0.contains("index.js") })
        #expect(result.logText.contains("\tERROR\tInvoke Error \t{\"errorType\":\"TypeError\""))
        #expect(run.instance.isHealthy)
    }

    @Test func nodeThrownNonErrorIsReportedByItsType() async throws {
        guard let run = try await NodeFunction.start(handler: "index.throwsString", files: NodeFunction.fixtures)
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let result = try await run.instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(result.payloadText == #"{"errorType":"string","errorMessage":"just a string","trace":[]}"#)
    }

    @Test func nodeUnhandledRejectionFailsTheInvocationAndEndsTheProcess() async throws {
        guard let run = try await NodeFunction.start(handler: "index.unhandled", files: NodeFunction.fixtures)
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let result = try await run.instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(result.errorType == "Runtime.UnhandledPromiseRejection", "\(result.payloadText)")
        #expect(jsonObject(result.payload)?["errorMessage"] as? String == "Error: unhandled boom")
    }

    @Test(arguments: [
        ("index.nope", "Runtime.HandlerNotFound", "index.nope is undefined or not exported"),
        ("index.notAFunction", "Runtime.HandlerNotFound", "index.notAFunction is not a function"),
        ("missing.handler", "Runtime.ImportModuleError", "Error: Cannot find module 'missing'\nRequire stack:\n- "),
        ("broken.handler", "Runtime.UserCodeSyntaxError", "SyntaxError: "),
        ("../outside.handler", "Runtime.MalformedHandlerName", "'../outside.handler' is not a valid handler name."),
    ])
    func nodeInitErrors(handler: String, errorType: String, message: String) async throws {
        guard let run = try await NodeFunction.start(handler: handler, files: NodeFunction.fixtures) else { return }
        defer { Task { await run.instance.shutdown() } }
        let result = try await run.instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(result.errorType == errorType, "\(result.payloadText) \(result.logText)")
        let object = try #require(jsonObject(result.payload), "\(result.payloadText)")
        #expect((object["errorMessage"] as? String)?.hasPrefix(message) == true, "\(result.payloadText)")
        #expect((object["trace"] as? [String])?.first?.hasPrefix(errorType) == true)
        #expect(!run.instance.isHealthy)
    }

    @Test func nodeStreamingHandlerResponseIsCollected() async throws {
        guard let run = try await NodeFunction.start(handler: "stream.plain", files: NodeFunction.fixtures)
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let result = try await run.instance.invoke(InvocationRequest(payload: Array(#"{"n":1}"#.utf8)))
        #expect(result.errorType == nil, "\(result.payloadText) \(result.logText)")
        #expect(result.payloadText == "hello streamed world", "\(result.logText)")
        let second = try await run.instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(second.payloadText == "hello streamed world", "\(second.logText)")
    }

    @Test func nodeStreamingHTTPResponseHasThePreludeAndDelimiter() async throws {
        guard let run = try await NodeFunction.start(handler: "stream.http", files: NodeFunction.fixtures)
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let result = try await run.instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(result.errorType == nil, "\(result.payloadText) \(result.logText)")
        let prelude = Array(#"{"statusCode":201,"headers":{"x-a":"b"}}"#.utf8)
        #expect(result.payload == prelude + [UInt8](repeating: 0, count: 8) + Array("body".utf8))
    }

    @Test func nodeStreamingHandlerErrorFailsTheInvocation() async throws {
        guard let run = try await NodeFunction.start(handler: "stream.fails", files: NodeFunction.fixtures)
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let result = try await run.instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(result.errorType == "RangeError", "\(result.payloadText) \(result.logText)")
    }

    @Test func nodeUnicodeAndLargePayloadsRoundTrip() async throws {
        guard let run = try await NodeFunction.start(handler: "index.echo", files: NodeFunction.fixtures)
        else { return }
        defer { Task { await run.instance.shutdown() } }
        let unicode = try await run.instance.invoke(InvocationRequest(payload: Array(#"{"s":"héllo ✓ 日本 🎉"}"#.utf8)))
        #expect(unicode.payloadText == #"{"s":"héllo ✓ 日本 🎉"}"#)
        let big = String(repeating: "abcdefghij", count: 100_000) + "é"
        let large = try await run.instance.invoke(InvocationRequest(payload: Array(#"{"big":"\#(big)"}"#.utf8)))
        #expect(large.errorType == nil, "\(large.logText)")
        #expect(large.payloadText == #"{"big":"\#(big)"}"#)
    }
}

/// A running function instance with the bundled clients, and its log.
private struct RunningFunction {
    var instance: FunctionInstance
    var log: CollectingLogSink
}

/// Starts `files` as a function of `runtime` with the installed bundled clients; nil when no interpreter is found.
private func startWithBundledClients(
    runtime: String, interpreter: String, handler: String, files: [String: String], environment: [String: String]
) async throws -> RunningFunction? {
    guard InterpreterLocator.find(interpreter, path: RuntimeClientTests.hostPath) != nil else { return nil }
    let code = try makeTemporaryDirectory("standin-client")
    for (path, text) in files { try writeFile(code, path, text) }
    let configuration = makeConfiguration(
        code: code, runtime: runtime, handler: handler, timeout: .seconds(10), environment: environment,
        hostPath: RuntimeClientTests.hostPath)
    let sink = CollectingLogSink()
    // The public entry point: the bundled clients are installed in the configuration's cache folder.
    let instance = try await FunctionInstance.start(configuration, logSink: sink, logger: quietLogger)
    return RunningFunction(instance: instance, log: sink)
}

private enum PythonFunction {
    static func start(
        handler: String = "app.handler", files: [String: String], environment: [String: String] = [:]
    ) async throws -> RunningFunction? {
        try await startWithBundledClients(
            runtime: "python3.11", interpreter: "python3", handler: handler, files: files, environment: environment)
    }
}

private enum NodeFunction {
    static func start(
        handler: String, files: [String: String], environment: [String: String] = [:]
    ) async throws -> RunningFunction? {
        try await startWithBundledClients(
            runtime: "nodejs20.x", interpreter: "node", handler: handler, files: files, environment: environment)
    }

    /// One code folder with every handler style the Node.js tests use.
    static let fixtures: [String: String] = [
        "index.js": """
        exports.syncReturn = (event, context) => ({ ignored: true });
        exports.syncSucceed = (event, context) => { context.succeed({ via: 'succeed' }); };
        exports.asyncHandler = async (event) => ({ via: 'async', event });
        exports.promiseHandler = (event) => Promise.resolve({ via: 'promise' });
        exports.callbackHandler = (event, context, callback) => {
          setTimeout(() => callback(null, { via: 'callback' }), 5);
        };
        exports.callbackWaits = (event, context, callback) => {
          const result = { text: 'before the timer' };
          setTimeout(() => { result.text = 'after the timer'; }, 20);
          callback(null, result);
        };
        exports.callbackDoesNotWait = (event, context, callback) => {
          context.callbackWaitsForEmptyEventLoop = false;
          const result = { text: 'before the timer' };
          setTimeout(() => { result.text = 'after the timer'; }, 200);
          callback(null, result);
        };
        exports.nested = { deeper: async () => 'nested' };
        exports.echo = async (event) => event;
        exports.context = async (event, context) => {
          console.log('hello from console', { a: 1 }, '\\nsecond line');
          return {
            awsRequestId: context.awsRequestId,
            functionName: context.functionName,
            functionVersion: context.functionVersion,
            memoryLimitInMB: context.memoryLimitInMB,
            invokedFunctionArn: context.invokedFunctionArn,
            logGroupName: context.logGroupName,
            callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
            remaining: context.getRemainingTimeInMillis(),
            clientContext: context.clientContext,
            identity: context.identity,
            trace: process.env._X_AMZN_TRACE_ID,
          };
        };
        exports.throws = async () => { throw new TypeError('bad thing happened'); };
        exports.throwsString = async () => { throw 'just a string'; };
        exports.unhandled = (event) => {
          Promise.reject(new Error('unhandled boom'));
          return new Promise(() => {});
        };
        exports.notAFunction = 5;
        """,
        "stream.mjs": """
        export const plain = awslambda.streamifyResponse(async (event, responseStream, context) => {
          responseStream.write('hello ');
          await new Promise((resolve) => setTimeout(resolve, 5));
          responseStream.write(Buffer.from('streamed '));
          responseStream.end('world');
        });
        export const http = awslambda.streamifyResponse(async (event, responseStream) => {
          const stream = awslambda.HttpResponseStream.from(
            responseStream, { statusCode: 201, headers: { 'x-a': 'b' } });
          stream.write('body');
          stream.end();
        });
        export const fails = awslambda.streamifyResponse(async (event, responseStream) => {
          responseStream.write('partial');
          throw new RangeError('stream broke');
        });
        """,
        "esm/app.mjs": "export const handler = async () => ({ via: 'mjs' });\n",
        "typed/package.json": #"{"type": "module"}"#,
        "typed/mod.js": "export async function handler() { return { via: 'type-module' }; }\n",
        "other.cjs": "module.exports.handler = async () => ({ via: 'cjs' });\n",
        "broken.js": "exports.handler = async () => { syntax error here\n",
    ]
}

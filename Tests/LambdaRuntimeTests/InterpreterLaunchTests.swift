import Foundation
import TestSupport
import Testing

@testable import LambdaRuntime

/// Python and Node.js launches: interpreter choice, shim resolution and its cache, and a run through a small
/// stand-in runtime client (the bundled clients are tested on their own).
@Suite(.timeLimit(.minutes(2)))
struct InterpreterLaunchTests {
    static let miniPythonClient = """
        import os, sys, json, importlib, urllib.request
        api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
        sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
        module, name = os.environ["_HANDLER"].rsplit(".", 1)
        handler = getattr(importlib.import_module(module), name)
        while True:
            with urllib.request.urlopen(api + "/invocation/next") as r:
                request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
                event = json.loads(r.read())
            body = json.dumps(handler(event, None)).encode()
            url = api + "/invocation/" + request_id + "/response"
            urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST")).read()
        """

    static let miniNodeClient = """
        const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
        const [file, name] = process.env._HANDLER.split(".");
        const module = await import(`${process.env.LAMBDA_TASK_ROOT}/${file}.mjs`);
        while (true) {
            const next = await fetch(`${api}/invocation/next`);
            const id = next.headers.get("lambda-runtime-aws-request-id");
            const result = await module[name](await next.json(), {});
            await fetch(`${api}/invocation/${id}/response`, { method: "POST", body: JSON.stringify(result) });
        }
        """

    func clients(in directory: URL) throws -> RuntimeClientPaths {
        RuntimeClientPaths(
            python: try writeFile(directory, "clients/mini.py", Self.miniPythonClient),
            node: try writeFile(directory, "clients/mini.mjs", Self.miniNodeClient))
    }

    @Test func pythonFunctionRunsWithTheRuntimesInterpreter() async throws {
        guard let venvBin = TestPaths.venvBin, TestPaths.venvTool("python3.11") != nil else { return }
        let code = try makeTemporaryDirectory("standin-py")
        try writeFile(
            code, "app.py",
            """
            import os, sys
            def handler(event, context):
                return {"event": event, "executable": sys.executable, "cwd": os.getcwd(),
                        "runtimeDir": os.environ["LAMBDA_RUNTIME_DIR"]}
            """)
        let configuration = makeConfiguration(
            code: code, runtime: "python3.11", hostPath: "\(venvBin.path):/usr/bin:/bin")
        let clients = try clients(in: code)
        let instance = try await FunctionInstance.start(
            configuration, logSink: DiscardingLogSink(), logger: quietLogger, clients: clients)
        defer { Task { await instance.shutdown() } }
        let result = try await instance.invoke(InvocationRequest(payload: Array(#"{"a":1}"#.utf8)))
        let object = try #require(jsonObject(result.payload), "\(result.payloadText) \(result.logText)")
        #expect((object["event"] as? [String: Any])?["a"] as? Int == 1)
        #expect((object["executable"] as? String)?.hasPrefix(venvBin.path) == true)
        #expect(object["cwd"] as? String == code.path)
        #expect(object["runtimeDir"] as? String == clients.python.deletingLastPathComponent().path)
    }

    @Test func nodeFunctionRuns() async throws {
        guard InterpreterLocator.find("node", path: "/usr/local/bin:/usr/bin:/bin") != nil else { return }
        let code = try makeTemporaryDirectory("standin-node")
        try writeFile(
            code, "index.mjs", "export const handler = async (event) => ({ got: event, v: process.version });\n")
        let configuration = makeConfiguration(code: code, runtime: "nodejs20.x", handler: "index.handler")
        let instance = try await FunctionInstance.start(
            configuration, logSink: DiscardingLogSink(), logger: quietLogger, clients: try clients(in: code))
        defer { Task { await instance.shutdown() } }
        let result = try await instance.invoke(InvocationRequest(payload: Array("[1,2]".utf8)))
        let object = try #require(jsonObject(result.payload), "\(result.payloadText) \(result.logText)")
        #expect(object["got"] as? [Int] == [1, 2])
    }

    @Test func missingPythonVersionFallsBackToPython3WithAWarning() throws {
        guard let venvBin = TestPaths.venvBin, TestPaths.venvTool("python3") != nil else { return }
        let code = try makeTemporaryDirectory("standin-py")
        let configuration = makeConfiguration(code: code, runtime: "python3.99", hostPath: venvBin.path)
        let interpreter = try InterpreterLocator.python(for: configuration)
        #expect(interpreter.executable.hasPrefix(venvBin.path))
        let warning = try #require(interpreter.warning)
        #expect(warning.contains("python3.99") && warning.contains("python3 (3."))
    }

    @Test func shimIsResolvedOnceAndCached() throws {
        guard let python = TestPaths.venvTool("python") else { return }
        let code = try makeTemporaryDirectory("standin-shim")
        let shims = code.appendingPathComponent("shims")
        try writeFile(shims, "python3.77", "#!/bin/sh\nexec \(python.path) \"$@\"\n", executable: true)
        let configuration = makeConfiguration(code: code, runtime: "python3.77", hostPath: shims.path)
        #expect(InterpreterLocator.isScript(shims.appendingPathComponent("python3.77").path))
        let first = try InterpreterLocator.python(for: configuration)
        #expect(first.executable == python.path)
        #expect(first.warning == nil)
        let cached = try FileManager.default.contentsOfDirectory(
            atPath: configuration.cacheDirectory.appendingPathComponent("interpreters").path)
        #expect(cached.count == 1)
        // The answer now comes from the cache: a shim that no longer works does not matter.
        try writeFile(shims, "python3.77", "#!/bin/sh\nexit 1\n", executable: true)
        #expect(try InterpreterLocator.python(for: configuration).executable == python.path)
    }

    @Test func nodeMajorMismatchIsWarned() throws {
        guard InterpreterLocator.find("node", path: "/usr/local/bin:/usr/bin:/bin") != nil else { return }
        let code = try makeTemporaryDirectory("standin-node")
        let interpreter = try InterpreterLocator.node(for: makeConfiguration(code: code, runtime: "nodejs4.x"))
        #expect(interpreter.warning?.contains("node 4 is not on PATH") == true)
    }

    @Test func noInterpreterIsAClearError() throws {
        let code = try makeTemporaryDirectory("standin-none")
        #expect {
            try InterpreterLocator.python(
                for: makeConfiguration(code: code, runtime: "python3.12", hostPath: code.path))
        } throws: { error in
            "\(error)".contains("none of python3.12, python3 found on PATH")
        }
    }
}

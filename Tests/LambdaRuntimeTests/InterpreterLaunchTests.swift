import Foundation
import TestSupport
import Testing

@testable import LambdaRuntime

/// Python and Node.js launches: interpreter choice, shim resolution and its cache, and the default wiring of the
/// bundled runtime clients (their behaviour is tested in RuntimeClientTests).
@Suite(.timeLimit(.minutes(2)))
struct InterpreterLaunchTests {
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
        let instance = try await FunctionInstance.start(
            configuration, logSink: DiscardingLogSink(), logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let result = try await instance.invoke(InvocationRequest(payload: Array(#"{"a":1}"#.utf8)))
        let object = try #require(jsonObject(result.payload), "\(result.payloadText) \(result.logText)")
        #expect((object["event"] as? [String: Any])?["a"] as? Int == 1)
        #expect((object["executable"] as? String)?.hasPrefix(venvBin.path) == true)
        #expect(object["cwd"] as? String == code.path)
        let installed = try RuntimeClients.install(in: configuration.cacheDirectory)
        #expect(object["runtimeDir"] as? String == installed.python.deletingLastPathComponent().path)
    }

    @Test func nodeFunctionRuns() async throws {
        guard InterpreterLocator.find("node", path: "/usr/local/bin:/usr/bin:/bin") != nil else { return }
        let code = try makeTemporaryDirectory("standin-node")
        try writeFile(code, "index.js", "exports.handler = async (event) => ({ got: event, v: process.version });\n")
        let configuration = makeConfiguration(code: code, runtime: "nodejs20.x", handler: "index.handler")
        let instance = try await FunctionInstance.start(
            configuration, logSink: DiscardingLogSink(), logger: quietLogger)
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

    @Test func failingShimIsSkippedAndRemembered() throws {
        guard let python = TestPaths.venvTool("python") else { return }
        let code = try makeTemporaryDirectory("standin-shim")
        let shims = code.appendingPathComponent("shims")
        let marker = code.appendingPathComponent("asked")
        // Like pyenv's shim for a version that is installed but not active: it fails.
        try writeFile(shims, "python3.66", "#!/bin/sh\necho x >> \(marker.path)\nexit 127\n", executable: true)
        try writeFile(shims, "python3", "#!/bin/sh\nexec \(python.path) \"$@\"\n", executable: true)
        let configuration = makeConfiguration(code: code, runtime: "python3.66", hostPath: shims.path)
        let first = try InterpreterLocator.python(for: configuration)
        #expect(first.executable == python.path)
        #expect(first.warning?.contains("python3.66 is not on PATH") == true)
        _ = try InterpreterLocator.python(for: configuration)
        #expect(try String(contentsOf: marker, encoding: .utf8) == "x\n")
    }
}

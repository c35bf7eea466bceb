import Foundation
import TestSupport
import Testing

@testable import LambdaRuntime

/// Function instances as real processes against their own Runtime API endpoint.
@Suite(.timeLimit(.minutes(2)))
struct FunctionInstanceTests {
    @Test func providedBootstrapEchoesTheEvent() async throws {
        let code = try makeProvidedFunction(
            """
            while true; do next; respond "$EVENT"; done
            """)
        let sink = CollectingLogSink()
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code), logSink: sink, logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let first = try await instance.invoke(InvocationRequest(payload: Array(#"{"n":1}"#.utf8)))
        #expect(first.payloadText == #"{"n":1}"#)
        #expect(first.errorType == nil)
        #expect(first.initDuration != nil)
        let second = try await instance.invoke(InvocationRequest(payload: Array(#"{"n":2}"#.utf8)))
        #expect(second.payloadText == #"{"n":2}"#)
        #expect(second.initDuration == nil)
        #expect(instance.isHealthy)
    }

    @Test func startAndReportLinesAreInTheCloudFormat() async throws {
        let code = try makeProvidedFunction(
            """
            echo "init line"
            while true; do next; echo "handling $ID"; echo "to stderr" >&2; respond "$EVENT"; done
            """)
        let sink = CollectingLogSink()
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code), logSink: sink, logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let id = "11111111-2222-3333-4444-555555555555"
        let cold = try await instance.invoke(InvocationRequest(payload: Array("{}".utf8), requestID: id))
        let lines = cold.logText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "START RequestId: \(id) Version: $LATEST"))
        let handling = try #require(lines.firstIndex(of: "handling \(id)"))
        let end = try #require(lines.firstIndex(of: "END RequestId: \(id)"))
        let report = try #require(lines.firstIndex { $0.hasPrefix("REPORT RequestId: \(id)") })
        #expect(start < handling && handling < end && end < report)
        #expect(lines.contains("to stderr"))
        #expect(lines.contains("init line"))
        let coldReport =
            #/
            REPORT\ RequestId:\ [0-9a-f-]{36}\tDuration:\ \d+\.\d{2}\ ms\tBilled\ Duration:\ \d+\ ms\t
            Memory\ Size:\ 256\ MB\tMax\ Memory\ Used:\ \d+\ MB\tInit\ Duration:\ \d+\.\d{2}\ ms\t
            /#
        #expect(lines[report].wholeMatch(of: coldReport) != nil)
        #expect(cold.maxMemoryUsedMB > 0)

        let warm = try await instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        let warmReport =
            #/
            REPORT\ RequestId:\ [0-9a-f-]{36}\tDuration:\ \d+\.\d{2}\ ms\tBilled\ Duration:\ \d+\ ms\t
            Memory\ Size:\ 256\ MB\tMax\ Memory\ Used:\ \d+\ MB\t
            /#
        let warmLine = try #require(warm.logText.split(separator: "\n").first { $0.hasPrefix("REPORT") })
        #expect(warmLine.wholeMatch(of: warmReport) != nil)
        #expect(!warm.logText.contains("init line"))
        #expect(sink.text.contains("START RequestId: \(id) Version: $LATEST\n"))
        #expect(sink.text.contains("init line\n"))
    }

    /// Output written just before the answer can still sit in the pipe (here more than a pipe holds) when the
    /// answer arrives: the invocation's log waits for it, woken by the reader, and has it all before END.
    @Test func outputWrittenBeforeTheAnswerIsLoggedBeforeEnd() async throws {
        let code = try makeProvidedFunction(
            """
            while true; do next; seq 1 20000; seq 20001 20100 >&2; respond "$EVENT"; done
            """)
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code), logSink: CollectingLogSink(), logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        for _ in 0..<2 {
            let result = try await instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
            let lines = result.logText.split(separator: "\n").map(String.init)
            let end = try #require(lines.firstIndex { $0.hasPrefix("END RequestId:") })
            let numbers = lines[..<end].compactMap { Int($0) }
            #expect(numbers.filter { $0 <= 20000 } == Array(1...20000))
            #expect(numbers.filter { $0 > 20000 } == Array(20001...20100))
        }
    }

    @Test func awsLambdaRICWorksAgainstTheServer() async throws {
        guard let python = try TestPaths.requireVenvTool("python") else { return }
        let code = try makeTemporaryDirectory("standin-ric")
        try writeFile(
            code, "bootstrap", "#!/bin/sh\nexec \(python.path) -m awslambdaric app.handler\n", executable: true)
        try writeFile(
            code, "app.py",
            """
            import os
            def handler(event, context):
                print("hello from awslambdaric")
                return {"echo": event, "id": context.aws_request_id, "arn": context.invoked_function_arn,
                        "remaining": context.get_remaining_time_in_millis(), "handler": os.environ["_HANDLER"]}
            """)
        let sink = CollectingLogSink()
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code, runtime: "provided.al2", timeout: .seconds(20)), logSink: sink,
            logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        for n in 1...2 {
            let result = try await instance.invoke(
                InvocationRequest(payload: Array(#"{"n":\#(n)}"#.utf8), requestID: "ric-\(n)"))
            #expect(result.errorType == nil, "\(result.payloadText)")
            let object = try #require(jsonObject(result.payload))
            #expect((object["echo"] as? [String: Any])?["n"] as? Int == n)
            #expect(object["id"] as? String == "ric-\(n)")
            #expect(object["arn"] as? String == "arn:aws:lambda:eu-west-1:111122223333:function:test-fn")
            #expect(object["handler"] as? String == "app.handler")
            let remaining = try #require(object["remaining"] as? Int)
            #expect(remaining > 10_000 && remaining <= 20_000)
            #expect(result.logText.contains("hello from awslambdaric"))
        }
    }

    @Test func awsLambdaRICHandlerErrorsComeBackInLambdasShape() async throws {
        guard let python = try TestPaths.requireVenvTool("python") else { return }
        let code = try makeTemporaryDirectory("standin-ric")
        try writeFile(
            code, "bootstrap", "#!/bin/sh\nexec \(python.path) -m awslambdaric app.handler\n", executable: true)
        try writeFile(code, "app.py", "def handler(event, context):\n    raise ValueError('nope')\n")
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code, timeout: .seconds(20)), logSink: DiscardingLogSink(), logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let result = try await instance.invoke(InvocationRequest(payload: Array("{}".utf8)))
        #expect(result.errorType == "ValueError")
        let object = try #require(jsonObject(result.payload))
        #expect(object["errorMessage"] as? String == "nope")
        #expect(object["errorType"] as? String == "ValueError")
        #expect(object["stackTrace"] is [Any])
        #expect(instance.isHealthy)
    }

    @Test func environmentIsBuiltFromScratch() async throws {
        let code = try makeProvidedFunction(
            """
            while true; do next; env > "$TMP/env"; respond "$TMP/env"; done
            """)
        let configuration = makeConfiguration(code: code, environment: ["GREETING": "hi", "AWS_REGION": "xx-nope-1"])
        let instance = try await FunctionInstance.start(
            configuration, logSink: DiscardingLogSink(), logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let result = try await instance.invoke(InvocationRequest(payload: []))
        var env: [String: String] = [:]
        for line in result.payloadText.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            env[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        #expect(env["GREETING"] == "hi")
        #expect(env["AWS_REGION"] == "eu-west-1")
        #expect(env["AWS_LAMBDA_FUNCTION_NAME"] == "test-fn")
        #expect(env["AWS_LAMBDA_RUNTIME_API"] == instance.runtimeAPI)
        #expect(env["LAMBDA_TASK_ROOT"] == code.path)
        #expect(env["_HANDLER"] == "app.handler")
        #expect(env["AWS_LAMBDA_LOG_STREAM_NAME"]?.contains("[$LATEST]") == true)
        #expect(env["PWD"] == code.path || env["PWD"] == nil)
        // Our own environment is not inherited: the test process has USER/PWD-style variables the child must lack.
        let ours = ProcessInfo.processInfo.environment
        for name in ours.keys where !["PATH", "HOME", "PWD", "SHLVL", "_", "OLDPWD", "LANG", "TZ"].contains(name) {
            #expect(
                env[name] == nil || env[name] == FunctionEnvironment.build(configuration, runtimeAPI: "x")[name],
                "\(name) leaked into the function")
        }
    }

    @Test func handlerErrorIsReturnedAndTheInstanceStaysWarm() async throws {
        let code = try makeProvidedFunction(
            """
            while true; do
                next
                printf '%s' '{"errorMessage":"bad input","errorType":"InputError","stackTrace":[]}' > "$TMP/err"
                curl -sS -X POST -H 'Lambda-Runtime-Function-Error-Type: InputError' --data-binary "@$TMP/err" \\
                    "$API/invocation/$ID/error" >/dev/null
            done
            """)
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code), logSink: DiscardingLogSink(), logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let result = try await instance.invoke(InvocationRequest(payload: []))
        #expect(result.errorType == "InputError")
        #expect(result.payloadText == #"{"errorMessage":"bad input","errorType":"InputError","stackTrace":[]}"#)
        #expect(instance.isHealthy)
        #expect(try await instance.invoke(InvocationRequest(payload: [])).errorType == "InputError")
    }

    @Test func crashMidInvokeIsARuntimeExitError() async throws {
        let code = try makeProvidedFunction(
            """
            next
            echo "about to crash"
            exit 1
            """)
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code), logSink: DiscardingLogSink(), logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let result = try await instance.invoke(InvocationRequest(payload: [], requestID: "crash-1"))
        #expect(result.errorType == "Runtime.ExitError")
        #expect(
            result.payloadText
                == #"{"errorType":"Runtime.ExitError","#
                + #""errorMessage":"RequestId: crash-1 Error: Runtime exited with error: exit status 1"}"#
        )
        #expect(result.logText.contains("about to crash\n"))
        #expect(
            result.logText.contains(
                "RequestId: crash-1 Error: Runtime exited with error: exit status 1\nRuntime.ExitError\n"))
        #expect(!instance.isHealthy)
        #expect(!processIsAlive(instance.pid))
    }

    @Test func exitBeforeFirstNextIsAnInitFailure() async throws {
        let code = try makeProvidedFunction("echo 'cannot start' >&2\nexit 3\n")
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code), logSink: DiscardingLogSink(), logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let result = try await instance.invoke(InvocationRequest(payload: [], requestID: "init-1"))
        #expect(result.errorType == "Runtime.ExitError")
        #expect(result.payloadText.contains("RequestId: init-1 Error: Runtime exited with error: exit status 3"))
        #expect(result.logText.contains("cannot start"))
        #expect(!instance.isHealthy)
    }

    @Test func postedInitErrorFailsTheInvoke() async throws {
        let code = try makeProvidedFunction(
            """
            E='{"errorMessage":"Unable to import module app",'
            printf '%s' "$E"'"errorType":"Runtime.ImportModuleError","stackTrace":[]}' > "$TMP/e"
            curl -sS -X POST -H 'Lambda-Runtime-Function-Error-Type: Runtime.ImportModuleError' \\
                --data-binary "@$TMP/e" "$API/init/error" >/dev/null
            exit 1
            """)
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code), logSink: DiscardingLogSink(), logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let result = try await instance.invoke(InvocationRequest(payload: []))
        #expect(result.errorType == "Runtime.ImportModuleError")
        #expect(jsonObject(result.payload)?["errorMessage"] as? String == "Unable to import module app")
        #expect(!instance.isHealthy)
        await instance.shutdown()
        #expect(!processIsAlive(instance.pid))
    }

    @Test func timeoutKillsTheProcessGroup() async throws {
        let marker = "4242.\(Int.random(in: 100...999))"
        let code = try makeProvidedFunction(
            """
            next
            sleep \(marker)
            """)
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code, timeout: .seconds(1)), logSink: DiscardingLogSink(), logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        let result = try await instance.invoke(InvocationRequest(payload: [], requestID: "slow-1"))
        #expect(result.errorType == "Sandbox.Timedout")
        #expect(
            result.payloadText
                == #"{"errorType":"Sandbox.Timedout","#
                + #""errorMessage":"RequestId: slow-1 Error: Task timed out after 1.00 seconds"}"#
        )
        #expect(result.logText.contains("slow-1 Task timed out after 1.00 seconds\n"))
        #expect(result.duration >= .milliseconds(900))
        #expect(!instance.isHealthy)
        #expect(!processIsAlive(instance.pid))
        #expect(processes(withCommandLineContaining: "sleep \(marker)").isEmpty)
    }

    @Test func shutdownKillsAndReapsTheGroup() async throws {
        let marker = "4343.\(Int.random(in: 100...999))"
        let code = try makeProvidedFunction(
            """
            sleep \(marker) &
            while true; do next; respond "$EVENT"; done
            """)
        let instance = try await FunctionInstance.start(
            makeConfiguration(code: code), logSink: DiscardingLogSink(), logger: quietLogger)
        _ = try await instance.invoke(InvocationRequest(payload: []))
        #expect(ChildProcessReaper.liveProcessGroups.contains(instance.pid))
        await instance.shutdown()
        #expect(!processIsAlive(instance.pid))
        #expect(processes(withCommandLineContaining: "sleep \(marker)").isEmpty)
        #expect(!ChildProcessReaper.liveProcessGroups.contains(instance.pid))
        await #expect(throws: RuntimeError.shutDown) { try await instance.invoke(InvocationRequest(payload: [])) }
    }

    @Test func missingOrNonExecutableBootstrapIsAClearError() async throws {
        let code = try makeTemporaryDirectory("standin-nobootstrap")
        await #expect {
            try await FunctionInstance.start(
                makeConfiguration(code: code), logSink: DiscardingLogSink(), logger: quietLogger)
        } throws: { error in
            "\(error)".contains("no executable bootstrap")
                && "\(error)".contains(code.appendingPathComponent("bootstrap").path)
        }
        try writeFile(code, "bootstrap", "#!/bin/sh\n", executable: false)
        await #expect {
            try await FunctionInstance.start(
                makeConfiguration(code: code), logSink: DiscardingLogSink(), logger: quietLogger)
        } throws: { error in
            "\(error)".contains("is not executable")
        }
    }

    @Test func unsupportedRuntimeIsAClearError() async throws {
        let code = try makeTemporaryDirectory("standin-dotnet")
        await #expect {
            try await FunctionInstance.start(
                makeConfiguration(code: code, runtime: "dotnet8"), logSink: DiscardingLogSink(), logger: quietLogger)
        } throws: { error in
            "\(error)".contains("runtime 'dotnet8' is not supported")
        }
    }

    @Test func bootstrapFromALayer() async throws {
        let code = try makeTemporaryDirectory("standin-code")
        let layer = try makeTemporaryDirectory("standin-layer")
        try writeFile(
            layer, "bootstrap", bootstrapPrelude + "while true; do next; respond \"$EVENT\"; done\n", executable: true)
        var configuration = makeConfiguration(code: code)
        configuration.layerDirectories = [layer]
        let instance = try await FunctionInstance.start(
            configuration, logSink: DiscardingLogSink(), logger: quietLogger)
        defer { Task { await instance.shutdown() } }
        #expect(try await instance.invoke(InvocationRequest(payload: Array("42".utf8))).payloadText == "42")
    }
}

/// The process layer on its own.
@Suite(.timeLimit(.minutes(1)))
struct ChildProcessTests {
    @Test func losingTheLifelineKillsTheWholeGroup() async throws {
        let marker = "4545.\(Int.random(in: 100...999))"
        let dir = try makeTemporaryDirectory("standin-child")
        let lines = CollectingLogSink()
        let child = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "echo ready; sleep \(marker) & sleep \(marker)"],
            environment: ["PATH": "/usr/bin:/bin"], directory: dir.path, onLine: { lines.write($0) }, onExit: { _ in })
        let deadline = ContinuousClock.now + .seconds(10)
        while processes(withCommandLineContaining: "sleep \(marker)").count < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(processes(withCommandLineContaining: "sleep \(marker)").count >= 2)
        child.dropLifeline()
        #expect(await child.waitForExit() == .signaled(SIGKILL))
        #expect(processes(withCommandLineContaining: "sleep \(marker)").isEmpty)
        #expect(lines.text == "ready\n")
        #expect(!ChildProcessReaper.liveProcessGroups.contains(child.pid))
    }

    @Test func outputWithoutATrailingNewlineIsKept() async throws {
        let dir = try makeTemporaryDirectory("standin-child")
        let lines = CollectingLogSink()
        let child = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "printf 'a\\nb'; printf 'c' >&2; exit 4"],
            environment: [:], directory: dir.path, onLine: { lines.write($0) }, onExit: { _ in })
        #expect(await child.waitForExit() == .exited(4))
        #expect(lines.text.split(separator: "\n").sorted() == ["a", "b", "c"])
    }

    @Test func killAllEndsRegisteredGroups() async throws {
        let dir = try makeTemporaryDirectory("standin-child")
        let child = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "trap '' TERM; sleep 30"], environment: ["PATH": "/usr/bin:/bin"],
            directory: dir.path, onLine: { _ in }, onExit: { _ in })
        #expect(ChildProcessReaper.liveProcessGroups.contains(child.pid))
        // Only this test's group: other tests' instances run in parallel in this process.
        ChildProcessReaper.kill(groups: [child.pid], grace: .milliseconds(50))
        _ = await child.waitForExit()
        #expect(!processIsAlive(child.pid))
    }
}

import Foundation
import Testing
import TestSupport

/// `standin start-lambda` against real clients (the AWS CLI, boto3, curl), with real Python functions.
@Suite("standin start-lambda, end to end", .serialized, .timeLimit(.minutes(5)))
struct StartLambdaTests {
    /// The clients come from the test virtualenv; outside CI a machine without it skips these tests.
    func clientsAvailable() throws -> Bool {
        try TestPaths.requireVenvTool("aws") != nil && TestPaths.requireVenvTool("python") != nil
    }

    @Test("the AWS CLI: RequestResponse with Tail, a function error, Event, DryRun, names, qualifiers, bad input")
    func awsCLI() throws {
        guard try clientsAvailable() else { return }
        let server = try StartLambdaServer()
        defer { server.stop() }

        let ok = try server.awsInvoke(["--function-name", "Echo", "--log-type", "Tail"], payload: #"{"hello":"cli"}"#)
        #expect(ok.result.status == 0, "\(ok.result.stderrText)\n\(server.stderr)")
        let meta = try #require(jsonObject(ok.result.stdout), "\(ok.result.stdoutText)")
        #expect(meta["StatusCode"] as? Int == 200)
        #expect(meta["FunctionError"] == nil)
        #expect(meta["ExecutedVersion"] as? String == "$LATEST")
        let answer = try #require(parseJSONObject(ok.output), "\(ok.output)")
        #expect((answer["event"] as? [String: Any])?["hello"] as? String == "cli")
        #expect(answer["function"] as? String == "echo-function")
        let log = decodedLogResult(meta["LogResult"])
        #expect(log.hasPrefix("START RequestId: "), "\(log)")
        #expect(log.contains(#"echo handler saw {"hello": "cli"}"#), "\(log)")
        #expect(log.contains("\nREPORT RequestId: "), "\(log)")

        let failed = try server.awsInvoke(["--function-name", "Fail"])
        let failedMeta = try #require(jsonObject(failed.result.stdout), "\(failed.result.stderrText)")
        #expect(failedMeta["StatusCode"] as? Int == 200)
        #expect(failedMeta["FunctionError"] as? String == "Unhandled")
        let error = try #require(parseJSONObject(failed.output), "\(failed.output)")
        #expect(error["errorType"] as? String == "ValueError")
        #expect(error["errorMessage"] as? String == "this function always fails")

        // Event: 202 at once; the function runs in the background and leaves a file.
        let written = server.root.appendingPathComponent("written-by-event.txt")
        let event = try server.awsInvoke(
            ["--function-name", "Writer", "--invocation-type", "Event"],
            payload: #"{"path":"\#(written.path)","text":"from an Event invocation"}"#)
        #expect((jsonObject(event.result.stdout)?["StatusCode"] as? Int) == 202, "\(event.result.stderrText)")
        #expect(server.eventually { FileManager.default.fileExists(atPath: written.path) }, "\(server.stderr)")
        #expect((try? String(contentsOf: written, encoding: .utf8)) == "from an Event invocation")

        let dryRun = try server.awsInvoke(["--function-name", "Echo", "--invocation-type", "DryRun"])
        #expect((jsonObject(dryRun.result.stdout)?["StatusCode"] as? Int) == 204, "\(dryRun.result.stderrText)")

        // The function's name as an ARN, with $LATEST as --qualifier or as a suffix.
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:echo-function"
        for arguments in [["--function-name", arn, "--qualifier", "$LATEST"], ["--function-name", "\(arn):$LATEST"]] {
            let byARN = try server.awsInvoke(arguments)
            #expect(byARN.result.status == 0, "\(arguments): \(byARN.result.stderrText)")
            #expect(parseJSONObject(byARN.output)?["function"] as? String == "echo-function", "\(byARN.output)")
        }

        let failures: [([String], String?, String)] = [
            (["--function-name", "NoSuchFunction"], nil, "ResourceNotFoundException"),
            (["--function-name", "Echo", "--qualifier", "prod"], nil, "ResourceNotFoundException"),
            (["--function-name", "Echo:7"], nil, "ResourceNotFoundException"),
            (["--function-name", "Echo"], "{not json", "InvalidRequestContentException"),
        ]
        for (arguments, payload, code) in failures {
            let refused = try server.awsInvoke(arguments, payload: payload)
            #expect(refused.result.status != 0, "\(arguments)")
            #expect(refused.result.stderrText.contains("(\(code))"), "\(arguments): \(refused.result.stderrText)")
        }
        #expect(server.stop() == 0)
    }

    @Test("boto3: payloads, FunctionName and logical id, ARNs, qualifiers, client context, errors and limits")
    func boto3() throws {
        guard try clientsAvailable() else { return }
        let server = try StartLambdaServer()
        defer { server.stop() }
        let clientContext = Data(
            #"{"custom":{"tenant":"t-42"},"env":{"locale":"en-GB"},"client":{"app_title":"tests"}}"#.utf8
        ).base64EncodedString()
        let big = server.root.appendingPathComponent("big.json")
        try Data(("{\"blob\":\"" + String(repeating: "x", count: 6 * 1024 * 1024) + "\"}").utf8).write(to: big)
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:echo-function"
        let calls: [[String: Any]] = [
            ["FunctionName": "Echo", "Payload": #"{"by":"logical id"}"#],
            ["FunctionName": "echo-function", "Payload": #"{"by":"FunctionName"}"#],
            ["FunctionName": arn, "Payload": #"{"by":"ARN"}"#],
            ["FunctionName": "\(arn):$LATEST", "Payload": "{}"],
            ["FunctionName": "Echo", "Qualifier": "$LATEST", "Payload": "{}"],
            ["FunctionName": "Echo", "ClientContext": clientContext, "LogType": "Tail", "Payload": "[1, 2]"],
            ["FunctionName": "Fail", "LogType": "Tail"],
            ["FunctionName": "Echo", "InvocationType": "DryRun"],
            ["FunctionName": "Echo", "InvocationType": "Event", "Payload": "{}"],
            ["FunctionName": "NoSuchFunction", "Payload": "{}"],
            ["FunctionName": "Echo", "Qualifier": "live", "Payload": "{}"],
            ["FunctionName": "Echo", "Payload": "{not json"],
            ["FunctionName": "Echo", "PayloadFile": big.path],
        ]
        let answers = try server.boto3(calls)
        try #require(answers.count == calls.count)
        func payload(_ index: Int) -> [String: Any]? { parseJSONObject(answers[index]["Payload"] as? String ?? "") }

        for (index, by) in [(0, "logical id"), (1, "FunctionName"), (2, "ARN")] {
            #expect(answers[index]["StatusCode"] as? Int == 200, "\(answers[index])")
            #expect(answers[index]["FunctionError"] == nil)
            #expect(answers[index]["ExecutedVersion"] as? String == "$LATEST")
            #expect((payload(index)?["event"] as? [String: Any])?["by"] as? String == by, "\(answers[index])")
            #expect(payload(index)?["function"] as? String == "echo-function")
        }
        for index in [3, 4] { #expect(answers[index]["StatusCode"] as? Int == 200, "\(answers[index])") }

        // The client context reaches the function as context.client_context; the event can be any JSON.
        #expect((payload(5)?["custom"] as? [String: Any])?["tenant"] as? String == "t-42", "\(answers[5])")
        #expect(payload(5)?["event"] as? [Int] == [1, 2])
        let tail = decodedLogResult(answers[5]["LogResult"])
        #expect(tail.contains("echo handler saw [1, 2]") && tail.contains("REPORT RequestId: "), "\(tail)")

        #expect(answers[6]["StatusCode"] as? Int == 200)
        #expect(answers[6]["FunctionError"] as? String == "Unhandled", "\(answers[6])")
        #expect(payload(6)?["errorType"] as? String == "ValueError")
        let failLog = decodedLogResult(answers[6]["LogResult"])
        #expect(failLog.contains("about to fail") && failLog.contains("REPORT RequestId: "), "\(failLog)")

        #expect(answers[7]["StatusCode"] as? Int == 204, "\(answers[7])")
        #expect(answers[8]["StatusCode"] as? Int == 202, "\(answers[8])")

        let errors: [(Int, String, Int)] = [
            (9, "ResourceNotFoundException", 404), (10, "ResourceNotFoundException", 404),
            (11, "InvalidRequestContentException", 400), (12, "RequestTooLargeException", 413),
        ]
        for (index, code, status) in errors {
            #expect((answers[index]["Error"] as? [String: Any])?["Code"] as? String == code, "\(answers[index])")
            #expect(answers[index]["HTTPStatusCode"] as? Int == status, "\(answers[index])")
        }
        let notFound = (answers[9]["Error"] as? [String: Any])?["Message"] as? String ?? ""
        #expect(notFound.contains("function:NoSuchFunction"), "\(notFound)")
        #expect(server.stop() == 0)
    }

    @Test("on the wire: x-amzn-ErrorType and {Type, Message}; X-Amz-Function-Error; X-Amz-Log-Result")
    func wireFormat() throws {
        let server = try StartLambdaServer()
        defer { server.stop() }
        let missing = try server.rawInvoke("/2015-03-31/functions/NoSuchFunction/invocations")
        #expect(missing.status == 404)
        #expect(missing.headers["x-amzn-errortype"] == "ResourceNotFoundException")
        #expect(missing.headers["x-amzn-requestid"] != nil)
        let body = try #require(parseJSONObject(missing.body), "\(missing.body)")
        #expect(body["Type"] as? String == "User")
        #expect((body["Message"] as? String)?.hasPrefix("Function not found: arn:aws:lambda:") == true)

        let failed = try server.rawInvoke(
            "/2015-03-31/functions/Fail/invocations", headers: ["X-Amz-Log-Type: Tail"])
        #expect(failed.status == 200)
        #expect(failed.headers["x-amz-function-error"] == "Unhandled")
        #expect(failed.headers["x-amz-executed-version"] == "$LATEST")
        #expect(decodedLogResult(failed.headers["x-amz-log-result"]).contains("about to fail"))

        let ok = try server.rawInvoke("/2015-03-31/functions/Echo/invocations?Qualifier=%24LATEST", body: "\"text\"")
        #expect(ok.status == 200)
        #expect(ok.headers["x-amz-function-error"] == nil)
        #expect(ok.headers["x-amz-log-result"] == nil)
        #expect(parseJSONObject(ok.body)?["event"] as? String == "text", "\(ok.body)")

        let badType = try server.rawInvoke(
            "/2015-03-31/functions/Echo/invocations", headers: ["X-Amz-Invocation-Type: Sometimes"])
        #expect(badType.status == 400)
        #expect(badType.headers["x-amzn-errortype"] == "ValidationException")
        #expect(server.stop() == 0)
    }

    @Test("a crashing, hanging or oversized function answers Lambda's error with Unhandled; the next request works")
    func faults() throws {
        guard try clientsAvailable() else { return }
        let server = try StartLambdaServer()
        defer { server.stop() }
        let answers = try server.boto3([
            ["FunctionName": "Crash", "Payload": "{}"],
            ["FunctionName": "Crash", "Payload": #"{"crash":true}"#],
            ["FunctionName": "Crash", "Payload": "{}"],
            ["FunctionName": "Hang", "Payload": "{}"],
            ["FunctionName": "Hang", "Payload": #"{"hang":true}"#],
            ["FunctionName": "Hang", "Payload": "{}"],
            ["FunctionName": "Big", "Payload": "{}"],
            ["FunctionName": "Big", "Payload": #"{"small":true}"#],
        ])
        try #require(answers.count == 8)
        func payload(_ index: Int) -> [String: Any] {
            parseJSONObject(answers[index]["Payload"] as? String ?? "") ?? [:]
        }

        #expect(answers[1]["FunctionError"] as? String == "Unhandled", "\(answers[1])")
        #expect(payload(1)["errorType"] as? String == "Runtime.ExitError", "\(answers[1])")
        #expect(answers[2]["FunctionError"] == nil, "\(answers[2])")
        let crashedPid = try #require(payload(0)["pid"] as? Int)
        let replacementPid = try #require(payload(2)["pid"] as? Int, "\(answers[2])")
        #expect(crashedPid != replacementPid)

        #expect(answers[4]["FunctionError"] as? String == "Unhandled", "\(answers[4])")
        #expect((payload(4)["errorMessage"] as? String)?.contains("Task timed out after 1.00 seconds") == true)
        #expect(answers[5]["FunctionError"] == nil, "\(answers[5])")
        let hungPid = try #require(payload(3)["pid"] as? Int)
        #expect(payload(5)["pid"] as? Int != hungPid)
        #expect(!processIsAlive(Int32(hungPid)))

        // A response over 6 MB is Lambda's error, not the bytes.
        #expect(answers[6]["FunctionError"] as? String == "Unhandled")
        #expect(payload(6)["errorType"] as? String == "Function.ResponseSizeTooLarge", "\(payload(6))")
        #expect((answers[6]["Payload"] as? String ?? "").utf8.count < 1024)
        #expect(answers[7]["FunctionError"] == nil, "\(answers[7])")
        #expect(payload(7)["pid"] is Int)
        #expect(server.stop() == 0)
    }

    @Test("concurrent invocations get their own instances, up to --max-instances")
    func concurrency() throws {
        guard try clientsAvailable() else { return }
        let slow = Array(repeating: ["FunctionName": "Echo", "Payload": #"{"sleep":1}"#] as [String: Any], count: 3)
        let wide = try StartLambdaServer()
        let parallel = try wide.boto3(slow, parallel: true)
        let pids = Set(parallel.compactMap { parseJSONObject($0["Payload"] as? String ?? "")?["pid"] as? Int })
        #expect(pids.count == 3, "\(parallel)")
        #expect(wide.stop() == 0)

        let narrow = try StartLambdaServer(extraArguments: ["--max-instances", "1"])
        let queued = try narrow.boto3(slow, parallel: true)
        #expect(queued.allSatisfy { $0["StatusCode"] as? Int == 200 && $0["FunctionError"] == nil }, "\(queued)")
        let queuedPids = Set(queued.compactMap { parseJSONObject($0["Payload"] as? String ?? "")?["pid"] as? Int })
        #expect(queuedPids.count == 1, "\(queued)")
        #expect(narrow.stop() == 0)
    }

    @Test("--warm eager starts every function; SIGINT exits 0 and leaves no function process")
    func eagerWarmAndShutdown() throws {
        guard try clientsAvailable() else { return }
        let server = try StartLambdaServer(extraArguments: ["--warm", "eager"])
        defer { server.stop() }
        // Six functions, one instance each, before any request.
        #expect(server.eventually { server.functionProcesses().count >= 6 }, "\(server.stderr)")
        let warm = Set(server.functionProcesses())
        let answers = try server.boto3([["FunctionName": "Echo", "Payload": "{}"]])
        let pid = try #require(parseJSONObject(answers.first?["Payload"] as? String ?? "")?["pid"] as? Int)
        #expect(warm.contains(Int32(pid)), "the first request used the warm instance")

        // A slow invocation in flight when SIGINT arrives.
        let slow = try server.boto3([["FunctionName": "Echo", "Payload": #"{"sleep":0.5}"#, "InvocationType": "Event"]])
        #expect(slow.first?["StatusCode"] as? Int == 202)
        #expect(server.stop() == 0, "\(server.stderr)")
        #expect(server.functionProcesses().isEmpty)
        for pid in warm { #expect(!processIsAlive(pid)) }
    }

    @Test("--idle-timeout stops an idle instance; the next request starts a new one")
    func idleTimeout() throws {
        guard try clientsAvailable() else { return }
        let server = try StartLambdaServer(extraArguments: ["--idle-timeout", "1"])
        defer { server.stop() }
        let first = try server.boto3([["FunctionName": "Echo", "Payload": "{}"]])
        let pid = try #require(parseJSONObject(first.first?["Payload"] as? String ?? "")?["pid"] as? Int)
        #expect(server.eventually { !processIsAlive(Int32(pid)) }, "\(server.stderr)")
        #expect(server.functionProcesses().isEmpty)
        let second = try server.boto3([["FunctionName": "Echo", "Payload": "{}"]])
        let next = try #require(parseJSONObject(second.first?["Payload"] as? String ?? "")?["pid"] as? Int)
        #expect(next != pid)
        #expect(server.stop() == 0)
    }
}

import Foundation
import Testing
import TestSupport

/// Java functions through standin's bundled Java runtime client: handlers of each signature, built in the test with
/// the local `javac` and `jar` against a copy of aws-lambda-java-core's interfaces (the `java-app` fixture), run
/// through `invoke`, `start-api` and `start-lambda` with real JVMs.
@Suite("Java functions, end to end", .serialized, .enabled(if: JavaApp.hasJDK))
struct JavaRuntimeTests {
    @Test func handlersOfEverySignature() throws {
        let app = try JavaApp()
        let hello = try app.invoke("Hello", #"{"hello":"world"}"#)
        #expect(hello.status == 0, "\(hello.stderrText)")
        let answer = try #require(jsonObject(hello.stdout), "\(hello.stdoutText)")
        #expect(answer["input"] as? [String: String] == ["hello": "world"])
        #expect(answer["functionName"] as? String == "java-hello")
        #expect(answer["memoryLimitInMB"] as? Int == 512)
        #expect(answer["remainingTimePositive"] as? Bool == true)
        #expect((answer["requestId"] as? String)?.count == 36)
        // Context.getLogger() and System.out / System.err reach the function's log.
        #expect(hello.stderrText.contains("java logger: \(answer["requestId"] as? String ?? "?")"), "\(hello.stderrText)")
        #expect(hello.stderrText.contains("java stdout: hello") && hello.stderrText.contains("java stderr: hello"))

        let method = try app.invoke("HelloMethod", #"{"hello":"method"}"#)
        #expect((jsonObject(method.stdout)?["input"] as? [String: String]) == ["hello": "method"], "\(method.stderrText)")
        let stream = try app.invoke("Stream", #"{"k":"v"}"#)
        #expect(jsonObject(stream.stdout)?["length"] as? Int == 9, "\(stream.stderrText)")
        let greeting = try app.invoke("Static", #""standin""#)
        #expect(greeting.stdoutText == #""Hello, standin! (Static)""#, "\(greeting.stderrText)")
        let order = try app.invoke(
            "Order",
            #"{"id":"o-1","quantity":3,"unitPrice":2.5,"items":["a","b"],"customer":{"name":"Ada"},"express":true,"#
                + #""placedAt":"2024-01-02T03:04:05Z"}"#)
        let receipt = try #require(jsonObject(order.stdout), "\(order.stderrText)")
        #expect(receipt["orderId"] as? String == "o-1")
        #expect(receipt["total"] as? Double == 7.5)
        #expect(receipt["customerName"] as? String == "Ada")
        #expect(receipt["placedAtMillis"] as? Int == 1_704_164_645_000)
        #expect(receipt["note"] == nil)  // null properties are left out, as AWS's serializer does
    }

    @Test func awsEventsBindToTheEventsClasses() throws {
        let app = try JavaApp()
        let conformance = try #require(try TestPaths.requireConformance())
        let sqsEvent = try Data(contentsOf: conformance.appendingPathComponent("events/aws-lambda-go/sqs-event.json"))
        let sqs = try app.invoke("Sqs", String(decoding: sqsEvent, as: UTF8.self))
        let answer = try #require(jsonObject(sqs.stdout), "\(sqs.stderrText)")
        let records = try #require(jsonObject(sqsEvent)?["Records"] as? [[String: Any]])
        #expect(answer["count"] as? Int == records.count)
        #expect(answer["bodies"] as? [String] == records.map { $0["body"] as? String ?? "" })
        #expect(answer["sources"] as? [String] == records.map { $0["eventSourceARN"] as? String ?? "" })
    }

    @Test func errorsAreLambdasJavaShapes() throws {
        let app = try JavaApp()
        let failed = try app.invoke("Fail", "{}")
        #expect(failed.status == 1)
        let error = try #require(jsonObject(failed.stdout), "\(failed.stdoutText)")
        #expect(error["errorType"] as? String == "java.lang.IllegalStateException")
        #expect(error["errorMessage"] as? String == "order rejected")
        #expect((error["stackTrace"] as? [String])?.first == "example.Fail.handleRequest(Fail.java:9)")
        let cause = error["cause"] as? [String: Any]
        #expect(cause?["errorType"] as? String == "java.lang.IllegalArgumentException")

        let badInit = try app.invoke("BadInit", "{}")
        #expect(badInit.status == 1)
        #expect(jsonObject(badInit.stdout)?["errorType"] as? String == "java.lang.IllegalStateException")
        #expect(jsonObject(badInit.stdout)?["errorMessage"] as? String == "cannot initialise BadInit")

        let wrongInput = try app.invoke("Static", #"{"not":"a string"}"#)
        #expect(jsonObject(wrongInput.stdout)?["errorMessage"] as? String == "An error occurred during JSON parsing")

        let slow = try app.invoke("Sleep", "{}")
        #expect(slow.status == 1)
        #expect(jsonObject(slow.stdout)?["errorType"] as? String == "Sandbox.Timedout", "\(slow.stdoutText)")
        #expect(slow.stdoutText.contains("Task timed out after 2.00 seconds"), "\(slow.stdoutText)")
    }

    @Test func servedByStartAPIAndStartLambda() throws {
        let app = try JavaApp()
        try RealProjectTests.withServer("start-api", in: app.folder) { port, _ in
            let reply = try curl("http://127.0.0.1:\(port)/java/hello?name=Ada")
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.value("X-Handler") == "java")
            let body = try #require(RealProjectTests.answer(reply.body))
            #expect(body["message"] as? String == "Hello, Ada!")
            #expect(body["path"] as? String == "/java/hello")
        }
        try RealProjectTests.withServer("start-lambda", in: app.folder) { port, _ in
            let url = "http://127.0.0.1:\(port)/2015-03-31/functions/java-hello/invocations"
            // The instance is warm after the first call: the constructor ran once, the counter goes on.
            let first = jsonObject(try curl(url, method: "POST", body: #"{"n":1}"#).body)
            let second = jsonObject(try curl(url, method: "POST", body: #"{"n":2}"#).body)
            #expect(first?["invocations"] as? Int == 1)
            #expect(second?["invocations"] as? Int == 2)
        }
    }
}

/// A Maven project with no jar yet: standin runs `mvn package` (offline here, from Debian's packaged plugins, as
/// the fixture's `.mvn/maven.config` says) and runs the jar it makes.
@Suite("Java built from source with Maven", .enabled(if: findOnPath("mvn") != nil || isCI))
struct MavenBuildTests {
    @Test func aMavenProjectIsBuiltThenRun() throws {
        let cli = try StandinCLI()
        let app = try RealProjectTests.copy("java-maven-app")
        let first = try cli.run(
            ["invoke", "MavenFunction", "--no-assume-role"], in: app, stdin: Data(#"{"name":"world"}"#.utf8),
            timeout: 300)
        #expect(first.status == 0, "\(first.stderrText)")
        #expect(first.stdoutText == #""hello from maven: world""#, "\(first.stdoutText)")
        #expect(first.stderrText.contains("standin: built MavenFunction with mvn package in "), "\(first.stderrText)")
        let second = try cli.run(
            ["invoke", "MavenFunction", "--no-assume-role"], in: app, stdin: Data(#"{"name":"again"}"#.utf8))
        #expect(second.stdoutText == #""hello from maven: again""#)
        #expect(!second.stderrText.contains("standin: built"), "unchanged sources are not built again")
    }
}

/// A private copy of the `java-app` fixture, built with its `build.sh` (javac and jar of the local JDK).
struct JavaApp {
    static var hasJDK: Bool { findOnPath("javac") != nil && findOnPath("jar") != nil }

    let folder: URL
    let cli: StandinCLI

    init() throws {
        folder = try RealProjectTests.copy("java-app")
        let build = try runProcess("/bin/bash", [folder.appendingPathComponent("build.sh").path], timeout: 300)
        try #require(build.status == 0, "build.sh: \(build.stderrText)")
        cli = try StandinCLI()
    }

    func invoke(_ function: String, _ event: String) throws -> ProcessResult {
        try cli.run(["invoke", function, "--no-assume-role"], in: folder, stdin: Data(event.utf8), timeout: 180)
    }
}

/// The first executable `name` on the test's PATH.
func findOnPath(_ name: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

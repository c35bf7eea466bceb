import Foundation
import ProcessLauncher
import TestSupport
import Testing

/// `ToolRun`: short-lived programs started through `Spawn`, their outputs read in one poll loop.
struct ToolRunTests {
    @Test("both outputs, each far larger than a pipe holds, are read whole and kept apart")
    func largeSeparateOutputs() throws {
        // Each stream alone fills its pipe: reading one to its end before the other would never finish.
        let run = try ToolRun.run(
            "/bin/sh", ["-c", "seq 1 50000 >&2; seq 1 40000; seq 50001 60000 >&2; exit 3"], standardError: .separate)
        #expect(run.exited && run.status == 3 && !run.succeeded)
        #expect(run.output.split(separator: "\n").map { Int($0) } == Array(1...40000))
        #expect(run.errorOutput.split(separator: "\n").map { Int($0) } == Array(1...50000) + Array(50001...60000))
        #expect(run.outputBytes == Array(run.output.utf8))
    }

    @Test("merged, discarded, the folder and the environment as given")
    func streamsFolderAndEnvironment() throws {
        let folder = try makeTemporaryDirectory("standin-toolrun")
        let merged = try ToolRun.run(
            "/bin/sh", ["-c", "pwd; echo \"$ONLY\"; echo oops >&2; echo \"${HOME:-no home}\""], in: folder,
            environment: ["ONLY": "this", "PATH": "/usr/bin:/bin"])
        #expect(merged.succeeded)
        #expect(merged.output == "\(folder.path)\nthis\noops\nno home\n")
        let discarded = try ToolRun.run("/bin/sh", ["-c", "echo out; echo err >&2"], standardError: .discarded)
        #expect(discarded.output == "out\n" && discarded.errorOutput.isEmpty)
    }

    @Test("a program ended by a signal, and one that cannot start")
    func signalAndSpawnFailure() throws {
        let killed = try ToolRun.run("/bin/sh", ["-c", "kill -9 $$"])
        #expect(!killed.exited && killed.status == 9)
        do {
            _ = try ToolRun.run("/nonexistent/tool", [])
            Issue.record("a missing program started")
        } catch {
            #expect(error.errno == ENOENT)
            #expect(error.description.contains("/nonexistent/tool"))
        }
    }
}

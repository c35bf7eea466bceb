import Foundation
import ProcessLauncher
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A started child process that leads its own process group, with its stdout and stderr piped back.
///
/// One thread per process reads both pipes and notices the exit (see ``ExitSignal``); `onExit` runs once, after
/// both output pipes have been drained (or shortly after, when a grandchild keeps them open).
///
/// A tiny watchdog (`/bin/sh` blocked reading a "lifeline" pipe whose only writer is standin) joins the group: when
/// standin goes away by any means, even `SIGKILL`, the pipe closes and the watchdog kills the whole group. When the
/// leader exits on its own, standin closes the lifeline itself, which ends the rest of the group the same way.
final class ChildProcess: Sendable {
    /// The child's pid, which is also its process group id.
    let pid: pid_t
    /// The environment entry only this function's processes carry (its Runtime API address).
    private let marker: String?
    private let watchdogPID: pid_t?
    private let lifeline: Mutex<Int32>
    private let state = Mutex<ProcessExit?>(nil)
    private let exitWaiters = Mutex<[CheckedContinuation<ProcessExit, Never>]>([])
    let stdout: OutputPump
    let stderr: OutputPump

    /// Starts `executable` with exactly `arguments` and `environment`, in `directory`, in a new process group.
    ///
    /// - Parameters:
    ///   - onLine: called with each whole line of output (stdout and stderr alike), from the process's thread.
    ///   - onExit: called once with the exit status, from the process's thread.
    init(
        executable: String,
        arguments: [String],
        environment: [String: String],
        directory: String,
        onLine: @escaping @Sendable ([UInt8]) -> Void,
        onExit: @escaping @Sendable (ProcessExit) -> Void
    ) throws(RuntimeError) {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard LibC.pipe2(&outPipe, O_CLOEXEC) == 0 else { throw .launchFailed(executable, errno: errno) }
        guard LibC.pipe2(&errPipe, O_CLOEXEC) == 0 else {
            let code = errno
            close(outPipe[0])
            close(outPipe[1])
            throw .launchFailed(executable, errno: code)
        }

        let child: pid_t
        do {
            child = try Spawn.start(
                executable, arguments: arguments, environment: environment, directory: directory,
                stdout: .descriptor(outPipe[1]), stderr: .descriptor(errPipe[1]))
        } catch {
            for fd in outPipe + errPipe { close(fd) }
            throw .launchFailed(executable, errno: error.errno)
        }
        close(outPipe[1])
        close(errPipe[1])
        pid = child
        marker = environment["AWS_LAMBDA_RUNTIME_API"].map { "AWS_LAMBDA_RUNTIME_API=\($0)" }
        ChildProcessReaper.register(child, marker: marker)
        let watchdog = Self.spawnWatchdog(group: child)
        watchdogPID = watchdog?.pid
        lifeline = Mutex(watchdog?.lifeline ?? -1)
        stdout = OutputPump(fd: outPipe[0], onLine: onLine)
        stderr = OutputPump(fd: errPipe[0], onLine: onLine)
        let exitSignal = ExitSignal(pid: child)
        Thread.detachNewThread { [self] in serve(until: exitSignal, onExit: onExit) }
    }

    /// The process's one thread: reads both pipes as they become readable until the process exits; then reaps it,
    /// ends what is left of its group, reads what is left in the pipes (briefly: a grandchild may hold them open),
    /// and reports the exit.
    private func serve(until exitSignal: ExitSignal, onExit: @Sendable (ProcessExit) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        readPipes(until: exitSignal.fd, deadline: nil, buffer: &buffer)
        let status = exitSignal.reap()
        let exit = ProcessExit(waitStatus: status)
        if let watchdogPID {
            // The leader is gone: the watchdog ends what is left of the group (which releases the pipes too).
            dropLifeline()
            var ignored: Int32 = 0
            while waitpid(watchdogPID, &ignored, 0) == -1 && errno == EINTR {}
        } else {
            kill(-pid, SIGKILL)
        }
        ChildProcessReaper.unregister(pid)
        // Descendants that left the group (their own session) carry the function's environment: end them too.
        if let marker { ChildProcessReaper.killMarked([marker]) }
        // Read what the process wrote before it ended (a grandchild may hold the pipes open: don't wait long).
        readPipes(until: nil, deadline: .now + .milliseconds(250), buffer: &buffer)
        stdout.finish()
        stderr.finish()
        state.withLock { $0 = exit }
        onExit(exit)
        let waiters = exitWaiters.withLock { waiters in
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: exit) }
    }

    /// Reads the pipes not yet at end of file as they become readable; returns when `signal` becomes readable, at
    /// `deadline`, or when there is nothing left to wait for.
    private func readPipes(until signal: Int32?, deadline: ContinuousClock.Instant?, buffer: inout [UInt8]) {
        while true {
            let open = [stdout, stderr].filter { !$0.isAtEOF }
            var fds = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            if let signal { fds.append(pollfd(fd: signal, events: Int16(POLLIN), revents: 0)) }
            guard !fds.isEmpty else { return }
            var timeout: Int32 = -1
            if let deadline {
                let left = ContinuousClock.now.duration(to: deadline)
                guard left > .zero else { return }
                timeout = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return }
            for (index, pump) in open.enumerated() where fds[index].revents != 0 { pump.readReady(&buffer) }
            if signal != nil, fds[fds.count - 1].revents != 0 { return }
        }
    }

    /// Starts the watchdog in `group`; nil when it cannot be started (the group is then only killed by standin).
    private static func spawnWatchdog(group: pid_t) -> (pid: pid_t, lifeline: Int32)? {
        var lifeline: [Int32] = [-1, -1]
        guard LibC.pipe2(&lifeline, O_CLOEXEC) == 0 else { return nil }
        defer { close(lifeline[0]) }
        guard
            let watchdog = try? Spawn.start(
                "/bin/sh", arguments: ["-c", "read _; kill -9 -\(group)", "standin-watchdog"],
                environment: ["PATH": "/usr/bin:/bin"], stdin: .descriptor(lifeline[0]), stdout: .null, stderr: .null,
                group: .join(group))
        else {
            close(lifeline[1])
            return nil
        }
        return (watchdog, lifeline[1])
    }

    /// Closes the lifeline, as standin's death would: the watchdog kills the group.
    func dropLifeline() {
        lifeline.withLock { fd in
            guard fd >= 0 else { return }
            close(fd)
            fd = -1
        }
    }

    /// The exit status, once the process has been reaped.
    var exitStatus: ProcessExit? { state.withLock { $0 } }

    /// Waits until the process has been reaped.
    func waitForExit() async -> ProcessExit {
        await withCheckedContinuation { continuation in
            let done: ProcessExit? = exitWaiters.withLock { waiters in
                // Check under the waiters lock: the reaper sets the state before it takes this lock.
                if let exit = state.withLock({ $0 }) { return exit }
                waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Sends `signal` to the whole process group.
    func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
    }

    /// Ends the process group: `SIGTERM`, up to `grace`, then `SIGKILL`; returns once the leader is reaped.
    func terminate(grace: Duration = .milliseconds(300)) async {
        if exitStatus == nil && grace > .zero {
            signalGroup(SIGTERM)
            // Whichever comes first: the leader's exit, or the end of the grace.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { _ = await self.waitForExit() }
                group.addTask { try? await Task.sleep(for: grace) }
                await group.next()
                group.cancelAll()
                // Grandchildren may outlive the leader, and the leader may ignore SIGTERM: kill the whole group,
                // which also ends the exit wait still running.
                self.signalGroup(SIGKILL)
            }
        }
        signalGroup(SIGKILL)
        _ = await waitForExit()
    }
}

/// Becomes readable once the process has ended, for ``ChildProcess``'s I/O thread to poll with its pipes: the
/// process's pidfd (Linux 5.3+, glibc 2.36+), or else the read end of a pipe whose write end a waiter thread closes
/// when `waitpid` returns.
private final class ExitSignal: Sendable {
    let fd: Int32
    private let pid: pid_t
    private let isPidfd: Bool
    /// The wait status the fallback waiter thread collected.
    private let waited = Mutex<Int32>(0)

    init(pid: pid_t) {
        self.pid = pid
        if let open = LibC.pidfdOpen, case let pidfd = open(pid, 0), pidfd >= 0 {
            fd = pidfd
            isPidfd = true
            return
        }
        var fds: [Int32] = [-1, -1]
        _ = LibC.pipe2(&fds, O_CLOEXEC)
        fd = fds[0]
        isPidfd = false
        let writeEnd = fds[1]
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            waited.withLock { $0 = status }
            close(writeEnd)
        }
    }

    /// The process's wait status, once ``fd`` is readable (reaping it when the pidfd told of the exit).
    func reap() -> Int32 {
        defer { close(fd) }
        guard isPidfd else { return waited.withLock { $0 } }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }
}

import Foundation
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

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // Descriptors other threads opened without O_CLOEXEC must not leak into the function (a leaked write
        // descriptor to a file makes exec of that file fail with ETXTBSY for as long as the function lives).
        if let closeFrom = LibC.addclosefrom { _ = closeFrom(&actions, 3) }
        var executable = executable
        var arguments = arguments
        if let addchdir = LibC.addchdir {
            _ = addchdir(&actions, directory)
        } else {
            // Old C libraries: change directory through the shell instead.
            arguments = ["-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments
            executable = "/bin/sh"
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        var result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        // ETXTBSY: another thread's fork briefly holds a write descriptor to the file (e.g. it was just written).
        var attempts = 0
        while result == ETXTBSY && attempts < 20 {
            attempts += 1
            usleep(10_000)
            result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        }
        close(outPipe[1])
        close(errPipe[1])
        guard result == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw .launchFailed(executable, errno: result)
        }
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
        let exit: ProcessExit = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, lifeline[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        if let closeFrom = LibC.addclosefrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, group)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let script = "read _; kill -9 -\(group)"
        let words: [String] = ["/bin/sh", "-c", script, "standin-watchdog"]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var watchdog: pid_t = 0
        let result = posix_spawn(&watchdog, "/bin/sh", &actions, &attributes, argv, envp)
        close(lifeline[0])
        guard result == 0 else {
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

/// C library functions the Swift overlay does not import (they need `_GNU_SOURCE`), looked up at run time.
enum LibC {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias AddChdir =
        @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
        ) -> Int32

    private static let pipe2Function: Pipe2? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+), when present.
    static let addchdir: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np").map {
        unsafeBitCast($0, to: AddChdir.self)
    }

    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), when present.
    static let addclosefrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }

    typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32

    /// `pidfd_open` (glibc 2.36+), when present.
    static let pidfdOpen: PidfdOpen? = dlsym(nil, "pidfd_open").map { unsafeBitCast($0, to: PidfdOpen.self) }

    /// `pipe2`, or `pipe` plus `FD_CLOEXEC` where it is missing.
    static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
        if let pipe2Function { return pipe2Function(fds, flags) }
        guard pipe(fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return 0
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one way standin starts a process: `posix_spawn` with exactly the descriptors, environment, folder and process
/// group asked for. Function processes (`ChildProcess` in LambdaRuntime), their watchdogs and tools (``ToolRun``)
/// are all started here.
public enum Spawn {
    /// Where a child's standard stream comes from or goes to.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// This descriptor of standin's (duplicated into the child; standin keeps its own).
        case descriptor(Int32)
    }

    /// Which process group the child joins.
    public enum Group: Sendable {
        /// A new group that the child leads (its pid is the group id): signals to the group reach all it starts.
        case new
        /// An existing group.
        case join(pid_t)
    }

    /// Starts `executable` (a path: no PATH look-up) with exactly `arguments` and `environment`.
    ///
    /// Descriptors other than the three streams are closed in the child even when another thread opened them
    /// without `O_CLOEXEC` (a leaked write descriptor to a file makes exec of that file fail with `ETXTBSY` for as
    /// long as the child lives). The child starts with no blocked signals and the default action for the signals
    /// standin handles or ignores.
    /// - Parameter directory: the child's working directory; nil keeps standin's.
    /// - Returns: the child's pid.
    /// - Throws: ``SpawnError`` with the `errno` of the failure.
    public static func start(
        _ executable: String, arguments: [String], environment: [String: String], directory: String? = nil,
        stdin: Stream = .null, stdout: Stream, stderr: Stream, group: Group = .new
    ) throws(SpawnError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let fd):
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            }
        }
        if let closeFrom = LibC.addclosefrom { _ = closeFrom(&actions, 3) }
        var executable = executable
        var arguments = arguments
        if let directory {
            if let addchdir = LibC.addchdir {
                _ = addchdir(&actions, directory)
            } else {
                // Old C libraries: change directory through the shell instead.
                arguments = ["-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments
                executable = "/bin/sh"
            }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        switch group {
        case .new: posix_spawnattr_setpgroup(&attributes, 0)
        case .join(let leader): posix_spawnattr_setpgroup(&attributes, leader)
        }
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
        guard result == 0 else { throw SpawnError(executable: executable, errno: result) }
        return child
    }

    /// Waits for `pid` and returns how it ended.
    public static func wait(_ pid: pid_t) -> ProcessExit {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return ProcessExit(waitStatus: status)
    }
}

/// How a process ended.
public enum ProcessExit: Sendable, Equatable {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it.
    case signaled(Int32)

    /// Reads a `waitpid` status.
    public init(waitStatus status: Int32) {
        self = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
    }
}

/// A process could not be started.
public struct SpawnError: Error, CustomStringConvertible, Sendable {
    /// The program.
    public var executable: String
    /// `posix_spawn`'s error number.
    public var errno: Int32

    public var description: String { "cannot start \(executable): \(String(cString: strerror(errno)))" }
}

/// C library functions the Swift overlay does not import (they need `_GNU_SOURCE`), looked up at run time.
public enum LibC {
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

    /// The signature of `pidfd_open`.
    public typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32

    /// `pidfd_open` (glibc 2.36+), when present.
    public static let pidfdOpen: PidfdOpen? = dlsym(nil, "pidfd_open").map { unsafeBitCast($0, to: PidfdOpen.self) }

    /// `pipe2`, or `pipe` plus `FD_CLOEXEC` where it is missing.
    public static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
        if let pipe2Function { return pipe2Function(fds, flags) }
        guard pipe(fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return 0
    }
}

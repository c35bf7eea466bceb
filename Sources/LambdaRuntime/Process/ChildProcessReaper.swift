import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process-wide registry of live function processes, so that every child ends when standin ends.
///
/// Each function process leads its own process group; ``killAll()`` signals those groups. Call it from a signal
/// handler installed as a `DispatchSource` (not a raw async-signal context) and at exit.
public enum ChildProcessReaper {
    private static let groups = Mutex<Set<pid_t>>([])

    /// Registers a live process group (its leader's pid).
    static func register(_ pgid: pid_t) {
        _ = groups.withLock { $0.insert(pgid) }
    }

    /// Forgets a process group whose leader has been reaped.
    static func unregister(_ pgid: pid_t) {
        _ = groups.withLock { $0.remove(pgid) }
    }

    /// The process groups currently registered.
    public static var liveProcessGroups: [Int32] { groups.withLock { Array($0) } }

    /// Kills every registered process group: `SIGTERM`, up to `grace` for them to go, then `SIGKILL`.
    ///
    /// Blocking and quick; safe to call more than once.
    public static func killAll(grace: Duration = .milliseconds(200)) {
        kill(groups: liveProcessGroups, grace: grace)
    }

    /// Kills the given process groups: `SIGTERM`, up to `grace`, then `SIGKILL`.
    static func kill(groups targets: [pid_t], grace: Duration) {
        guard !targets.isEmpty else { return }
        for pgid in targets { _ = posixKill(-pgid, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if targets.allSatisfy({ posixKill(-$0, 0) != 0 }) { break }
            usleep(5_000)
        }
        for pgid in targets { _ = posixKill(-pgid, SIGKILL) }
    }
}

/// `kill(2)`, under a name the reaper's own `kill(groups:grace:)` does not shadow.
private func posixKill(_ pid: pid_t, _ signal: Int32) -> Int32 {
    kill(pid, signal)
}

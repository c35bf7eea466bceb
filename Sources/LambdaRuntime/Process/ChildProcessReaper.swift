import Foundation
import ProcessLauncher
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
    /// Live process groups (their leaders' pids), each with the environment entry its processes carry.
    private static let groups = Mutex<[pid_t: String?]>([:])

    /// Registers a live process group (its leader's pid) and `marker`, an environment entry (`NAME=value`) that
    /// only this function's processes have: descendants that left the group (`setsid`, a new session) still carry
    /// it, and are found by it.
    static func register(_ pgid: pid_t, marker: String? = nil) {
        groups.withLock { $0[pgid] = marker }
    }

    /// Forgets a process group whose leader has been reaped.
    static func unregister(_ pgid: pid_t) {
        _ = groups.withLock { $0.removeValue(forKey: pgid) }
    }

    /// The process groups currently registered.
    public static var liveProcessGroups: [Int32] { groups.withLock { Array($0.keys) } }

    /// Kills every registered process group: `SIGTERM`, up to `grace` for them to go, then `SIGKILL`.
    ///
    /// Blocking and quick; safe to call more than once.
    public static func killAll(grace: Duration = .milliseconds(200)) {
        let (targets, markers) = groups.withLock { (Array($0.keys), $0.values.compactMap { $0 }) }
        kill(groups: targets, grace: grace)
        killMarked(markers)
    }

    /// Kills (`SIGKILL`) every process but this one whose environment holds one of `markers`: a function's
    /// descendants that escaped its process group.
    static func killMarked(_ markers: [String]) {
        guard !markers.isEmpty,
            let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc")
        else { return }
        let needles = markers.map { Data($0.utf8) + Data([0]) }
        let me = getpid()
        for entry in entries {
            guard let pid = pid_t(entry), pid != me,
                let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ")
            else { continue }
            let environment = Data([0]) + environ
            if needles.contains(where: { environment.range(of: Data([0]) + $0) != nil }) {
                _ = posixKill(pid, SIGKILL)
            }
        }
    }

    /// Kills the given process groups: `SIGTERM`, up to `grace` for their leaders to exit, then `SIGKILL` for
    /// whatever is left of the groups.
    static func kill(groups targets: [pid_t], grace: Duration) {
        guard !targets.isEmpty else { return }
        // A leader's pidfd becomes readable when it exits: one poll waits for them all, without sleeping in steps.
        // (Without pidfd_open, glibc < 2.36, the groups get the grace period whole.)
        var pidfds = LibC.pidfdOpen.map { open in
            targets.map { open($0, 0) }.filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        }
        for pgid in targets { _ = posixKill(-pgid, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { break }
            let milliseconds = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            guard var waiting = pidfds else {
                _ = poll(nil, 0, milliseconds)
                break
            }
            guard !waiting.isEmpty else { break }
            let ready = poll(&waiting, nfds_t(waiting.count), milliseconds)
            if ready < 0 && errno != EINTR { break }
            for descriptor in waiting where descriptor.revents != 0 { close(descriptor.fd) }
            pidfds = waiting.filter { $0.revents == 0 }.map { pollfd(fd: $0.fd, events: $0.events, revents: 0) }
        }
        for descriptor in pidfds ?? [] { close(descriptor.fd) }
        for pgid in targets { _ = posixKill(-pgid, SIGKILL) }
    }
}

/// `kill(2)`, under a name the reaper's own `kill(groups:grace:)` does not shadow.
private func posixKill(_ pid: pid_t, _ signal: Int32) -> Int32 {
    kill(pid, signal)
}

import Foundation

/// Peak memory of a process tree, from `/proc` (Linux; 0 elsewhere).
enum ProcessMemory {
    /// The sum of `VmHWM` (peak resident set) of `pid` and its live descendants, in MB, rounded up.
    static func peakResidentMB(ofTree pid: Int32) -> Int {
        var total = 0
        var queue = [pid]
        var seen: Set<Int32> = []
        while let next = queue.popLast(), seen.insert(next).inserted, seen.count < 512 {
            total += peakResidentKB(next)
            queue.append(contentsOf: children(of: next))
        }
        return (total + 1023) / 1024
    }

    /// `VmHWM` of one process, in kB.
    static func peakResidentKB(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
                ?? 0
        }
        return 0
    }

    /// Direct children of `pid`, from each thread's `children` file.
    static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [Int32] in
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)
            else { return [] }
            return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Peak memory of a process tree, from `/proc` (Linux; 0 elsewhere). Read with plain `read(2)`: it runs once per
/// invocation.
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
        let status = readFile("/proc/\(pid)/status")
        guard let range = firstRange(of: Array("VmHWM:".utf8), in: status) else { return 0 }
        var value = 0
        var index = range.upperBound
        while index < status.count, status[index] == UInt8(ascii: " ") || status[index] == UInt8(ascii: "\t") {
            index += 1
        }
        while index < status.count, status[index] >= UInt8(ascii: "0"), status[index] <= UInt8(ascii: "9") {
            value = value * 10 + Int(status[index] - UInt8(ascii: "0"))
            index += 1
        }
        return value
    }

    /// Direct children of `pid` (those its main thread started, from `/proc/<pid>/task/<pid>/children`).
    static func children(of pid: Int32) -> [Int32] {
        readFile("/proc/\(pid)/task/\(pid)/children")
            .split { $0 < UInt8(ascii: "0") || $0 > UInt8(ascii: "9") }
            .compactMap { Int32(String(decoding: $0, as: UTF8.self)) }
    }

    private static func readFile(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    private static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start] == needle[0] && Array(haystack[start..<start + needle.count]) == needle {
            return start..<start + needle.count
        }
        return nil
    }
}

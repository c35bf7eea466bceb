import Foundation
import LambdaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// Writes function logs to a file descriptor (standard error by default), unbuffered, as they arrive.
public struct FileDescriptorLogSink: LogSink {
    private let descriptor: Int32

    /// A sink writing to standard error.
    public static let standardError = FileDescriptorLogSink(descriptor: 2)

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Opens (creating or appending to) the `--log-file`.
    /// - Throws: `StandinError` when the file cannot be opened.
    public static func appending(to path: String) throws(StandinError) -> FileDescriptorLogSink {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .usage("\(path): cannot open the log file: \(String(cString: strerror(errno)))")
        }
        return FileDescriptorLogSink(descriptor: fd)
    }

    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

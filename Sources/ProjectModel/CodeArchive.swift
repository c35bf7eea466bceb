import Foundation
import ZIPFoundation

/// Extracts function and layer zips into a cache, once per distinct content.
public enum CodeArchive {
    /// Extracts `zip` into `cacheDirectory/<content hash>/` and returns that folder; when it was already extracted
    /// (same content), returns it without extracting again. File modes are kept (a `bootstrap` stays executable).
    /// - Throws: `ProjectError` (`.codeArchive`) when the zip cannot be read or extracted.
    public static func extract(_ zip: URL, cacheDirectory: URL) throws -> URL {
        let fileManager = FileManager.default
        let file = zip.path
        let data: Data
        do {
            data = try Data(contentsOf: zip, options: .mappedIfSafe)
        } catch {
            throw ProjectError(
                .codeArchive,
                file: file,
                message: "cannot read the archive: \(error.localizedDescription)"
            )
        }
        let destination = cacheDirectory.appendingPathComponent(hashString(data), isDirectory: true)
        let marker = destination.appendingPathComponent(".standin-extracted")
        if fileManager.fileExists(atPath: marker.path) { return destination }
        let staging = cacheDirectory.appendingPathComponent(".staging-\(UUID().uuidString)")
        do {
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
            try fileManager.unzipItem(at: zip, to: staging)
            try Data().write(to: staging.appendingPathComponent(".standin-extracted"))
            if fileManager.fileExists(atPath: destination.path) { try fileManager.removeItem(at: destination) }
            try fileManager.moveItem(at: staging, to: destination)
        } catch {
            try? fileManager.removeItem(at: staging)
            // Another process may have finished the same extraction first.
            if fileManager.fileExists(atPath: marker.path) { return destination }
            throw ProjectError(.codeArchive, file: file, message: "cannot extract the archive: \(error)")
        }
        return destination
    }

    /// A hex content hash (64-bit FNV-1a plus the length); used for cache folder names.
    static func hashString(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            for byte in buffer {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        return String(hash, radix: 16) + "-" + String(data.count, radix: 16)
    }
}

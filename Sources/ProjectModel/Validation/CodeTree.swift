import Foundation
import ZIPFoundation

/// Read-only access to a function's or layer's files, in a folder or a zip, for the validator's checks.
struct CodeTree {
    /// A file of a zip archive.
    struct ArchivedFile {
        var isExecutable: Bool
        var entry: Entry
    }

    let location: CodeLocation
    private let archive: Archive?
    private let archivedFiles: [String: ArchivedFile]

    /// Opens the code; nil when the folder or archive cannot be read.
    init?(_ location: CodeLocation) {
        self.location = location
        switch location {
        case .directory(let url):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue
            else { return nil }
            archive = nil
            archivedFiles = [:]
        case .zipFile(let url):
            guard let archive = try? Archive(url: url, accessMode: .read, pathEncoding: nil) else { return nil }
            var files: [String: ArchivedFile] = [:]
            for entry in archive where entry.type == .file {
                let mode = (entry.fileAttributes[.posixPermissions] as? NSNumber)?.uint16Value ?? 0
                var path = entry.path
                while path.hasPrefix("./") { path.removeFirst(2) }
                files[path] = ArchivedFile(isExecutable: mode & 0o111 != 0, entry: entry)
            }
            self.archive = archive
            archivedFiles = files
        }
    }

    /// The code's path as diagnostics show it.
    func shown(_ workingDirectory: URL) -> String {
        ProjectLoader.displayPath(location.url, workingDirectory: workingDirectory)
    }

    /// True when `path` (relative, `/`-separated) is a file.
    func exists(_ path: String) -> Bool {
        if archive != nil { return archivedFiles[path] != nil }
        var isDirectory: ObjCBool = false
        let url = location.url.appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// True when `path` is a file with an execute bit.
    func isExecutable(_ path: String) -> Bool {
        if archive != nil { return archivedFiles[path]?.isExecutable ?? false }
        return FileManager.default.isExecutableFile(atPath: location.url.appendingPathComponent(path).path)
    }

    /// The file's text (invalid UTF-8 repaired), or nil when it cannot be read.
    func text(_ path: String) -> String? {
        if let archive {
            guard let file = archivedFiles[path] else { return nil }
            var data = Data()
            do {
                _ = try archive.extract(file.entry, skipCRC32: true) { data.append($0) }
            } catch {
                return nil
            }
            return String(decoding: data, as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: location.url.appendingPathComponent(path).path) else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }
}

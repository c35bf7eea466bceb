import Foundation

/// Watches files and folders for changes by polling their modification times (portable, and cheap for the size
/// of a function's code folder).
public struct FileWatcher: Sendable {
    /// A file's identity for change detection.
    struct Stamp: Equatable {
        var modified: TimeInterval
        var size: Int
    }

    public var paths: [URL]
    public var interval: Duration
    /// Folders below a watched folder that are never scanned (dependencies rarely change by hand).
    public var ignoredFolderNames: Set<String> = [".git", "__pycache__", ".pytest_cache", ".aws-sam", ".build"]

    public init(paths: [URL], interval: Duration = .milliseconds(500)) {
        self.paths = paths
        self.interval = interval
    }

    /// Polls until the task is cancelled; calls `onChange` with the changed (added, removed, modified) paths.
    public func run(onChange: @Sendable ([String]) async -> Void) async {
        var previous = snapshot()
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            let current = snapshot()
            if current != previous {
                var changed: [String] = []
                for (path, stamp) in current where previous[path] != stamp { changed.append(path) }
                for path in previous.keys where current[path] == nil { changed.append(path) }
                previous = current
                await onChange(changed.sorted())
            }
        }
    }

    func snapshot() -> [String: Stamp] {
        var result: [String: Stamp] = [:]
        let manager = FileManager.default
        for root in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: root.path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                if let stamp = stamp(root.path) { result[root.path] = stamp }
                continue
            }
            guard
                let enumerator = manager.enumerator(
                    at: root, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey, .isDirectoryKey])
            else { continue }
            var count = 0
            for case let url as URL in enumerator {
                if ignoredFolderNames.contains(url.lastPathComponent) {
                    enumerator.skipDescendants()
                    continue
                }
                count += 1
                if count > 50_000 { break }
                if let stamp = stamp(url.path) { result[url.path] = stamp }
            }
        }
        return result
    }

    private func stamp(_ path: String) -> Stamp? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        return Stamp(modified: modified, size: size)
    }
}

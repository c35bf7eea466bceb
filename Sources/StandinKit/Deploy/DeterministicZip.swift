import Crypto
import Foundation
import ZIPFoundation

/// A zip of a folder whose bytes depend only on the files' paths, contents and modes: entries sorted by path, every
/// timestamp 1980-01-01 00:00, no directory entries, as `sam package` writes them (its entries are in directory
/// order; sorted ones make the bytes the same on every file system).
enum DeterministicZip {
    /// The zip of `folder` (symbolic links followed, as `sam package` does).
    /// - Parameter worldReadable: add read permission for everyone to every file (Lambda code and layers: the
    ///   function runs as another user than the one who zipped it).
    /// - Throws: `StandinError` naming the file that could not be read.
    static func zip(folder: URL, worldReadable: Bool) throws(StandinError) -> (bytes: [UInt8], contentHash: String) {
        try zip(files: try regularFiles(under: folder), worldReadable: worldReadable)
    }

    /// The zip of `files` (path in the zip, file), given in path order.
    static func zip(files: [(String, URL)], worldReadable: Bool) throws(StandinError)
        -> (bytes: [UInt8], contentHash: String)
    {
        // The object name: MD5 over each file's relative path and the hex MD5 of its bytes, in path order, which is
        // `sam package`'s folder checksum, so both name the same folder alike.
        var folderHash = Insecure.MD5()
        let archive: Archive
        do {
            archive = try Archive(data: Data(), accessMode: .create)
        } catch {
            throw .failure("cannot create a zip in memory: \(error)")
        }
        for (relativePath, url) in files {
            let data: Data
            let mode: UInt16
            do {
                data = try Data(contentsOf: url)
                let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
                mode = UInt16(truncatingIfNeeded: (attributes[.posixPermissions] as? Int) ?? 0o644) & 0o7777
                    | (worldReadable ? 0o444 : 0)
            } catch {
                throw .failure("\(url.path): cannot read: \(error.localizedDescription)")
            }
            do {
                try archive.addEntry(
                    with: relativePath, type: .file, uncompressedSize: Int64(data.count),
                    modificationDate: fixedDate, permissions: mode, compressionMethod: .deflate
                ) { position, size in
                    data.subdata(in: Int(position)..<(Int(position) + size))
                }
            } catch {
                throw .failure("\(url.path): cannot add to the zip: \(error)")
            }
            folderHash.update(data: Array(relativePath.utf8))
            folderHash.update(data: Array(md5(Array(data)).utf8))
        }
        return (archive.data.map(Array.init) ?? [], hex(folderHash.finalize()))
    }

    /// 1980-01-01 00:00 in the calendar ZIPFoundation converts with, the earliest time a zip can hold.
    static let fixedDate: Date = {
        var components = DateComponents()
        (components.year, components.month, components.day) = (1980, 1, 1)
        return Calendar.current.date(from: components) ?? Date(timeIntervalSince1970: 315_532_800)
    }()

    /// Every regular file below `folder` (following links), by relative path, sorted by path.
    static func regularFiles(under folder: URL) throws(StandinError) -> [(String, URL)] {
        let root = folder.resolvingSymlinksInPath().standardizedFileURL
        var result: [(String, URL)] = []
        var visited: Set<String> = []
        func walk(_ directory: URL, _ prefix: String) throws(StandinError) {
            // A link back up the tree would loop forever.
            guard visited.insert(directory.resolvingSymlinksInPath().path).inserted else { return }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            } catch {
                throw .failure("\(directory.path): cannot list: \(error.localizedDescription)")
            }
            for name in names.sorted() {
                let url = directory.appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    try walk(url, prefix + name + "/")
                } else {
                    result.append((prefix + name, url))
                }
            }
        }
        try walk(root, "")
        return result.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
    }

    /// The hex MD5 of `bytes`: the object name `package` gives an artifact, as `sam package` does.
    static func md5(_ bytes: [UInt8]) -> String { hex(Insecure.MD5.hash(data: bytes)) }

    static func hex(_ digest: Insecure.MD5Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in digest { text += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return String(decoding: text, as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves files from one folder (`sam local start-api --static-dir`, default `public`) for `GET` and `HEAD`.
///
/// Static files are tried first, before routes, as `sam local` does: a request whose path names an existing
/// regular file under the folder gets that file; anything else falls through to the routes. Paths are
/// percent-decoded first; a `..` segment, a NUL byte, or a file whose real path (symlinks resolved) lies outside
/// the folder's real path is refused with 403 and never read.
public struct StaticFiles: Sendable {
    /// The folder's real path (symlinks resolved).
    public let root: String

    /// Opens `folder`; returns nil when it does not exist or is not a directory.
    public init?(folder: String) {
        guard let resolved = Self.realPath(folder), Self.isDirectory(resolved) else { return nil }
        self.root = resolved
    }

    /// What serving a request came to.
    public enum Lookup: Sendable, Equatable {
        /// Not a static file: go on to the routes.
        case notFound
        /// The path tried to leave the folder.
        case forbidden
        /// The file, with its content type.
        case file(path: String, contentType: String)
    }

    /// Finds the file for a request path (as received, percent-encoded). `/` and folders look for `index.html`.
    public func lookup(path rawPath: String) -> Lookup {
        guard let decoded = PercentDecoding.decode(rawPath) else { return .forbidden }
        if decoded.utf8.contains(0) || decoded.contains("\\") { return .forbidden }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true)
        if segments.contains(where: { $0 == ".." }) { return .forbidden }
        var candidate = root
        for segment in segments where segment != "." { candidate += "/" + segment }
        if Self.isDirectory(candidate) { candidate += "/index.html" }
        guard let real = Self.realPath(candidate) else { return .notFound }
        guard real == root || real.hasPrefix(root == "/" ? "/" : root + "/") else { return .forbidden }
        guard Self.isRegularFile(real) else { return .notFound }
        return .file(path: real, contentType: Self.contentType(forPath: real))
    }

    /// Serves `request` when it names a static file: the file (GET), its headers (HEAD), or 403 for an escape.
    /// Returns nil when the routes should handle it.
    public func response(for request: APIRequest) -> GatewayResponse? {
        guard request.method == "GET" || request.method == "HEAD" else { return nil }
        switch lookup(path: request.path) {
        case .notFound: return nil
        case .forbidden: return .message(403, "Forbidden")
        case .file(let path, let contentType):
            guard let bytes = Self.readFile(path) else { return nil }
            var response = GatewayResponse(status: 200, headers: [HeaderField("Content-Type", contentType)])
            if request.method == "GET" {
                response.body = bytes
            } else {
                response.headers.append(HeaderField("Content-Length", String(bytes.count)))
            }
            return response
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
            if count < 0 { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    private static let types: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "json": "application/json", "map": "application/json", "txt": "text/plain; charset=utf-8",
        "csv": "text/csv; charset=utf-8", "xml": "application/xml", "svg": "image/svg+xml", "png": "image/png",
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp", "avif": "image/avif",
        "ico": "image/x-icon", "pdf": "application/pdf", "wasm": "application/wasm", "woff": "font/woff",
        "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf", "mp4": "video/mp4", "webm": "video/webm",
        "mp3": "audio/mpeg", "wav": "audio/wav", "zip": "application/zip", "gz": "application/gzip",
        "webmanifest": "application/manifest+json",
    ]

    /// The content type for a file name's extension (`application/octet-stream` when unknown).
    public static func contentType(forPath path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "application/octet-stream" }
        return types[String(name[name.index(after: dot)...]).asciiLowercased] ?? "application/octet-stream"
    }
}

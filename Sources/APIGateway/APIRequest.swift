import Foundation

/// One header line as received, name spelled as the client sent it.
public struct HeaderField: Sendable, Equatable {
    /// The header name.
    public var name: String
    /// The header value.
    public var value: String

    /// Creates a header field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An incoming HTTP request, independent of the server library.
public struct APIRequest: Sendable {
    /// Upper-case method.
    public var method: String
    /// The path as received (percent-encoded, no query).
    public var path: String
    /// The query string without `?` (empty when none).
    public var rawQuery: String
    /// Headers in the order received.
    public var headers: [HeaderField]
    /// The body bytes.
    public var body: [UInt8]
    /// The client's IP address.
    public var sourceIP: String
    /// `HTTP/1.1`.
    public var protocolVersion: String

    /// Creates a request; `target` may hold a query (`/p?a=1`).
    public init(
        method: String,
        target: String,
        headers: [HeaderField] = [],
        body: [UInt8] = [],
        sourceIP: String = "127.0.0.1",
        protocolVersion: String = "HTTP/1.1"
    ) {
        self.method = method.uppercased()
        if let question = target.firstIndex(of: "?") {
            self.path = String(target[..<question])
            self.rawQuery = String(target[target.index(after: question)...])
        } else {
            self.path = target
            self.rawQuery = ""
        }
        if self.path.isEmpty { self.path = "/" }
        self.headers = headers
        self.body = body
        self.sourceIP = sourceIP
        self.protocolVersion = protocolVersion
    }

    /// The last value of a header (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        headers.last { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// The query parameters in order, percent-decoded (`+` is kept, as API Gateway does).
    public var queryItems: [(name: String, value: String)] {
        guard !rawQuery.isEmpty else { return [] }
        var items: [(name: String, value: String)] = []
        for part in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = part.firstIndex(of: "=") {
                items.append(
                    (
                        PercentDecoding.decode(part[..<equals]) ?? String(part[..<equals]),
                        PercentDecoding.decode(part[part.index(after: equals)...])
                            ?? String(part[part.index(after: equals)...])
                    )
                )
            } else {
                items.append((PercentDecoding.decode(part) ?? String(part), ""))
            }
        }
        return items
    }
}

extension String {
    /// ASCII case-insensitive equality (header names).
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = self.utf8
        let b = other.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            let lx = (x >= 65 && x <= 90) ? x + 32 : x
            let ly = (y >= 65 && y <= 90) ? y + 32 : y
            if lx != ly { return false }
        }
        return true
    }

    /// ASCII lower case (header names), cheaper than `lowercased()` for the common all-lower case.
    var asciiLowercased: String {
        if !self.utf8.contains(where: { $0 >= 65 && $0 <= 90 }) { return self }
        return String(decoding: self.utf8.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}

/// `%XX` decoding for paths and query strings.
enum PercentDecoding {
    /// Decodes `%XX` escapes; nil when an escape is malformed or the result is not UTF-8 (Foundation's rules).
    static func decode(_ text: some StringProtocol) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        return String(text).removingPercentEncoding
    }
}

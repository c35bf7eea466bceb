import Crypto
import Foundation

/// AWS Signature Version 4: signed headers and presigned URLs.
///
/// Pure: no I/O, the date is passed in. Follows
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html and matches AWS's published
/// `aws4_testsuite` byte for byte (repeated headers are joined with commas, paths normalised except for S3).
public struct SigV4Signer: Sendable {
    /// `AWS4-HMAC-SHA256`.
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash used for presigned URLs and unsigned bodies.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// Headers that are never signed (botocore's list): proxies and clients may change them.
    static let unsignedHeaderNames: Set<String> = ["expect", "transfer-encoding", "user-agent", "x-amzn-trace-id"]

    /// The credentials that sign.
    public var credentials: Credentials
    /// The signing region, e.g. `us-east-1`.
    public var region: String
    /// The signing service name, e.g. `sts`, `s3`.
    public var service: String
    /// Whether the path is normalised (dot segments and repeated slashes removed) and encoded again. AWS does this
    /// for every service but S3.
    public var normalizesPath: Bool

    /// Creates a signer.
    /// - Parameter normalizesPath: nil means true except for the `s3` service.
    public init(credentials: Credentials, region: String, service: String, normalizesPath: Bool? = nil) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.normalizesPath = normalizesPath ?? (service != "s3")
    }

    /// The outcome of signing a request.
    public struct SignedRequest: Sendable {
        /// All headers to send: the input headers plus `X-Amz-Date`, `X-Amz-Security-Token` and `Authorization`.
        public var headers: [(name: String, value: String)]
        /// The canonical request that was signed.
        public var canonicalRequest: String
        /// The string to sign.
        public var stringToSign: String
        /// The hex signature.
        public var signature: String
        /// The `Authorization` header value.
        public var authorization: String

        /// The value of the first header with this name (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// Signs a request given in its wire form.
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - path: the request path as sent (percent-encoded, or raw as in the test suite).
    ///   - query: the query string as sent, without `?` (nil or empty for none).
    ///   - headers: the request headers; repeated names are allowed. Include `Host`.
    ///   - payloadHash: the hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
    ///   - date: the signing time; `X-Amz-Date` is set (replaced) from it.
    ///   - signsSessionToken: false adds `X-Amz-Security-Token` after signing, unsigned (some services want that).
    public func sign(
        method: String, path: String, query: String?, headers: [(name: String, value: String)],
        payloadHash: String, date: Date, signsSessionToken: Bool = true
    ) -> SignedRequest {
        let amzDate = Self.amzDate(date)
        var headers = headers.filter { $0.name.lowercased() != "x-amz-date" }
        headers.append((name: "X-Amz-Date", value: amzDate))
        let hasToken = headers.contains { $0.name.lowercased() == "x-amz-security-token" }
        if let token = credentials.sessionToken, !hasToken, signsSessionToken {
            headers.append((name: "X-Amz-Security-Token", value: token))
        }
        let (canonical, signedHeaders) = canonicalRequest(
            method: method, path: path, query: query, headers: headers, payloadHash: payloadHash)
        let toSign = stringToSign(canonicalRequest: canonical, date: date)
        let signature = self.signature(stringToSign: toSign, date: date)
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(credentialScope(date)), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        if let token = credentials.sessionToken, !hasToken, !signsSessionToken {
            headers.append((name: "X-Amz-Security-Token", value: token))
        }
        headers.append((name: "Authorization", value: authorization))
        return SignedRequest(
            headers: headers, canonicalRequest: canonical, stringToSign: toSign, signature: signature,
            authorization: authorization)
    }

    /// Signs a request to `url` with `body`, adding `Host` when it is missing and hashing the body.
    public func sign(
        method: String, url: URL, headers: [(name: String, value: String)] = [], body: [UInt8] = [], date: Date
    ) -> SignedRequest {
        sign(
            method: method, url: url, headers: headers, payloadHash: Self.hexSHA256(body), date: date)
    }

    /// Signs a request to `url` with a given payload hash, adding `Host` when it is missing.
    public func sign(
        method: String, url: URL, headers: [(name: String, value: String)], payloadHash: String, date: Date
    ) -> SignedRequest {
        var headers = headers
        if !headers.contains(where: { $0.name.lowercased() == "host" }) {
            headers.insert((name: "Host", value: Self.hostHeader(url)), at: 0)
        }
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? "/"
        return sign(
            method: method, path: path.isEmpty ? "/" : path, query: components?.percentEncodedQuery,
            headers: headers, payloadHash: payloadHash, date: date)
    }

    /// A presigned URL (query-string authentication): anyone holding it can make this one request until it expires.
    /// - Parameters:
    ///   - expires: validity in seconds (`X-Amz-Expires`, at most 604800).
    ///   - payloadHash: `UNSIGNED-PAYLOAD` by default.
    /// - Throws: `AWSAuthError` when the URL has no host.
    public func presignedURL(
        method: String = "GET", url: URL, expires: Int, date: Date, payloadHash: String = unsignedPayload,
        headers: [(name: String, value: String)] = []
    ) throws(AWSAuthError) -> URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false), components.host != nil
        else { throw .invalidInput("cannot presign \(url.absoluteString): no host") }
        var headers = headers
        if !headers.contains(where: { $0.name.lowercased() == "host" }) {
            headers.insert((name: "Host", value: Self.hostHeader(url)), at: 0)
        }
        let signedHeaders = Self.canonicalHeaders(headers).signedHeaders
        var query: [(String, String)] = Self.parseQuery(components.percentEncodedQuery)
        query.append(("X-Amz-Algorithm", Self.algorithm))
        query.append(("X-Amz-Credential", "\(credentials.accessKeyID)/\(credentialScope(date))"))
        query.append(("X-Amz-Date", Self.amzDate(date)))
        query.append(("X-Amz-Expires", String(expires)))
        if let token = credentials.sessionToken { query.append(("X-Amz-Security-Token", token)) }
        query.append(("X-Amz-SignedHeaders", signedHeaders))
        let queryString = Self.canonicalQuery(pairs: query)
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        let (canonical, _) = canonicalRequest(
            method: method, path: path, query: queryString, headers: headers, payloadHash: payloadHash)
        let signature = self.signature(stringToSign: stringToSign(canonicalRequest: canonical, date: date), date: date)
        components.percentEncodedQuery = queryString + "&X-Amz-Signature=" + signature
        guard let signed = components.url else { throw .invalidInput("cannot presign \(url.absoluteString)") }
        return signed
    }

    /// The canonical request and the signed-headers list (`host;x-amz-date`).
    public func canonicalRequest(
        method: String, path: String, query: String?, headers: [(name: String, value: String)], payloadHash: String
    ) -> (canonicalRequest: String, signedHeaders: String) {
        let (headerBlock, signedHeaders) = Self.canonicalHeaders(headers)
        let lines = [
            method.uppercased(),
            canonicalURI(path),
            Self.canonicalQuery(pairs: Self.parseQuery(query)),
            headerBlock,
            signedHeaders,
            payloadHash,
        ]
        return (lines.joined(separator: "\n"), signedHeaders)
    }

    /// The string to sign for a canonical request.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        [Self.algorithm, Self.amzDate(date), credentialScope(date), Self.hexSHA256(Array(canonicalRequest.utf8))]
            .joined(separator: "\n")
    }

    /// The hex HMAC-SHA256 signature of a string to sign.
    public func signature(stringToSign: String, date: Date) -> String {
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [Self.dateStamp(date), region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key)
        return Self.hex(Array(mac))
    }

    /// `20150830/us-east-1/service/aws4_request`.
    public func credentialScope(_ date: Date) -> String {
        "\(Self.dateStamp(date))/\(region)/\(service)/aws4_request"
    }

    // MARK: - Canonical pieces

    /// The canonical URI: normalised and encoded (again) unless `normalizesPath` is false.
    func canonicalURI(_ path: String) -> String {
        guard normalizesPath else { return path.isEmpty ? "/" : path }
        return Self.percentEncode(Self.removeDotSegments(path), keepSlash: true)
    }

    /// RFC 3986 5.2.4 plus AWS's removal of empty segments (botocore `remove_dot_segments`).
    static func removeDotSegments(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                if !output.isEmpty { output.removeLast() }
            } else {
                output.append(segment)
            }
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return first + output.joined(separator: "/") + last
    }

    /// Canonical header lines (each followed by `\n`) and the signed-headers list.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (block: String, signedHeaders: String) {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            guard !unsignedHeaderNames.contains(key) else { continue }
            values[key, default: []].append(value.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
        let names = values.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var block = ""
        for name in names { block += "\(name):\(values[name, default: []].joined(separator: ","))\n" }
        return (block, names.joined(separator: ";"))
    }

    /// Splits a raw query into decoded pairs (`a&b=` gives `("a", "")`, `("b", "")`).
    static func parseQuery(_ query: String?) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = percentDecode(String(parts[0]))
            let value = parts.count > 1 ? percentDecode(String(parts[1])) : ""
            return (key, value)
        }
    }

    /// Encodes pairs and sorts them by key, then value (byte order).
    static func canonicalQuery(pairs: [(String, String)]) -> String {
        pairs.map { (percentEncode($0.0, keepSlash: false), percentEncode($0.1, keepSlash: false)) }
            .sorted { lhs, rhs in
                lhs.0 == rhs.0
                    ? Array(lhs.1.utf8).lexicographicallyPrecedes(Array(rhs.1.utf8))
                    : Array(lhs.0.utf8).lexicographicallyPrecedes(Array(rhs.0.utf8))
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// AWS URI encoding: everything but `A-Z a-z 0-9 - _ . ~` (and `/` when asked) becomes `%XX` (upper case).
    public static func percentEncode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out +=
                    "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Decodes `%XX` escapes (invalid ones are kept as they are); `+` stays `+`. Not Foundation's
    /// `removingPercentEncoding`, which gives up on the whole string at one bad escape: a canonical request must
    /// still be built from such a path, as AWS builds it.
    static func percentDecode(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        let input = Array(text.utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "%"), index + 2 < input.count,
                let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `host` or `host:port` (the port only when it is not the scheme's default).
    static func hostHeader(_ url: URL) -> String {
        let host = url.host ?? ""
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        guard let port = url.port else { return bracketed }
        let scheme = url.scheme?.lowercased()
        if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { return bracketed }
        return "\(bracketed):\(port)"
    }

    // MARK: - Hashing and dates

    /// Lower-case hex SHA-256 of bytes.
    public static func hexSHA256(_ bytes: [UInt8]) -> String { hex(Array(SHA256.hash(data: bytes))) }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `20150830T123600Z`.
    public static func amzDate(_ date: Date) -> String {
        let parts = utcComponents(date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", parts[0], parts[1], parts[2], parts[3], parts[4], parts[5])
    }

    /// `20150830`.
    public static func dateStamp(_ date: Date) -> String { String(amzDate(date).prefix(8)) }

    private static func utcComponents(_ date: Date) -> [Int] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return [c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0]
    }
}

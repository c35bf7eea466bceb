import Foundation

/// Base64 for bodies, by Foundation. Decoding is as lenient as API Gateway's: whitespace is skipped, padding is
/// optional and the URL-safe alphabet is accepted; anything else is not base64 (nil).
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    static func decode(_ text: String) -> [UInt8]? {
        var normalized: [UInt8] = []
        normalized.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            switch byte {
            case 0x20, 0x0A, 0x0D, 0x09: continue
            case UInt8(ascii: "-"): normalized.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): normalized.append(UInt8(ascii: "/"))
            default: normalized.append(byte)
            }
        }
        while normalized.last == UInt8(ascii: "=") { normalized.removeLast() }
        guard normalized.count % 4 != 1 else { return nil }
        normalized += repeatElement(UInt8(ascii: "="), count: (4 - normalized.count % 4) % 4)
        return Data(base64Encoded: Data(normalized)).map { [UInt8]($0) }
    }
}

/// Media type matching for binary detection.
enum MediaTypes {
    /// The `type/subtype` part of a Content-Type, lower-cased, without parameters.
    static func essence(_ contentType: String) -> String {
        let main = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? contentType
        return main.trimmingSpaces.asciiLowercased
    }

    /// True when `contentType` matches one of `patterns` (`image/png`, `image/*`, `*/*`).
    static func matches(_ contentType: String, _ patterns: [String]) -> Bool {
        let type = essence(contentType)
        for pattern in patterns {
            let wanted = essence(pattern)
            if wanted == "*/*" || wanted == type { return true }
            if wanted.hasSuffix("/*"), type.hasPrefix(wanted.dropLast()) { return true }
        }
        return false
    }

    /// The HTTP API / function URL rule: a body is sent as text only when its content type is textual
    /// (`text/*`, JSON, JavaScript, XML, YAML and their `+json`/`+xml` forms); anything else, including no
    /// content type at all, is base64-encoded.
    static func isTextual(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = essence(contentType)
        if type.hasPrefix("text/") { return true }
        switch type {
        case "application/json", "application/javascript", "application/ecmascript", "application/xml",
            "application/yaml", "application/x-yaml", "application/graphql":
            return true
        default:
            return type.hasSuffix("+json") || type.hasSuffix("+xml")
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) ?? first
        return String(self[first...last])
    }
}

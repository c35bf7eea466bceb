/// Standard base64 (RFC 4648, with padding), for bodies.
enum Base64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
    )
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        table[Int(UInt8(ascii: "-"))] = 62  // URL-safe alphabet accepted on input
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            out.append(alphabet[Int(value >> 6 & 63)])
            out.append(alphabet[Int(value & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let value = UInt32(bytes[index]) << 16
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            out.append(contentsOf: [61, 61])
        } else if rest == 2 {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            out.append(alphabet[Int(value >> 6 & 63)])
            out.append(61)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes; whitespace is skipped, padding optional. Nil on any other character.
    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count / 4 * 3)
        var buffer: UInt32 = 0
        var count = 0
        var sawPadding = false
        for byte in text.utf8 {
            if byte == 61 {
                sawPadding = true
                continue
            }
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { continue }
            let value = reverse[Int(byte)]
            guard value != 0xFF, !sawPadding else { return nil }
            buffer = buffer << 6 | UInt32(value)
            count += 1
            if count == 4 {
                out.append(UInt8(buffer >> 16 & 0xFF))
                out.append(UInt8(buffer >> 8 & 0xFF))
                out.append(UInt8(buffer & 0xFF))
                buffer = 0
                count = 0
            }
        }
        switch count {
        case 0: break
        case 2: out.append(UInt8(buffer >> 4 & 0xFF))
        case 3:
            out.append(UInt8(buffer >> 10 & 0xFF))
            out.append(UInt8(buffer >> 2 & 0xFF))
        default: return nil
        }
        return out
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

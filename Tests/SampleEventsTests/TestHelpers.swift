import Foundation
import Testing

@testable import SampleEvents

/// Renders an event from the standard catalogue and parses it (in key order).
func renderParsed(_ service: String, _ event: String, _ options: [String: String] = [:]) throws -> EventJSON {
    let text = try SampleEventCatalog.standard.render(service: service, event: event, options: options)
    return try #require(EventJSON.parse(text), "\(service) \(event) did not parse")
}

extension EventJSON {
    /// The member `key` of an object, or the element at a numeric key of an array.
    subscript(_ key: String) -> EventJSON? {
        switch self {
        case .object(let members): return members.first { $0.0 == key }?.1
        case .array(let items): return Int(key).flatMap { items.indices.contains($0) ? items[$0] : nil }
        default: return nil
        }
    }

    /// Follows a dotted path (`Records.0.s3.bucket.name`).
    func at(_ path: String) -> EventJSON? {
        var current: EventJSON? = self
        for part in path.split(separator: ".") { current = current?[String(part)] }
        return current
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var arrayValue: [EventJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var keys: [String] {
        if case .object(let members) = self { return members.map(\.0) }
        return []
    }
}

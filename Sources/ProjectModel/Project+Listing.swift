import Foundation

extension Project {
    /// A plain-text listing for `standin list`: one block per function, then one line per route.
    public func listing() -> String {
        var lines: [String] = []
        lines.append("Functions:")
        for function in functions {
            lines.append(contentsOf: function.listingLines().map { "  " + $0 })
        }
        if !routes.isEmpty {
            lines.append("Routes:")
            let methodWidth = routes.map(\.method.count).max() ?? 0
            let pathWidth = routes.map(\.path.count).max() ?? 0
            for route in routes {
                lines.append("  " + route.listingLine(methodWidth: methodWidth, pathWidth: pathWidth))
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension FunctionSpec {
    /// Lines describing the function: name, runtime, handler, code, role, events.
    public func listingLines() -> [String] {
        var title = logicalID
        if functionName != logicalID { title += " (\(functionName))" }
        var lines = [title]
        if packageType == "Image" {
            lines.append("  image: \(imageURI ?? "-")")
        } else {
            lines.append("  runtime: \(runtime ?? "-")  handler: \(handler ?? "-")")
            lines.append("  code: \(code)")
        }
        lines.append("  role: \(role?.description ?? "-")")
        if !layers.isEmpty || !remoteLayers.isEmpty {
            lines.append("  layers: " + (layers.map(\.logicalID) + remoteLayers).joined(separator: ", "))
        }
        if !events.isEmpty {
            lines.append("  events: " + events.map { "\($0.name) (\($0.type))" }.joined(separator: ", "))
        }
        return lines
    }
}

extension Route {
    /// "GET    /hello  REST  Hello  (ServerlessRestApi, stage Prod)" with padded columns.
    public func listingLine(methodWidth: Int = 0, pathWidth: Int = 0) -> String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        var line = "\(pad(method, methodWidth))  \(pad(path, pathWidth))  \(kind)  \(functionLogicalID)"
        line += "  (\(apiLogicalID), stage \(stageName), payload \(payloadFormatVersion)"
        if let authorizer { line += ", authorizer \(authorizer.name)" }
        return line + ")"
    }
}

import Foundation
import ProjectModel

/// `standin list`: the functions and API routes of a project, as a table or as JSON for scripts.
public enum ProjectListing {
    /// The text form: a functions table, then a routes table.
    public static func text(_ project: Project, relativeTo base: URL) -> String {
        var functionRows = [["FUNCTION", "RUNTIME", "HANDLER", "CODE", "ROLE", "EVENTS"]]
        for function in project.functions {
            functionRows.append([
                function.logicalID == function.functionName
                    ? function.id : "\(function.id) (\(function.functionName))",
                function.runtime ?? "-",
                function.handler ?? "-",
                function.isAvailable ? displayPath(codePath(function.code), relativeTo: base) : "-",
                describe(function.role),
                function.events.isEmpty ? "-" : function.events.map { "\($0.name):\($0.type)" }.joined(separator: ","),
            ])
        }
        var output = table(functionRows)
        let unavailable = project.functions.filter { !$0.isAvailable }
        if !unavailable.isEmpty {
            output += "\nUnavailable (these cannot run locally; the others can):\n"
            for function in unavailable {
                output += "  \(function.id): \(function.unavailableReason?.description ?? "")\n"
            }
        }
        if !project.routes.isEmpty {
            var routeRows = [["METHOD", "PATH", "API", "FUNCTION"]]
            for route in project.routes {
                let api = route.kind == .rest ? "REST (1.0)" : "HTTP (\(route.payloadFormatVersion))"
                routeRows.append([route.method, route.path, api, route.functionLogicalID])
            }
            output += "\n" + table(routeRows)
        }
        return output
    }

    /// The JSON form: `{"template": ..., "functions": [...], "routes": [...]}`.
    public static func json(_ project: Project, relativeTo base: URL) -> String {
        let functions: [[String: Any]] = project.functions.map { function in
            [
                "id": function.id,
                "logicalId": function.logicalID,
                "available": function.isAvailable,
                "unavailableReason": function.unavailableReason?.description ?? NSNull(),
                "functionName": function.functionName,
                "runtime": function.runtime ?? NSNull(),
                "handler": function.handler ?? NSNull(),
                "codeUri": function.isAvailable ? codePath(function.code) : NSNull(),
                "timeout": function.timeout,
                "memorySize": function.memorySize,
                "role": describe(function.role),
                "events": function.events.map { ["name": $0.name, "type": $0.type] },
            ]
        }
        let routes: [[String: Any]] = project.routes.map { route in
            [
                "method": route.method, "path": route.path, "stageVariables": route.stageVariables,
                "api": route.kind == .rest ? "REST" : "HTTP",
                "payloadFormatVersion": route.payloadFormatVersion,
                "function": route.functionLogicalID, "stage": route.stageName,
            ]
        }
        let document: [String: Any] = [
            "template": project.templateURL.path, "functions": functions, "routes": routes,
            "notes": project.notes.map { ["severity": $0.severity.rawValue, "message": $0.description] },
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func codePath(_ code: CodeLocation) -> String {
        switch code {
        case .directory(let url), .zipFile(let url): url.path
        }
    }

    static func describe(_ role: RoleReference?) -> String {
        switch role {
        case .arn(let arn): arn
        case .name(let name): "role/\(name)"
        case .templateRole(let logicalID, let roleName): roleName.map { "\(logicalID) (\($0))" } ?? logicalID
        case .implicitSAMRole(let logicalID): "\(logicalID)Role (SAM)"
        case nil: "-"
        }
    }

    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = Array(repeating: 0, count: first.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

import APIGateway
import Foundation
import Hummingbird
import LambdaRuntime
import Logging
import ProjectModel
import ServiceLifecycle
import Synchronization

/// How start-api presents the project's routes: the gateway's route values, the banner, the static folder.
extension ServerRunner {
    static func staticDirectory(_ flag: String?, project: Project) -> URL? {
        if let flag { return URL(fileURLWithPath: flag).standardizedFileURL }
        let candidate = project.templateURL.deletingLastPathComponent().appendingPathComponent("public")
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? candidate : nil
    }

    /// A ProjectModel route as the gateway serves it.
    static func apiRoute(_ route: Route) -> APIRoute {
        APIRoute(
            method: route.method, path: route.path, kind: route.kind == .rest ? .rest : .http,
            payloadFormatVersion: route.payloadFormatVersion, functionLogicalID: route.functionLogicalID,
            apiID: route.apiLogicalID.split(separator: "/").last.map { $0.lowercased().prefix(10).description } ?? "",
            stage: route.stageName, stageVariables: route.stageVariables,
            cors: route.cors.map {
                CORSConfiguration(
                    allowOrigins: $0.allowOrigins, allowMethods: $0.allowMethods, allowHeaders: $0.allowHeaders,
                    exposeHeaders: $0.exposeHeaders, maxAge: $0.maxAge, allowCredentials: $0.allowCredentials)
            },
            authorizer: route.authorizer.map {
                AuthorizerConfiguration(
                    name: $0.name, functionLogicalID: $0.functionLogicalID,
                    type: $0.type == .token ? .token : .request, identitySources: $0.identitySources,
                    payloadFormatVersion: $0.payloadFormatVersion, enableSimpleResponses: $0.enableSimpleResponses)
            },
            binaryMediaTypes: route.binaryMediaTypes)
    }

    static func routeTable(_ routes: [APIRoute], host: String, port: Int, scheme: String = "http") -> String {
        let rows =
            [["METHOD", "URL", "API", "FUNCTION"]]
            + routes.map { route in
                let api = route.kind == .rest ? "REST" : "HTTP \(route.payloadFormatVersion)"
                let path = route.path == "$default" ? "/* ($default)" : route.path
                return [route.method, "\(scheme)://\(host):\(port)\(path)", api, route.functionLogicalID]
            }
        return ProjectListing.table(rows)
    }

    static func printBanner(_ title: String, table: String) {
        FileHandle.standardError.write(Data("\(title)\n\n\(table)\n".utf8))
    }
}

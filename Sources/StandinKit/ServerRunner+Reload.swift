import Foundation
import ServiceLifecycle

/// Hot reload: what a server does when a watched file changes.
extension ServerRunner {
    /// The file watcher as a service: a change to a template file reloads the project (and, through
    /// `reloadTemplate`, the server's routes); a change under a function's code or layer folder retires that
    /// function's instances. A project that fails to load keeps the previous one, with the reason printed.
    static func watchService(
        functions: LocalFunctions, options: CommonOptions, broker: IdentityBroker,
        reloadTemplate: @escaping @Sendable (Session) async -> Void
    ) async -> ClosureService {
        let session = await functions.session
        let templates = Set(session.project.sourceFiles.map(\.path))
        var paths = session.project.sourceFiles
        for function in session.project.functions where function.isAvailable {
            paths.append(function.code.url)
            paths.append(contentsOf: function.layers.map(\.code.url))
        }
        let watcher = FileWatcher(paths: paths)
        return ClosureService(name: "watch") {
            await cancelWhenGracefulShutdown {
                await watcher.run { changed in
                    if let template = changed.first(where: templates.contains) {
                        await reloadProject(
                            changedTemplate: template, functions: functions, options: options, broker: broker,
                            reloadTemplate: reloadTemplate)
                        return
                    }
                    var reloaded: Set<String> = []
                    for path in changed { reloaded.formUnion(await functions.codeChanged(at: path)) }
                    if !reloaded.isEmpty { printNote("reloaded \(reloaded.sorted().joined(separator: ", "))") }
                }
            }
        }
    }

    private static func reloadProject(
        changedTemplate template: String, functions: LocalFunctions, options: CommonOptions, broker: IdentityBroker,
        reloadTemplate: @Sendable (Session) async -> Void
    ) async {
        do {
            let reloaded = try Session.open(options, region: broker.region)
            await functions.replaceSession(reloaded)
            printNote("reloaded \(URL(fileURLWithPath: template).lastPathComponent)")
            await reloadTemplate(reloaded)
        } catch {
            printNote("\(error) (keeping the previous template)")
        }
    }
}

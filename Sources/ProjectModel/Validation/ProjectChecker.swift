import Foundation

/// The checks `ProjectValidator` runs on a loaded project, located through the parsed template.
struct ProjectChecker {
    let project: Project
    let template: ProjectLoader.ParsedTemplate
    let options: ProjectLoadOptions

    var root: TemplateNode { template.root }
    var isSAM: Bool { template.format == .sam }

    func check() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for function in project.functions {
            diagnostics += checkFunction(function)
        }
        diagnostics += checkRoutes()
        return diagnostics
    }

    // MARK: - Locating fields

    /// Function settings the checks point at.
    enum Field {
        case runtime, handler, code, timeout, memorySize, role

        var samKey: String {
            switch self {
            case .runtime: return "Runtime"
            case .handler: return "Handler"
            case .code: return "CodeUri"
            case .timeout: return "Timeout"
            case .memorySize: return "MemorySize"
            case .role: return "Role"
            }
        }

        var serverlessKey: String {
            switch self {
            case .runtime: return "runtime"
            case .handler, .code: return "handler"
            case .timeout: return "timeout"
            case .memorySize: return "memorySize"
            case .role: return "role"
            }
        }
    }

    /// The node that sets `field` for `function`: its own property, else Globals / provider.
    func node(_ field: Field, of function: FunctionSpec) -> TemplateNode? {
        if isSAM {
            let root = project.stackTemplates[function.stackPath] ?? self.root
            let properties = root["Resources"]?[function.logicalID]?["Properties"]
            var key = field.samKey
            if field == .code, function.resourceType == "AWS::Lambda::Function" { key = "Code" }
            if let node = properties?[key] { return node }
            if field == .code, let handler = properties?["Handler"] { return handler }
            if function.resourceType == "AWS::Serverless::Function", let node = root["Globals"]?["Function"]?[key] {
                return node
            }
            return nil
        }
        let functionNode = root["functions"]?[function.logicalID]
        if field == .code, let artifact = functionNode?["package"]?["artifact"] { return artifact }
        if field == .role {
            return functionNode?["role"] ?? root["provider"]?["iam"]?["role"] ?? root["provider"]?["role"]
        }
        return functionNode?[field.serverlessKey] ?? root["provider"]?[field.serverlessKey]
    }

    /// A diagnostic at the node that sets `field`, or at the function when nothing sets it.
    func diagnostic(
        _ severity: Diagnostic.Severity,
        _ field: Field,
        of function: FunctionSpec,
        _ message: String
    ) -> Diagnostic {
        if let node = node(field, of: function) {
            return Diagnostic(severity, at: node.location, path: node.path, message: message)
        }
        let path = isSAM ? "Resources.\(function.logicalID)" : "functions.\(function.logicalID)"
        return Diagnostic(severity, at: function.location, path: path, message: message)
    }

    // MARK: - Functions

    func checkFunction(_ function: FunctionSpec) -> [Diagnostic] {
        var diagnostics = function.problems.map(Diagnostic.init)
        guard function.packageType == "Zip", let runtime = function.runtime else { return diagnostics }
        let runtimeFinding = checkRuntime(runtime, function)
        if let runtimeFinding { diagnostics.append(runtimeFinding) }
        if !(1...900).contains(function.timeout) {
            diagnostics.append(
                diagnostic(
                    .error,
                    .timeout,
                    of: function,
                    "Timeout must be between 1 and 900 seconds, not \(function.timeout)"
                )
            )
        }
        if !(128...10240).contains(function.memorySize) {
            diagnostics.append(
                diagnostic(
                    .error,
                    .memorySize,
                    of: function,
                    "MemorySize must be between 128 and 10240 MB, not \(function.memorySize)"
                )
            )
        }
        if function.isAvailable {
            diagnostics += checkHandler(function, runtime: runtime)
        }
        if let roleFinding = checkRole(function) { diagnostics.append(roleFinding) }
        return diagnostics
    }

    /// Runtimes AWS Lambda has deprecated are warnings (the loader reports those standin cannot run).
    func checkRuntime(_ runtime: String, _ function: FunctionSpec) -> Diagnostic? {
        guard LambdaRuntimes.isDeprecated(runtime) else { return nil }
        return diagnostic(.warning, .runtime, of: function, "\(runtime) is deprecated in AWS Lambda; move to a newer runtime")
    }

    /// The role warning: a role whose name only the deployed stack knows.
    func checkRole(_ function: FunctionSpec) -> Diagnostic? {
        switch function.role {
        case .implicitSAMRole(let logicalID):
            return diagnostic(
                .warning,
                .role,
                of: function,
                "\(logicalID) has no Role, so SAM creates \(logicalID)Role when deploying; it needs --stack-name or"
                    + " --role to run under its role"
            )
        case .templateRole(let logicalID, nil):
            return diagnostic(
                .warning,
                .role,
                of: function,
                "role \(logicalID) has no RoleName, so CloudFormation names it; \(function.logicalID) needs"
                    + " --stack-name or --role to run under its role"
            )
        default:
            return nil
        }
    }

    // MARK: - Handlers

    /// The handler's file and function exist (python, nodejs), or a `bootstrap` does (provided).
    func checkHandler(_ function: FunctionSpec, runtime: String) -> [Diagnostic] {
        guard let handler = function.handler else { return [] }
        guard let code = CodeTree(function.code) else { return [] }
        let layers = function.layers.compactMap { CodeTree($0.code) }
        let shownCode = ProjectLoader.displayPath(function.code.url, workingDirectory: options.workingDirectory)
        if runtime == "go1.x" {
            if code.isExecutable(handler) || code.exists("go.mod") { return [] }
            return [
                diagnostic(
                    .error, .handler, of: function,
                    "no executable \(handler) in \(shownCode) (go1.x runs the executable the handler names; build it,"
                        + " or keep the go.mod there and standin builds it)")
            ]
        }
        if runtime.hasPrefix("java") { return [] }  // classes may sit in any jar of lib/: the JVM finds them
        if runtime.hasPrefix("provided") {
            if code.exists("go.mod") || function.buildMethod != nil { return [] }  // standin builds it
            let candidates = [code] + layers
            if let tree = candidates.first(where: { $0.exists("bootstrap") }) {
                if tree.isExecutable("bootstrap") { return [] }
                return [
                    diagnostic(
                        .error,
                        .code,
                        of: function,
                        "bootstrap in \(tree.shown(options.workingDirectory)) is not executable (chmod +x bootstrap)"
                    )
                ]
            }
            return [
                diagnostic(
                    .error,
                    .code,
                    of: function,
                    "no bootstrap in \(shownCode) or its layers (a provided runtime starts the executable bootstrap)"
                )
            ]
        }
        guard let dot = handler.lastIndex(of: "."), dot != handler.startIndex,
            handler.index(after: dot) != handler.endIndex
        else {
            return [diagnostic(.error, .handler, of: function, "handler \"\(handler)\" must be file.function")]
        }
        let module = String(handler[..<dot])
        let name = String(handler[handler.index(after: dot)...])
        if runtime.hasPrefix("python") {
            let modulePath = module.replacingOccurrences(of: ".", with: "/")
            let candidates =
                [(code, "")] + layers.map { ($0, "python/") }
            for (tree, prefix) in candidates {
                for file in ["\(modulePath).py", "\(modulePath)/__init__.py"] where tree.exists(prefix + file) {
                    let text = tree.text(prefix + file) ?? ""
                    if Self.pythonDefines(name, in: text) { return [] }
                    return [
                        diagnostic(
                            .error,
                            .handler,
                            of: function,
                            "\(file) has no function \(name) (expected def \(name)(event, context))"
                        )
                    ]
                }
            }
            return [
                diagnostic(.error, .handler, of: function, "handler \(handler): no \(modulePath).py in \(shownCode)")
            ]
        }
        if runtime.hasPrefix("ruby") {
            let file = "\(handler.prefix { $0 != "." }).rb"
            guard code.exists(file) else {
                return [diagnostic(.error, .handler, of: function, "handler \(handler): no \(file) in \(shownCode)")]
            }
            // `file.method`, or `file.Module::Class.method` (a class method).
            let method = name.split(separator: ".").last.map(String.init) ?? name
            if Self.matches(["^\\s*def\\s+(self\\.)?\(NSRegularExpression.escapedPattern(for: method))\\b"], code.text(file) ?? "") {
                return []
            }
            return [diagnostic(.error, .handler, of: function, "\(file) defines no method \(method)")]
        }
        if runtime.hasPrefix("nodejs") {
            for fileExtension in ["js", "mjs", "cjs"] where code.exists("\(module).\(fileExtension)") {
                let file = "\(module).\(fileExtension)"
                if Self.nodeExports(name, in: code.text(file) ?? "") { return [] }
                return [
                    diagnostic(
                        .error,
                        .handler,
                        of: function,
                        "\(file) does not export \(name) (expected exports.\(name) = ... or export const \(name))"
                    )
                ]
            }
            return [
                diagnostic(
                    .error,
                    .handler,
                    of: function,
                    "handler \(handler): no \(module).js, \(module).mjs or \(module).cjs in \(shownCode)"
                )
            ]
        }
        return []
    }

    /// `def name(`, `async def name(`, `name =`, or an import of `name`.
    static func pythonDefines(_ name: String, in text: String) -> Bool {
        let escaped = NSRegularExpression.escapedPattern(for: name)
        return matches(
            [
                "^\\s*(async\\s+)?def\\s+\(escaped)\\s*\\(",
                "^\\s*\(escaped)\\s*(:[^=]*)?=",
                "^\\s*(from\\s+\\S+\\s+)?import\\s+.*\\b\(escaped)\\b",
            ],
            text
        )
    }

    /// `exports.name`, `module.exports = {... name`, `export const|let|var|function|async function name`,
    /// `export { name }`.
    static func nodeExports(_ name: String, in text: String) -> Bool {
        let escaped = NSRegularExpression.escapedPattern(for: name)
        return matches(
            [
                "exports\\.\(escaped)\\b",
                "exports\\[[\"']\(escaped)[\"']\\]",
                "module\\.exports\\s*=\\s*\\{[^}]*\\b\(escaped)\\b",
                "export\\s+(const|let|var|function\\*?|async\\s+function\\*?|class)\\s+\(escaped)\\b",
                "export\\s*\\{[^}]*\\b\(escaped)\\b",
            ],
            text
        )
    }

    static func matches(_ patterns: [String], _ text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else {
                continue
            }
            if regex.firstMatch(in: text, range: range) != nil { return true }
        }
        return false
    }

    // MARK: - Routes

    /// Methods, paths, and duplicate routes (same API, method and path: an error at the second).
    func checkRoutes() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var seen: [String: Route] = [:]
        for route in project.routes {
            let event = eventNode(route)
            func at(_ key: String) -> TemplateNode? {
                guard let event else { return nil }
                if isSAM { return event["Properties"]?[key] ?? event }
                return event[key.lowercased()] ?? event
            }
            func add(_ node: TemplateNode?, _ message: String) {
                if let node {
                    diagnostics.append(Diagnostic(.error, at: node.location, path: node.path, message: message))
                } else if let location = route.location {
                    diagnostics.append(Diagnostic(.error, at: location, path: nil, message: message))
                } else if let function = project.function(named: route.functionLogicalID) {
                    diagnostics.append(
                        Diagnostic(.error, at: function.location, path: function.logicalID, message: message)
                    )
                }
            }
            if !ProjectValidator.methods.contains(route.method) {
                add(
                    at("Method"),
                    "method \(route.method) is not one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY"
                )
            }
            if route.path != "$default", !route.path.hasPrefix("/") {
                add(at("Path"), "path \"\(route.path)\" must start with /")
            }
            let key = "\(route.apiLogicalID) \(route.routeKey)"
            if let first = seen[key] {
                add(
                    at("Path"),
                    "duplicate route \(route.routeKey) on \(route.apiLogicalID): \(first.functionLogicalID)"
                        + (first.eventName.isEmpty ? "" : " (\(first.eventName))") + " has it already"
                )
            } else {
                seen[key] = route
            }
        }
        return diagnostics
    }

    /// The event that made a route: SAM `Events.<name>`; serverless the value of `events[<index>]`.
    func eventNode(_ route: Route) -> TemplateNode? {
        if isSAM {
            guard !route.eventName.isEmpty, let function = project.function(named: route.functionLogicalID) else {
                return nil
            }
            let root = project.stackTemplates[function.stackPath] ?? self.root
            return root["Resources"]?[function.logicalID]?["Properties"]?["Events"]?[route.eventName]
        }
        guard let open = route.eventName.lastIndex(of: "["), route.eventName.hasSuffix("]"),
            let index = Int(route.eventName[route.eventName.index(after: open)...].dropLast()),
            let elements = root["functions"]?[route.functionLogicalID]?["events"]?.elements,
            elements.indices.contains(index)
        else { return nil }
        return elements[index].entries?.first?.value
    }
}

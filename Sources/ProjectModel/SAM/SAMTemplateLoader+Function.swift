import Foundation

/// What loading one function found besides the function itself: its `Api` / `HttpApi` events (for routes) and the
/// findings that do not stop it (a parameter without a value, an event that cannot become a route).
struct LoadedFunction {
    var spec: FunctionSpec
    var eventEntries: [TemplateEntry] = []
    var notes: [Diagnostic] = []
}

/// Collects one function's problems while it loads, so that one bad property neither hides the others nor stops
/// the rest of the template: a property that cannot be read gets its default, and the function is unavailable.
struct FunctionProblems {
    var errors: [ProjectError] = []
    var notes: [Diagnostic] = []

    /// `read()`, or `fallback` when it fails. A parameter without a value is only a warning unless the property is
    /// `required` to run the function (its code, handler, runtime).
    mutating func value<T>(_ fallback: T, required: Bool = false, _ read: () throws(ProjectError) -> T) -> T {
        do {
            return try read()
        } catch {
            if error.kind == .parameterWithoutValue, !required {
                notes.append(Diagnostic(.warning, error, suffix: "; using the default"))
            } else {
                errors.append(error)
            }
            return fallback
        }
    }
}

extension SAMTemplateLoader {
    /// Loads a function resource. Only a resource whose `Properties` cannot be read at all throws; every other
    /// problem is recorded in the spec's `problems`, and the function is kept, unavailable.
    func function(_ resource: TemplateResource) throws(ProjectError) -> LoadedFunction {
        let isSAM = resource.type == "AWS::Serverless::Function"
        let props = try properties(of: resource, globalsSection: "Function")
        var problems = FunctionProblems()
        var packageType = problems.value("Zip") { () throws(ProjectError) in try string(props["PackageType"]) ?? "Zip" }
        if packageType != "Zip" && packageType != "Image" {
            problems.errors.append(error(.invalidValue, props["PackageType"] ?? props, "PackageType must be Zip or Image"))
            packageType = "Zip"
        }
        var runtime: String?
        var handler: String?
        var imageURI: String?
        var code = CodeLocation.directory(templateDirectory)
        if packageType == "Image" {
            imageURI = problems.value(nil) { () throws(ProjectError) in
                try string(isSAM ? props["ImageUri"] : props["Code"]?["ImageUri"])
            }
        } else {
            for key in ["Handler", "Runtime"] where props[key] == nil {
                problems.errors.append(
                    ProjectError(
                        .missingProperty,
                        at: props.location,
                        path: TemplateNode.join(props.path, key),
                        message: "missing \(key) (required for a Zip function)"
                    )
                )
            }
            handler = problems.value(nil, required: true) { () throws(ProjectError) in try string(props["Handler"]) }
            runtime = problems.value(nil, required: true) { () throws(ProjectError) in try string(props["Runtime"]) }
            if let runtime, let node = props["Runtime"], !LambdaRuntimes.isSupported(runtime) {
                problems.errors.append(error(.unsupported, node, LambdaRuntimes.unsupportedMessage(runtime)))
            }
            let (handlerNow, runtimeNow) = (handler, runtime)
            code = problems.value(code, required: true) { () throws(ProjectError) in
                if let asset = try cdkAsset(resource, property: isSAM ? "CodeUri" : "Code") { return asset }
                return try isSAM
                    ? samCode(props, resource: resource, handler: handlerNow, runtime: runtimeNow)
                    : lambdaCode(props, resource: resource, handler: handlerNow, runtime: runtimeNow)
            }
        }
        var layers: [LayerSpec] = []
        var remoteLayers: [String] = []
        problems.value(()) { () throws(ProjectError) in try readLayers(props["Layers"], into: &layers, remote: &remoteLayers) }
        var events: [EventSpec] = []
        var eventEntries: [TemplateEntry] = []
        if isSAM, let eventsNode = props["Events"], !eventsNode.isNull {
            if let entries = eventsNode.entries {
                for entry in entries {
                    let event = problems.value(nil) { () throws(ProjectError) -> EventSpec? in try self.event(entry) }
                    guard let event else { continue }
                    events.append(event)
                    eventEntries.append(entry)
                }
            } else {
                problems.errors.append(error(.invalidValue, eventsNode, "Events must be a map"))
            }
        }
        var spec = FunctionSpec(
            logicalID: resource.logicalID,
            functionName: problems.value(nil) { () throws(ProjectError) in try string(props["FunctionName"]) },
            runtime: runtime,
            handler: handler,
            code: code,
            timeout: problems.value(3) { () throws(ProjectError) in try integer(props["Timeout"]) ?? 3 },
            memorySize: problems.value(128) { () throws(ProjectError) in try integer(props["MemorySize"]) ?? 128 },
            environment: environment(props["Environment"], problems: &problems),
            role: problems.value(nil) { () throws(ProjectError) in
                try role(props["Role"], resource: resource, isSAM: isSAM, properties: props)
            },
            policies: problems.value(nil) { () throws(ProjectError) in
                try props["Policies"].flatMap { node throws(ProjectError) in try resolver.resolve(node) }
            },
            events: events,
            layers: layers,
            remoteLayers: remoteLayers,
            architectures: problems.value(["x86_64"]) { () throws(ProjectError) in
                try stringList(props["Architectures"]) ?? ["x86_64"]
            },
            functionURL: problems.value(nil) { () throws(ProjectError) in
                try props["FunctionUrlConfig"].flatMap { node throws(ProjectError) in try resolver.resolve(node) }
            },
            packageType: packageType,
            imageURI: imageURI,
            resourceType: resource.type,
            location: resource.node.location
        )
        spec.stackPath = stackPath
        spec.cdkPath = Self.cdkPath(resource)
        spec.buildMethod = resource.node["Metadata"]?["BuildMethod"]?.scalarText
        spec.problems = problems.errors
        return LoadedFunction(spec: spec, eventEntries: eventEntries, notes: problems.notes)
    }

    /// One entry of `Events`, with its properties resolved.
    func event(_ entry: TemplateEntry) throws(ProjectError) -> EventSpec {
        guard entry.value.entries != nil, let typeNode = entry.value["Type"] else {
            throw error(.missingProperty, entry.value, "an event needs a Type")
        }
        guard let type = try string(typeNode) else {
            throw error(.invalidValue, typeNode, "Type must be a string")
        }
        let properties =
            try entry.value["Properties"].flatMap { node throws(ProjectError) in try resolver.resolve(node) }
            ?? .object([:])
        return EventSpec(name: entry.key, type: type, properties: properties)
    }

    /// The function spec of a function resource that cannot be read at all: unavailable, with `problem` as reason.
    func unreadableFunction(_ resource: TemplateResource, _ problem: ProjectError) -> FunctionSpec {
        var spec = FunctionSpec(
            logicalID: resource.logicalID,
            runtime: nil,
            handler: nil,
            code: .directory(templateDirectory),
            resourceType: resource.type,
            location: resource.node.location
        )
        spec.stackPath = stackPath
        spec.cdkPath = Self.cdkPath(resource)
        spec.problems = [problem]
        return spec
    }

    // MARK: - CDK assets

    /// The CDK construct path of a resource (`Metadata.aws:cdk:path`), without its last `/Resource`.
    static func cdkPath(_ resource: TemplateResource) -> String? {
        guard let path = resource.node["Metadata"]?["aws:cdk:path"]?.scalarText else { return nil }
        return path.hasSuffix("/Resource") ? String(path.dropLast("/Resource".count)) : path
    }

    /// The local asset CDK (and `sam build` of CDK apps) records for a property whose deployed value is on S3:
    /// `Metadata.aws:asset:path`, relative to the template's folder (`cdk.out`), when `aws:asset:property` names
    /// `property`; nil when the resource has none.
    func cdkAsset(_ resource: TemplateResource, property: String) throws(ProjectError) -> CodeLocation? {
        guard let metadata = resource.node["Metadata"],
            let pathNode = metadata["aws:asset:path"], let path = pathNode.scalarText,
            metadata["aws:asset:property"]?.scalarText == property
        else { return nil }
        return try localCode(path, node: pathNode)
    }

    // MARK: - Environment

    /// `Environment.Variables` with every value stringified (numbers and bools as written / "true" / "false"). A
    /// variable whose value needs a parameter without a value is empty, as SAM leaves it, with a warning.
    func environment(_ node: TemplateNode?, problems: inout FunctionProblems) -> [String: String] {
        guard let node, !node.isNull else { return [:] }
        var result: [String: String] = [:]
        if node.intrinsic == nil, let variables = node["Variables"], variables.intrinsic == nil {
            if variables.isNull { return [:] }
            guard let entries = variables.entries else {
                problems.errors.append(error(.invalidValue, variables, "Variables must be a map"))
                return [:]
            }
            for entry in entries {
                do {
                    if let value = try resolver.stringified(entry.value) { result[entry.key] = value }
                } catch where error.kind == .parameterWithoutValue {
                    result[entry.key] = ""
                    problems.notes.append(Diagnostic(.warning, error, suffix: "; \(entry.key) is empty"))
                } catch {
                    problems.errors.append(error)
                }
            }
            return result
        }
        return problems.value([:]) { () throws(ProjectError) in try resolvedEnvironment(node) }
    }

    /// `Environment` written as an intrinsic function (or with `Variables` as one), resolved as a whole.
    func resolvedEnvironment(_ node: TemplateNode) throws(ProjectError) -> [String: String] {
        var result: [String: String] = [:]
        guard let value = try resolver.resolve(node) else { return [:] }
        guard case .object(let members) = value else { throw error(.invalidValue, node, "Environment must be a map") }
        guard let variables = members["Variables"] else { return [:] }
        guard case .object(let variableMembers) = variables else {
            throw error(.invalidValue, node, "Environment.Variables must be a map")
        }
        for (key, member) in variableMembers {
            guard let text = member.scalarString else {
                throw error(.invalidValue, node, "Environment.Variables.\(key) must be a string")
            }
            result[key] = text
        }
        return result
    }

    // MARK: - Role

    /// The function's role, as a `RoleReference` (see CONTRACTS.md).
    func role(
        _ node: TemplateNode?,
        resource: TemplateResource,
        isSAM: Bool,
        properties: TemplateNode
    )
        throws(ProjectError) -> RoleReference?
    {
        // A plain AWS::Lambda::Function without Role cannot deploy, but runs locally: with no role to assume.
        let missing: () -> RoleReference? = { isSAM ? .implicitSAMRole(logicalID: resource.logicalID) : nil }
        guard let node, !node.isNull else { return missing() }
        if let target = try referenceTarget(node) {
            guard target.type == "AWS::IAM::Role" else {
                throw error(
                    .invalidValue,
                    node,
                    "Role refers to \(target.logicalID), which is a \(target.type), not an AWS::IAM::Role"
                )
            }
            if target.isImplicit { return .implicitSAMRole(logicalID: String(target.logicalID.dropLast(4))) }
            return .templateRole(logicalID: target.logicalID, roleName: try resolver.nameProperty(target, "RoleName"))
        }
        guard let value = try resolver.string(node) else { return missing() }
        guard value.hasPrefix("arn:") else { return .name(value) }
        // A Sub that builds the ARN of a role of this template still names that role.
        for candidate in resources where candidate.type == "AWS::IAM::Role" && !candidate.isImplicit {
            let arn = try resolver.getAtt(candidate.logicalID, "Arn", at: node)
            if arn == value {
                return .templateRole(
                    logicalID: candidate.logicalID,
                    roleName: try resolver.nameProperty(candidate, "RoleName")
                )
            }
        }
        return .arn(value)
    }

    // MARK: - Layers

    func readLayers(_ node: TemplateNode?, into layers: inout [LayerSpec], remote: inout [String]) throws(ProjectError)
    {
        guard let node, !node.isNull else { return }
        guard let elements = node.elements else {
            for arn in try stringList(node) ?? [] { remote.append(arn) }
            return
        }
        for element in elements {
            if let target = try referenceTarget(element) {
                guard Self.layerTypes.contains(target.type) else {
                    throw error(
                        .invalidValue,
                        element,
                        "Layers entry refers to \(target.logicalID), which is a \(target.type), not a layer version"
                    )
                }
                layers.append(LayerSpec(logicalID: target.logicalID, code: try layerCode(target)))
            } else if let arn = try resolver.string(element) {
                remote.append(arn)
            }
        }
    }

    func layerCode(_ resource: TemplateResource) throws(ProjectError) -> CodeLocation {
        let props = try properties(of: resource, globalsSection: nil)
        let key = resource.type == "AWS::Serverless::LayerVersion" ? "ContentUri" : "Content"
        guard let content = props[key] else {
            throw ProjectError(
                .missingProperty,
                at: props.location,
                path: TemplateNode.join(props.path, key),
                message: "missing \(key)"
            )
        }
        if content.entries != nil, content.intrinsic == nil {
            throw error(
                .unsupported,
                content,
                "\(key) points at S3, not at local files; use a local folder or zip (for example after sam build)"
            )
        }
        guard let path = try resolver.string(content) else { throw error(.invalidValue, content, "\(key) is empty") }
        return try localCode(path, node: content)
    }

    // MARK: - Code

    /// `AWS::Serverless::Function`: `InlineCode`, or `CodeUri` (a local folder or zip; default: the template folder).
    func samCode(
        _ props: TemplateNode,
        resource: TemplateResource,
        handler: String?,
        runtime: String?
    )
        throws(ProjectError) -> CodeLocation
    {
        if let inline = props["InlineCode"] {
            guard let source = try resolver.string(inline) else {
                throw error(.invalidValue, inline, "InlineCode is empty")
            }
            return try inlineCode(
                source,
                logicalID: resource.logicalID,
                handler: handler,
                runtime: runtime,
                node: inline
            )
        }
        guard let codeURI = props["CodeUri"] else { return .directory(templateDirectory) }
        if codeURI.entries != nil, codeURI.intrinsic == nil {
            throw error(
                .unsupported,
                codeURI,
                "CodeUri {Bucket, Key} points at S3, not at local code; give a local folder or zip (or run sam build)"
            )
        }
        guard let path = try resolver.string(codeURI) else { return .directory(templateDirectory) }
        return try localCode(path, node: codeURI)
    }

    /// `AWS::Lambda::Function`: `Code` as a local path, or `Code.ZipFile` (inline); S3 code is an error.
    func lambdaCode(
        _ props: TemplateNode,
        resource: TemplateResource,
        handler: String?,
        runtime: String?
    )
        throws(ProjectError) -> CodeLocation
    {
        guard let code = props["Code"] else {
            throw ProjectError(
                .missingProperty,
                at: props.location,
                path: TemplateNode.join(props.path, "Code"),
                message: "missing Code"
            )
        }
        if code.entries != nil, code.intrinsic == nil {
            if let zipFile = code["ZipFile"] {
                guard let source = try resolver.string(zipFile) else {
                    throw error(.invalidValue, zipFile, "ZipFile is empty")
                }
                return try inlineCode(
                    source,
                    logicalID: resource.logicalID,
                    handler: handler,
                    runtime: runtime,
                    node: zipFile
                )
            }
            throw error(
                .unsupported,
                code,
                "Code points at S3 (S3Bucket/S3Key), not at local code; give a local folder or zip"
            )
        }
        guard let path = try resolver.string(code) else { throw error(.invalidValue, code, "Code is empty") }
        return try localCode(path, node: code)
    }

    /// A folder or zip path, relative to the template's folder.
    func localCode(_ path: String, node: TemplateNode) throws(ProjectError) -> CodeLocation {
        if path.hasPrefix("s3://") || path.hasPrefix("https://") {
            throw error(.unsupported, node, "\(path) is not local code; give a local folder or zip (or run sam build)")
        }
        let url = ProjectLoader.resolvePath(path, relativeTo: templateDirectory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw error(.invalidValue, node, "no such file or folder: \(url.path)")
        }
        if isDirectory.boolValue { return .directory(url) }
        let fileExtension = url.pathExtension.lowercased()
        guard fileExtension == "zip" || fileExtension == "jar" else {
            throw error(
                .invalidValue,
                node,
                "\(url.path) is a file but not a .zip or .jar; give a folder or an archive"
            )
        }
        return .zipFile(url)
    }

    /// Writes inline code where the runtime will find it (`index.py` / `index.js` by the handler's module name).
    func inlineCode(
        _ source: String,
        logicalID: String,
        handler: String?,
        runtime: String?,
        node: TemplateNode
    )
        throws(ProjectError) -> CodeLocation
    {
        let base =
            options.cacheDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "standin-cache-" + CodeArchive.hashString(Data(templateURL.path.utf8))
            )
        let directory = base.appendingPathComponent("inline").appendingPathComponent(logicalID)
        var module = "index"
        if let handler, let dot = handler.lastIndex(of: ".") { module = String(handler[..<dot]) }
        var fileExtension = ""
        if let runtime {
            if runtime.hasPrefix("python") { fileExtension = ".py" }
            if runtime.hasPrefix("nodejs") { fileExtension = ".js" }
        }
        let fileURL = directory.appendingPathComponent(module + fileExtension)
        let data = Data(source.utf8)
        do {
            if (try? Data(contentsOf: fileURL)) != data {
                try FileManager.default.createDirectory(
                    at: fileURL.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try data.write(to: fileURL, options: .atomic)
            }
        } catch {
            throw self.error(.codeArchive, node, "cannot write the inline code to \(fileURL.path): \(error)")
        }
        return .directory(directory)
    }
}

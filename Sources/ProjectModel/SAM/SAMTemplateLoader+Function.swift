import Foundation

extension SAMTemplateLoader {
    /// Builds a function spec; also returns the raw `Events` entries (for routes).
    func function(_ resource: TemplateResource) throws(ProjectError) -> (FunctionSpec, [TemplateEntry]) {
        let isSAM = resource.type == "AWS::Serverless::Function"
        let props = try properties(of: resource, globalsSection: "Function")
        let packageType = try string(props["PackageType"]) ?? "Zip"
        guard packageType == "Zip" || packageType == "Image" else {
            throw error(.invalidValue, props["PackageType"] ?? props, "PackageType must be Zip or Image")
        }
        var runtime = try string(props["Runtime"])
        var handler = try string(props["Handler"])
        var imageURI: String?
        let code: CodeLocation
        if packageType == "Image" {
            runtime = nil
            handler = nil
            imageURI = try string(isSAM ? props["ImageUri"] : props["Code"]?["ImageUri"])
            code = .directory(templateDirectory)
        } else {
            for key in ["Handler", "Runtime"] where props[key] == nil {
                throw ProjectError(
                    .missingProperty,
                    at: props.location,
                    path: TemplateNode.join(props.path, key),
                    message: "missing \(key) (required for a Zip function)"
                )
            }
            code =
                try isSAM
                ? samCode(props, resource: resource, handler: handler, runtime: runtime)
                : lambdaCode(props, resource: resource, handler: handler, runtime: runtime)
        }
        let timeout = try integer(props["Timeout"]) ?? 3
        let memorySize = try integer(props["MemorySize"]) ?? 128
        var layers: [LayerSpec] = []
        var remoteLayers: [String] = []
        try readLayers(props["Layers"], into: &layers, remote: &remoteLayers)
        var events: [EventSpec] = []
        var eventEntries: [TemplateEntry] = []
        if isSAM, let eventsNode = props["Events"], !eventsNode.isNull {
            guard let entries = eventsNode.entries else {
                throw error(.invalidValue, eventsNode, "Events must be a map")
            }
            for entry in entries {
                guard entry.value.entries != nil, let typeNode = entry.value["Type"] else {
                    throw error(.missingProperty, entry.value, "an event needs a Type")
                }
                guard let type = try string(typeNode) else {
                    throw error(.invalidValue, typeNode, "Type must be a string")
                }
                let properties =
                    try entry.value["Properties"].flatMap { node throws(ProjectError) in
                        try resolver.resolve(node)
                    } ?? .object([:])
                events.append(EventSpec(name: entry.key, type: type, properties: properties))
                eventEntries.append(entry)
            }
        }
        let spec = FunctionSpec(
            logicalID: resource.logicalID,
            functionName: try string(props["FunctionName"]),
            runtime: runtime,
            handler: handler,
            code: code,
            timeout: timeout,
            memorySize: memorySize,
            environment: try environment(props["Environment"]),
            role: try role(props["Role"], resource: resource, isSAM: isSAM, properties: props),
            policies: try props["Policies"].flatMap { node throws(ProjectError) in try resolver.resolve(node) },
            events: events,
            layers: layers,
            remoteLayers: remoteLayers,
            architectures: try stringList(props["Architectures"]) ?? ["x86_64"],
            functionURL: try props["FunctionUrlConfig"].flatMap { node throws(ProjectError) in
                try resolver.resolve(node)
            },
            packageType: packageType,
            imageURI: imageURI,
            resourceType: resource.type,
            location: resource.node.location
        )
        return (spec, eventEntries)
    }

    // MARK: - Environment

    /// `Environment.Variables` with every value stringified (numbers and bools as written / "true" / "false").
    func environment(_ node: TemplateNode?) throws(ProjectError) -> [String: String] {
        guard let node, !node.isNull else { return [:] }
        var result: [String: String] = [:]
        if node.intrinsic == nil, let variables = node["Variables"], variables.intrinsic == nil {
            if variables.isNull { return [:] }
            guard let entries = variables.entries else {
                throw error(.invalidValue, variables, "Variables must be a map")
            }
            for entry in entries {
                if let value = try resolver.stringified(entry.value) { result[entry.key] = value }
            }
            return result
        }
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
        let missing: () throws(ProjectError) -> RoleReference? = { () throws(ProjectError) in
            if isSAM { return .implicitSAMRole(logicalID: resource.logicalID) }
            throw ProjectError(
                .missingProperty,
                at: properties.location,
                path: TemplateNode.join(properties.path, "Role"),
                message: "missing Role (required for AWS::Lambda::Function)"
            )
        }
        guard let node, !node.isNull else { return try missing() }
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
        guard let value = try resolver.string(node) else { return try missing() }
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

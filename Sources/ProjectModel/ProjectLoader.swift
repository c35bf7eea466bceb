import Foundation

/// Finds and loads a project: a SAM / CloudFormation template (YAML or JSON), or a Serverless Framework serverless.yml.
public enum ProjectLoader {
    /// File names looked for, in order, when no template path is given: a SAM template wins over a serverless.yml in
    /// the same folder.
    public static let templateNames = [
        "template.yaml", "template.yml", "template.json", "serverless.yml", "serverless.yaml",
    ]

    /// Loads the project described by `options`.
    ///
    /// SAM / CloudFormation: intrinsic functions are resolved with the parameters (overrides, then defaults) and
    /// pseudo-parameters. Values that only exist once deployed get local stand-ins: `Ref` of a function, role, table,
    /// bucket, topic or layer gives its name property (else the logical id; queues give a queue URL, topics and layers
    /// an ARN); `Fn::GetAtt X.Arn` builds the ARN from region, account and that name; other attributes give
    /// `"<LogicalId>.<Attribute>"`; `Fn::ImportValue name` gives the placeholder string `ImportValue:name`.
    /// Only what functions and routes use is resolved, so `Outputs` and other resources cannot cause errors.
    ///
    /// serverless.yml: variables (`${self:...}`, `${opt:stage}`, `${env:X}`, `${file(...)}`...) are resolved with
    /// `options.stage` (default `dev`), `options.environment` and the region (`provider.region`, else
    /// `options.region`); functions are named `<service>-<stage>-<key>` and keep their key as logical id. When both a
    /// SAM template and a serverless.yml are in the folder, the SAM template is used (see `templateNames`).
    ///
    /// A template is loaded as far as it can be: a function that cannot run (code on S3 or not built yet, no handler,
    /// a runtime standin does not run, a bad value) is kept, unavailable, with its `problems`; a route, API or nested
    /// stack that cannot be read is left out, and that and every warning is in `Project.notes`.
    /// - Throws: `ProjectError` naming the file, line, column and field, only when the template as a whole cannot be
    ///   read (not found, not YAML/JSON, no `Resources`, a malformed section).
    public static func load(_ options: ProjectLoadOptions) throws(ProjectError) -> Project {
        try load(try read(options), options: options)
    }

    /// A template file, read and parsed, and its format.
    struct ParsedTemplate {
        var url: URL
        var file: String
        var root: TemplateNode
        var format: ProjectFormat
    }

    /// Finds, reads and parses the template.
    static func read(_ options: ProjectLoadOptions) throws(ProjectError) -> ParsedTemplate {
        let templateURL = try findTemplate(options)
        let (file, root) = try parseFile(templateURL, workingDirectory: options.workingDirectory, what: "template")
        return ParsedTemplate(url: templateURL, file: file, root: root, format: detectFormat(templateURL, root: root))
    }

    /// Reads and parses a YAML or JSON file (a template, a nested stack's template, an OpenAPI definition).
    /// - Returns: the file as diagnostics show it, and its parsed root.
    static func parseFile(
        _ url: URL,
        workingDirectory: URL,
        what: String
    ) throws(ProjectError) -> (file: String, root: TemplateNode) {
        let file = displayPath(url, workingDirectory: workingDirectory)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ProjectError(
                .templateNotFound,
                file: file,
                message: "cannot read the \(what): \(error.localizedDescription)"
            )
        }
        if let (line, column) = SourceLocation.firstInvalidUTF8(in: data) {
            throw ProjectError(
                .syntax, file: file, line: line, column: column,
                message: "the \(what) is not UTF-8 text: an invalid byte here")
        }
        return (file, try TemplateParser.parse(String(decoding: data, as: UTF8.self), file: file))
    }

    /// Loads a parsed template.
    static func load(_ template: ParsedTemplate, options: ProjectLoadOptions) throws(ProjectError) -> Project {
        switch template.format {
        case .sam:
            let loader = try SAMTemplateLoader(
                root: template.root,
                templateURL: template.url,
                file: template.file,
                options: options
            )
            return try loader.project()
        case .serverless:
            let loader = try ServerlessLoader(
                root: template.root,
                templateURL: template.url,
                file: template.file,
                options: options
            )
            return try loader.project()
        }
    }

    /// The template a command would read (without loading it): `templatePath` (a file, or a folder to look in),
    /// `.aws-sam/build/template.yaml` when preferred, the first standard name, or a CDK app's synthesized stack.
    /// - Throws: `ProjectError` (`.templateNotFound`) naming where it looked.
    public static func templateURL(_ options: ProjectLoadOptions) throws(ProjectError) -> URL {
        try findTemplate(options)
    }

    /// The template's URL: `templatePath` (a file, or a folder to look in) or the first standard name that exists.
    static func findTemplate(_ options: ProjectLoadOptions) throws(ProjectError) -> URL {
        let workingDirectory = options.workingDirectory.standardizedFileURL
        var folder = workingDirectory
        if let templatePath = options.templatePath {
            let url = resolvePath(templatePath, relativeTo: workingDirectory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw ProjectError(
                    .templateNotFound,
                    file: displayPath(url, workingDirectory: workingDirectory),
                    message: "no such template file"
                )
            }
            guard isDirectory.boolValue else { return url }
            folder = url
        }
        if options.templatePath == nil, options.preferBuiltTemplate {
            let built = folder.appendingPathComponent(".aws-sam/build/template.yaml")
            if FileManager.default.fileExists(atPath: built.path) { return built }
        }
        for name in templateNames {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        if let template = try cdkTemplate(in: folder, workingDirectory: workingDirectory) { return template }
        let shown = displayPath(folder, workingDirectory: workingDirectory)
        throw ProjectError(
            .templateNotFound,
            file: shown == "" ? "." : shown,
            message: "no template found (looked for \(templateNames.joined(separator: ", ")))"
        )
    }

    /// A CDK app's synthesized stack template: the one stack of `cdk.out/manifest.json` (or of `manifest.json` when
    /// `folder` is the cloud assembly itself); nil when the folder holds no cloud assembly.
    /// - Throws: `ProjectError` listing the templates when the assembly has several stacks.
    static func cdkTemplate(in folder: URL, workingDirectory: URL) throws(ProjectError) -> URL? {
        let manager = FileManager.default
        var assembly = folder.appendingPathComponent("cdk.out")
        if !manager.fileExists(atPath: assembly.appendingPathComponent("manifest.json").path) {
            guard manager.fileExists(atPath: folder.appendingPathComponent("manifest.json").path) else { return nil }
            assembly = folder
        }
        var files: [String] = []
        if let data = manager.contents(atPath: assembly.appendingPathComponent("manifest.json").path),
            let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let artifacts = manifest["artifacts"] as? [String: Any]
        {
            for (_, value) in artifacts {
                guard let artifact = value as? [String: Any], artifact["type"] as? String == "aws:cloudformation:stack",
                    let file = (artifact["properties"] as? [String: Any])?["templateFile"] as? String
                else { continue }
                files.append(file)
            }
        }
        if files.isEmpty {
            let names = (try? manager.contentsOfDirectory(atPath: assembly.path)) ?? []
            files = names.filter { $0.hasSuffix(".template.json") && !$0.hasSuffix(".nested.template.json") }
        }
        files.sort()
        guard let first = files.first else { return nil }
        guard files.count == 1 else {
            let shown = files.map { displayPath(assembly.appendingPathComponent($0), workingDirectory: workingDirectory) }
            throw ProjectError(
                .templateNotFound,
                file: displayPath(assembly, workingDirectory: workingDirectory),
                message: "the CDK app has \(files.count) stacks; name one with -t: \(shown.joined(separator: ", "))"
            )
        }
        return assembly.appendingPathComponent(first)
    }

    /// serverless.yml when the file is named so or has `service` and `provider`; SAM/CloudFormation otherwise.
    static func detectFormat(_ url: URL, root: TemplateNode) -> ProjectFormat {
        let name = url.lastPathComponent.lowercased()
        if name.hasPrefix("serverless.") { return .serverless }
        if root["service"] != nil, root["provider"] != nil, root["Resources"] == nil { return .serverless }
        return .sam
    }

    /// `path` as an absolute file URL: as it is when absolute, else below `base`.
    static func resolvePath(_ path: String, relativeTo base: URL) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        return base.appendingPathComponent(path).standardizedFileURL
    }

    /// `url`'s path relative to the working directory when it is below it, else the absolute path.
    static func displayPath(_ url: URL, workingDirectory: URL) -> String {
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        let base = workingDirectory.standardizedFileURL.resolvingSymlinksInPath().path
        if path == base { return "." }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        return url.standardizedFileURL.path
    }
}

import AWSAuth
import Foundation
import ProjectModel

/// What `standin package` (and `deploy`, before it creates a change set) is asked to do.
public struct PackageOptions: Sendable {
    /// The bucket artifacts go to.
    public var bucket: String
    /// A key prefix (`--s3-prefix`), without the trailing `/`.
    public var prefix: String?
    /// SSE-KMS key for the objects (`--kms-key-id`); SSE-S3 otherwise.
    public var kmsKeyID: String?
    /// Upload even when an object of the same content exists (`--force-upload`).
    public var forceUpload = false

    /// Creates options for `bucket`.
    public init(bucket: String, prefix: String? = nil, kmsKeyID: String? = nil, forceUpload: Bool = false) {
        self.bucket = bucket
        self.prefix = prefix.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }.flatMap { $0.isEmpty ? nil : $0 }
        self.kmsKeyID = kmsKeyID
        self.forceUpload = forceUpload
    }
}

/// Uploads a template's local artifacts to S3 and writes the template that points at them
/// (`sam package`, https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-package.html).
///
/// Each artifact is named by the MD5 of what is uploaded (a folder's deterministic zip, a file's bytes), so an
/// unchanged artifact keeps its name; an object that exists already is not uploaded again. Nested stacks' templates
/// are packaged first and uploaded as packaged.
public actor Packager {
    let s3: S3Client
    let options: PackageOptions
    let workingDirectory: URL
    /// What each local path (absolute, with the packaging it got) became, so a folder two functions share is zipped
    /// and uploaded once.
    private var uploads: [String: UploadedArtifact] = [:]
    /// How many objects were uploaded and how many were already there.
    public private(set) var uploadedCount = 0
    public private(set) var skippedCount = 0

    /// Creates a packager that uploads through `s3`; paths in messages are shown relative to `workingDirectory`.
    public init(s3: S3Client, options: PackageOptions, workingDirectory: URL) {
        self.s3 = s3
        self.options = options
        self.workingDirectory = workingDirectory
    }

    /// Uploads the artifacts of `template` and returns its packaged text.
    /// - Throws: `StandinError`: a malformed template or a missing artifact (located), an S3 failure.
    public func package(template: URL) async throws(StandinError) -> String {
        try await package(template: template, chain: [])
    }

    /// Uploads the artifacts of a template already read (`deploy` reads it first) and returns its packaged text.
    func package(_ plan: PackagingPlan) async throws(StandinError) -> String {
        try await package(plan, chain: [])
    }

    private func package(template: URL, chain: [String]) async throws(StandinError) -> String {
        let shown = display(template)
        guard !chain.contains(template.standardizedFileURL.path) else {
            throw .usage("\(shown): the nested stacks refer to each other in a loop (\(chain.joined(separator: " → ")))")
        }
        let plan: PackagingPlan
        do {
            plan = try PackagingPlan(file: template, shownAs: shown)
        } catch {
            throw .usage(error.description)
        }
        return try await package(plan, chain: chain)
    }

    private func package(_ plan: PackagingPlan, chain: [String]) async throws(StandinError) -> String {
        let template = plan.file
        // Every path is checked before anything is uploaded, so a typo does not leave half a package in the bucket.
        for artifact in plan.artifacts { _ = try localFile(artifact, from: plan.baseDirectory) }
        var uploaded: [Int: UploadedArtifact] = [:]
        for (index, artifact) in plan.artifacts.enumerated() {
            uploaded[index] = try await upload(
                artifact, from: plan.baseDirectory, chain: chain + [template.standardizedFileURL.path])
        }
        do {
            return try plan.rewritten(uploaded)
        } catch {
            throw .usage(error.description)
        }
    }

    /// Uploads one artifact (zipping a folder, packaging a nested template) unless it was already.
    private func upload(_ artifact: PackageableArtifact, from base: URL, chain: [String]) async throws(StandinError)
        -> UploadedArtifact
    {
        let (url, isDirectory) = try localFile(artifact, from: base)
        let rule = artifact.rule
        let cacheKey = "\(url.path)|\(rule.forceZip)|\(rule.isTemplate)"
        if let done = uploads[cacheKey] { return done }
        // Object names as `sam package` gives them: a template's MD5 with `.template`, a folder's content checksum,
        // a file's MD5.
        if rule.isTemplate, !isDirectory {
            let result = try await storeTemplate(try await package(template: url, chain: chain), describing: display(url))
            uploads[cacheKey] = result
            return result
        }
        let bytes: [UInt8]
        let name: String
        if isDirectory {
            guard !rule.isTemplate else {
                throw .usage("\(artifact.location): \(artifact.fieldPath): \(artifact.localPath) is a folder, not a template")
            }
            (bytes, name) = try DeterministicZip.zip(folder: url, worldReadable: rule.forceZip)
        } else {
            let data: [UInt8]
            do {
                data = Array(try Data(contentsOf: url))
            } catch {
                throw .usage("\(artifact.location): \(artifact.fieldPath): cannot read \(display(url)): \(error.localizedDescription)")
            }
            if rule.forceZip, !data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
                // One source file as Lambda code: a zip holding just that file.
                (bytes, name) = try DeterministicZip.zip(files: [(url.lastPathComponent, url)], worldReadable: true)
            } else {
                bytes = data
                name = DeterministicZip.md5(bytes) + (rule.form == .httpsURL ? ".template" : "")
            }
        }
        let result = try await store(bytes, name: name, describing: display(url))
        uploads[cacheKey] = result
        return result
    }

    /// Puts `bytes` as `name` (below the prefix) unless that object exists already, and says where it is.
    func store(_ bytes: [UInt8], name: String, describing source: String) async throws(StandinError)
        -> UploadedArtifact
    {
        let key = options.prefix.map { $0 + "/" + name } ?? name
        try await put(bytes, key: key, describing: source)
        return UploadedArtifact(
            bucket: options.bucket, key: key, url: s3.objectURL(bucket: options.bucket, key: key).absoluteString)
    }

    /// Uploads a template's text as `<MD5>.template`, the name `sam package` gives a template.
    func storeTemplate(_ text: String, describing source: String) async throws(StandinError) -> UploadedArtifact {
        let bytes = Array(text.utf8)
        return try await store(bytes, name: DeterministicZip.md5(bytes) + ".template", describing: source)
    }

    /// The artifact's file or folder, and whether it is a folder.
    /// - Throws: `StandinError.usage` at the template's line when it does not exist.
    nonisolated func localFile(_ artifact: PackageableArtifact, from base: URL) throws(StandinError)
        -> (url: URL, isDirectory: Bool)
    {
        let url = URL(fileURLWithPath: artifact.localPath, relativeTo: base).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .usage(
                "\(artifact.location): \(artifact.fieldPath): \(artifact.localPath) does not exist (looked for "
                    + "\(display(url)))")
        }
        return (url, isDirectory.boolValue)
    }

    /// Puts `bytes` at `key` unless an object is there already (its name is its content's hash).
    func put(_ bytes: [UInt8], key: String, describing source: String) async throws(StandinError) {
        let target = "s3://\(options.bucket)/\(key)"
        do {
            if !options.forceUpload, try await s3.objectExists(bucket: options.bucket, key: key) {
                skippedCount += 1
                printNote("\(source): \(target) exists with the same content, not uploaded again")
                return
            }
            printNote("\(source): uploading to \(target) (\(Self.size(bytes.count)))")
            try await s3.putObject(
                bucket: options.bucket, key: key, data: bytes,
                encryption: options.kmsKeyID.map { .kms(keyID: $0) } ?? .aes256)
            uploadedCount += 1
        } catch let error as AWSServiceError {
            throw .credentials("uploading \(source) to \(target): \(error)")
        } catch {
            throw .failure("uploading \(source) to \(target): \(error)")
        }
    }

    /// `1.2 MB`, `840 B`.
    static func size(_ count: Int) -> String {
        count < 1024 ? "\(count) B"
            : count < 1024 * 1024 ? String(format: "%.1f KB", Double(count) / 1024)
            : String(format: "%.1f MB", Double(count) / 1024 / 1024)
    }

    /// A path relative to the working directory when it is below it.
    nonisolated func display(_ url: URL) -> String {
        displayPath(url.standardizedFileURL.path, relativeTo: workingDirectory)
    }
}

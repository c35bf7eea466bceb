import Foundation
import ProjectModel
import TestSupport
import Testing

struct CodeArchiveTests {
    /// Zips `files` (relative path -> (text, executable)) with /usr/bin/zip, keeping modes.
    static func makeZip(in directory: URL, name: String, files: [String: (String, Bool)]) throws -> URL {
        let source = directory.appendingPathComponent("zip-source-\(UUID().uuidString.prefix(6))")
        for (path, (text, executable)) in files {
            try writeFile(source, path, text, executable: executable)
        }
        let zip = directory.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: zip)
        let result = try runProcess("/usr/bin/zip", ["-q", "-r", zip.path, "."], currentDirectory: source)
        guard result.status == 0 else { throw TestSupportError("zip failed: \(result.stderrText)") }
        return zip
    }

    static func isExecutable(_ url: URL) throws -> Bool {
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int ?? 0
        return mode & 0o111 != 0
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zip")))
    func extractsKeepingTheExecutableBit() throws {
        let directory = try makeTemporaryDirectory("codearchive")
        let zip = try Self.makeZip(
            in: directory,
            name: "function.zip",
            files: ["bootstrap": ("#!/bin/sh\necho hi\n", true), "lib/data.txt": ("data", false)]
        )
        let cache = directory.appendingPathComponent("cache")
        let extracted = try CodeArchive.extract(zip, cacheDirectory: cache)
        #expect(extracted.deletingLastPathComponent().standardizedFileURL.path == cache.standardizedFileURL.path)
        #expect(try Self.isExecutable(extracted.appendingPathComponent("bootstrap")))
        #expect(try !Self.isExecutable(extracted.appendingPathComponent("lib/data.txt")))
        #expect(try String(contentsOf: extracted.appendingPathComponent("lib/data.txt"), encoding: .utf8) == "data")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zip")))
    func reExtractsOnlyWhenTheZipChanges() throws {
        let directory = try makeTemporaryDirectory("codearchive")
        let cache = directory.appendingPathComponent("cache")
        let zip = try Self.makeZip(in: directory, name: "f.zip", files: ["app.py": ("v1", false)])
        let first = try CodeArchive.extract(zip, cacheDirectory: cache)
        // A marker written into the extracted folder survives a second extract of the same zip.
        try writeFile(first, "marker", "kept")
        let second = try CodeArchive.extract(zip, cacheDirectory: cache)
        #expect(second.path == first.path)
        #expect(FileManager.default.fileExists(atPath: second.appendingPathComponent("marker").path))

        _ = try Self.makeZip(in: directory, name: "f.zip", files: ["app.py": ("version 2", false)])
        let third = try CodeArchive.extract(zip, cacheDirectory: cache)
        #expect(third.path != first.path)
        #expect(try String(contentsOf: third.appendingPathComponent("app.py"), encoding: .utf8) == "version 2")
    }

    @Test func aFileThatIsNotAZipIsAnError() throws {
        let directory = try makeTemporaryDirectory("codearchive")
        let bogus = try writeFile(directory, "bogus.zip", "not a zip")
        #expect(throws: ProjectError.self) {
            try CodeArchive.extract(bogus, cacheDirectory: directory.appendingPathComponent("cache"))
        }
        #expect(throws: ProjectError.self) {
            try CodeArchive.extract(directory.appendingPathComponent("missing.zip"), cacheDirectory: directory)
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zip")))
    func zipCodeAndLayersFromTheTemplate() throws {
        let template =
            samHeader + """
                Parameters:
                  SharedLayer:
                    Type: String
                    Default: arn:aws:lambda:us-east-1:123456789012:layer:shared:7
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: bootstrap
                      Runtime: provided.al2023
                      CodeUri: build/function.zip
                      Layers:
                        - !Ref FolderLayer
                        - !Ref ZipLayer
                        - arn:aws:lambda:us-east-1:123456789012:layer:remote:3
                        - !Ref SharedLayer
                  FolderLayer:
                    Type: AWS::Serverless::LayerVersion
                    Properties:
                      ContentUri: layers/python
                  ZipLayer:
                    Type: AWS::Lambda::LayerVersion
                    Properties:
                      Content: build/layer.zip
                  S3Layer:
                    Type: AWS::Serverless::LayerVersion
                    Properties:
                      ContentUri: {Bucket: b, Key: k}

                """
        let workspace = try Workspace(template, files: ["layers/python/lib/x.py": "X = 1\n"])
        let build = workspace.directory.appendingPathComponent("build")
        try FileManager.default.createDirectory(at: build, withIntermediateDirectories: true)
        let functionZip = try Self.makeZip(
            in: build,
            name: "function.zip",
            files: ["bootstrap": ("#!/bin/sh\nexit 0\n", true)]
        )
        let layerZip = try Self.makeZip(in: build, name: "layer.zip", files: ["bin/tool": ("#!/bin/sh\n", true)])

        let function = try #require(try workspace.load().functions.first)
        #expect(function.code == .zipFile(functionZip.standardizedFileURL))
        #expect(
            function.layers == [
                LayerSpec(
                    logicalID: "FolderLayer",
                    code: .directory(workspace.directory.appendingPathComponent("layers/python").standardizedFileURL)
                ),
                LayerSpec(logicalID: "ZipLayer", code: .zipFile(layerZip.standardizedFileURL)),
            ]
        )
        #expect(
            function.remoteLayers == [
                "arn:aws:lambda:us-east-1:123456789012:layer:remote:3",
                "arn:aws:lambda:us-east-1:123456789012:layer:shared:7",
            ]
        )
        let extracted = try CodeArchive.extract(
            functionZip,
            cacheDirectory: workspace.directory.appendingPathComponent(".cache")
        )
        #expect(try Self.isExecutable(extracted.appendingPathComponent("bootstrap")))
    }

    @Test func aLayerOnS3IsAnErrorWhenAFunctionUsesIt() throws {
        let template =
            oneFunction("      Layers: [!Ref S3Layer]\n")
            + "  S3Layer:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n"
            + "      ContentUri: {Bucket: b, Key: k}\n"
        let error = try #require(try Workspace(template).loadError())
        #expect(error.description.hasPrefix("template.yaml:12:19: Resources.S3Layer.Properties.ContentUri: ContentUri"))
        #expect(error.kind == .unsupported)
    }
}

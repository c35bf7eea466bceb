import Foundation
import ProjectModel
import TestSupport

/// A temporary project folder holding a template (and any code folders), loaded with `ProjectLoader`.
struct Workspace {
    let directory: URL

    /// Writes `template` as `name` plus `files` (relative path -> text); creates `src/` for `CodeUri: src`.
    init(_ template: String, name: String = "template.yaml", files: [String: String] = [:]) throws {
        directory = try makeTemporaryDirectory("projectmodel")
        try writeFile(directory, name, template)
        try writeFile(directory, "src/app.py", "def handler(event, context):\n    return event\n")
        for (path, text) in files { try writeFile(directory, path, text) }
    }

    /// Loads the project with these options.
    func load(
        overrides: [String: String] = [:],
        region: String = "us-east-1",
        regionOption: String? = nil,
        templatePath: String? = nil
    ) throws(ProjectError) -> Project {
        var options = ProjectLoadOptions(
            workingDirectory: directory,
            templatePath: templatePath,
            parameterOverrides: overrides,
            region: region,
            cacheDirectory: directory.appendingPathComponent(".cache")
        )
        options.regionOption = regionOption
        return try ProjectLoader.load(options)
    }

    /// The error loading gives, or nil when it loads.
    func loadError(overrides: [String: String] = [:]) -> ProjectError? {
        do {
            _ = try load(overrides: overrides)
            return nil
        } catch {
            return error
        }
    }
}

/// A template header and one SAM function with code in `src`, for tests that add to it.
let samHeader = """
    AWSTemplateFormatVersion: '2010-09-09'
    Transform: AWS::Serverless-2016-10-31

    """

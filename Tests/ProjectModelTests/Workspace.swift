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

    /// The error loading reports, or nil when everything loads: the error thrown for a template that cannot be read
    /// at all, else the first function's reason for being unavailable, else the first error note (a route, API or
    /// nested stack left out).
    func loadError(overrides: [String: String] = [:]) -> ProjectError? {
        let project: Project
        do {
            project = try load(overrides: overrides)
        } catch {
            return error
        }
        if let reason = project.functions.lazy.compactMap(\.unavailableReason).first { return reason }
        return project.notes.first { $0.severity == .error }.map { note in
            ProjectError(
                note.kind ?? .invalidValue, file: note.file, line: note.line, column: note.column, path: note.path,
                message: note.message)
        }
    }
}

/// A template header and one SAM function with code in `src`, for tests that add to it.
let samHeader = """
    AWSTemplateFormatVersion: '2010-09-09'
    Transform: AWS::Serverless-2016-10-31

    """

import Foundation
import ProjectModel
import TestSupport
import Testing

struct ProjectFormatTests {
    @Test func serverlessProjectsAreLoaded() throws {
        let workspace = try Workspace(
            "service: app\nprovider:\n  name: aws\n  runtime: python3.12\n"
                + "functions:\n  fn:\n    handler: src/app.handler\n",
            name: "serverless.yml"
        )
        let project = try workspace.load()
        #expect(project.format == .serverless)
        #expect(project.functions.map(\.functionName) == ["app-dev-fn"])
    }

    @Test func templateYAMLWinsOverOtherNames() throws {
        let workspace = try Workspace(
            oneFunction(""),
            files: ["template.json": "{\"Resources\": {}}", "serverless.yml": "service: x\n"]
        )
        let project = try workspace.load()
        #expect(project.templateURL.lastPathComponent == "template.yaml")
        #expect(project.functions.count == 1)
    }

    @Test func builtTemplateIsUsedOnlyWhenAskedFor() throws {
        let built = oneFunction("").replacingOccurrences(of: "CodeUri: src", with: "CodeUri: Fn")
        let workspace = try Workspace(
            oneFunction(""),
            files: [".aws-sam/build/template.yaml": built, ".aws-sam/build/Fn/app.py": "x = 1\n"]
        )
        #expect(try workspace.load().templateURL.lastPathComponent == "template.yaml")
        #expect(try workspace.load().functions[0].code == .directory(workspace.directory.appendingPathComponent("src")))
        var options = ProjectLoadOptions(workingDirectory: workspace.directory)
        options.preferBuiltTemplate = true
        let project = try ProjectLoader.load(options)
        #expect(project.functions[0].location.file == ".aws-sam/build/template.yaml")
        #expect(project.functions[0].code.url.path.hasSuffix(".aws-sam/build/Fn"))
    }
}

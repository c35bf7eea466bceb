import ProjectModel
import Testing

struct ProjectFormatTests {
    @Test func serverlessProjectsAreRecognisedButNotYetLoaded() throws {
        let workspace = try Workspace("service: app\nprovider:\n  name: aws\n", name: "serverless.yml")
        let error = try #require(workspace.loadError())
        #expect(error.kind == .unsupported)
        #expect(error.description.hasPrefix("serverless.yml:1:1: serverless.yml projects are not supported yet"))
    }

    @Test func templateYAMLWinsOverOtherNames() throws {
        let workspace = try Workspace(
            oneFunction(""), files: ["template.json": "{\"Resources\": {}}", "serverless.yml": "service: x\n"])
        let project = try workspace.load()
        #expect(project.templateURL.lastPathComponent == "template.yaml")
        #expect(project.functions.count == 1)
    }
}

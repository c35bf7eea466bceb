import Foundation
import ProjectModel
import TestSupport
import Testing

/// The template `sam init` writes for the Python hello-world starter.
struct SAMInitTemplateTests {
    @Test func loads() throws {
        let directory = TestPaths.fixture("ProjectModelTests", "sam-init")
        let project = try ProjectLoader.load(ProjectLoadOptions(workingDirectory: directory))
        let function = try #require(project.function(named: "HelloWorldFunction"))
        #expect(function.runtime == "python3.13")
        #expect(function.handler == "app.lambda_handler")
        #expect(function.code.url.standardizedFileURL.path == directory.appendingPathComponent("hello_world").path)
        #expect(function.role == .implicitSAMRole(logicalID: "HelloWorldFunction"))
        #expect(project.routes.map(\.routeKey) == ["GET /hello"])
        #expect(project.routes.first?.stageName == "Prod")
        #expect(project.routes.first?.cors == nil)
    }
}

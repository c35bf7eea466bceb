import Foundation
import ProjectModel
import Testing

/// `PackagingPlan`: which values `package` uploads, and the template written back around them.
struct PackagingPlanTests {
    static let file = URL(fileURLWithPath: "/project/template.yaml")

    static func plan(_ text: String, file: URL = file) throws -> PackagingPlan {
        try PackagingPlan(text: text, file: file, shownAs: file.lastPathComponent)
    }

    /// Every artifact uploaded as `key-<index>` in bucket `art`.
    static func uploadAll(_ plan: PackagingPlan) -> [Int: UploadedArtifact] {
        var uploaded: [Int: UploadedArtifact] = [:]
        for index in plan.artifacts.indices {
            uploaded[index] = UploadedArtifact(
                bucket: "art", key: "key-\(index)", url: "https://s3.us-east-1.amazonaws.com/art/key-\(index)")
        }
        return uploaded
    }

    @Test("YAML: values replaced in place, comments, tags and quoting around them kept; a missing CodeUri added")
    func yamlRewrite() throws {
        let text = """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Stage: {Type: String, Default: dev}
            Resources:
              # the API
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: !Ref Stage
                  DefinitionUri: "api/openapi.yaml"   # kept comment
              Hello:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Runtime: python3.12
              Flow:
                Type: AWS::Serverless::Function
                Properties: {Handler: app.handler, CodeUri: 'flow dir/'}
              Remote:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: s3://elsewhere/code.zip
              Inline:
                Type: AWS::Serverless::Function
                Properties:
                  InlineCode: "def handler(e, c): return e"
              Image:
                Type: AWS::Serverless::Function
                Properties:
                  PackageType: Image
              Nested:
                Type: AWS::CloudFormation::Stack
                Properties:
                  TemplateURL: nested/child.yaml
            """
        let plan = try Self.plan(text)
        #expect(plan.declaresTransform)
        #expect(plan.parameterNames == ["Stage"])
        #expect(plan.parameterDefaults == ["Stage": "dev"])
        #expect(plan.artifacts.map(\.fieldPath) == [
            "Resources.Api.Properties.DefinitionUri", "Resources.Hello.Properties.CodeUri",
            "Resources.Flow.Properties.CodeUri", "Resources.Nested.Properties.TemplateURL",
        ])
        #expect(plan.artifacts.map(\.localPath) == ["api/openapi.yaml", ".", "flow dir/", "nested/child.yaml"])

        let written = try plan.rewritten(Self.uploadAll(plan))
        #expect(written.contains("      DefinitionUri: s3://art/key-0   # kept comment"))
        #expect(written.contains("      CodeUri: s3://art/key-1\n      Handler: app.handler"), "\(written)")
        #expect(written.contains("Properties: {Handler: app.handler, CodeUri: s3://art/key-2}"))
        #expect(written.contains("TemplateURL: https://s3.us-east-1.amazonaws.com/art/key-3"))
        #expect(written.contains("StageName: !Ref Stage"))
        #expect(written.contains("  # the API\n"))
        #expect(written.contains("CodeUri: s3://elsewhere/code.zip"))
        // What was written is a template whose artifacts are all remote now.
        #expect(try Self.plan(written).artifacts.isEmpty)
    }

    @Test("JSON: Lambda's Code becomes {S3Bucket, S3Key}, also where it was missing, and the result is JSON")
    func jsonRewrite() throws {
        let text = """
            {
              "Resources": {
                "Worker": {"Type": "AWS::Lambda::Function", "Properties": {"Code": "src", "Handler": "w.handler"}},
                "Bare": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "b.handler"}},
                "Zipped": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ZipFile": "x = 1"}}},
                "Layer": {"Type": "AWS::Lambda::LayerVersion", "Properties": {"Content": "layer"}}
              }
            }
            """
        let plan = try Self.plan(text, file: URL(fileURLWithPath: "/project/template.json"))
        #expect(!plan.declaresTransform)
        #expect(plan.artifacts.map(\.resourceID) == ["Worker", "Bare", "Layer"])
        let written = try plan.rewritten(Self.uploadAll(plan))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: Any])
        let resources = try #require(object["Resources"] as? [String: [String: Any]])
        func properties(_ name: String) -> [String: Any] { resources[name]?["Properties"] as? [String: Any] ?? [:] }
        #expect(properties("Worker")["Code"] as? [String: String] == ["S3Bucket": "art", "S3Key": "key-0"])
        #expect(properties("Bare")["Code"] as? [String: String] == ["S3Bucket": "art", "S3Key": "key-1"])
        #expect(properties("Bare")["Handler"] as? String == "b.handler")
        #expect(properties("Zipped")["Code"] as? [String: String] == ["ZipFile": "x = 1"])
        #expect(properties("Layer")["Content"] as? [String: String] == ["S3Bucket": "art", "S3Key": "key-2"])
    }

    @Test("Globals' CodeUri is packaged once, there, and functions without their own are left alone")
    func globalCodeUri() throws {
        let plan = try Self.plan("""
            Globals:
              Function:
                CodeUri: src/
            Resources:
              A:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: a.handler
              B:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: b.handler
                  CodeUri: b/
            """)
        #expect(plan.artifacts.map(\.fieldPath) == ["Globals.Function.CodeUri", "Resources.B.Properties.CodeUri"])
        let written = try plan.rewritten(Self.uploadAll(plan))
        #expect(written.contains("    CodeUri: s3://art/key-0\n"))
        #expect(written.contains("      CodeUri: s3://art/key-1\n") || written.hasSuffix("      CodeUri: s3://art/key-1"))
    }

    @Test("AWS::Include locations anywhere in the template are packaged")
    func includes() throws {
        let plan = try Self.plan("""
            Resources:
              Api:
                Type: AWS::Serverless::HttpApi
                Properties:
                  DefinitionBody:
                    Fn::Transform:
                      Name: AWS::Include
                      Parameters:
                        Location: ./openapi.yaml
            """)
        #expect(plan.artifacts.map(\.fieldPath) == ["Fn::Transform AWS::Include Location"])
        #expect(try plan.rewritten(Self.uploadAll(plan)).contains("Location: s3://art/key-0"))
    }

    @Test("a path that cannot be replaced in place is refused with its line and field")
    func multiLinePathIsLocated() throws {
        let plan = try Self.plan("""
            Resources:
              Hello:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: >-
                    src
                  Handler: app.handler
            """)
        #expect(plan.artifacts.map(\.localPath) == ["src"])
        do {
            _ = try plan.rewritten(Self.uploadAll(plan))
            Issue.record("a folded path was rewritten")
        } catch {
            #expect(error.description.contains("template.yaml:5:"), "\(error.description)")
            #expect(error.description.contains("Resources.Hello.Properties.CodeUri"), "\(error.description)")
        }
    }
}

import Foundation
import ProjectModel
import Testing
import TestSupport

/// Templates written the way AWS's tools and real teams write them (the end-to-end fixtures): what the loader reads
/// from each, route by route and function by function.
struct RealTemplateTests {
    static func load(_ fixture: String, template: String? = nil, overrides: [String: String] = [:]) throws -> Project {
        var options = ProjectLoadOptions(
            workingDirectory: TestPaths.fixture("EndToEndTests", fixture), templatePath: template,
            parameterOverrides: overrides, cacheDirectory: try makeTemporaryDirectory("real-templates"))
        options.preferBuiltTemplate = true
        return try ProjectLoader.load(options)
    }

    /// "METHOD path kind version function stage vars authorizer" per route, sorted, for whole-table comparisons.
    static func table(_ project: Project) -> [String] {
        project.routes.map { route in
            let variables = route.stageVariables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return "\(route.method) \(route.path) \(route.kind) \(route.payloadFormatVersion) \(route.functionLogicalID)"
                + " \(route.apiLogicalID) \(route.stageName) [\(variables.joined(separator: ","))]"
                + " \(route.authorizer.map { "\($0.name):\($0.type.rawValue):\($0.functionLogicalID)" } ?? "-")"
        }.sorted()
    }

    @Test func oneBrokenFunctionDoesNotBlockTheRest() throws {
        let project = try Self.load("partial-app", overrides: ["TableName": "orders"])
        let byID = Dictionary(uniqueKeysWithValues: project.functions.map { ($0.id, $0) })
        #expect(project.functions.filter(\.isAvailable).map(\.id) == ["GoodFunction", "OtherGoodFunction", "NoRoleLambda"])
        let reasons = project.functions.compactMap { function in
            function.unavailableReason.map { "\(function.id): \($0.kind) \($0.line ?? 0) \($0.path ?? "")" }
        }
        #expect(
            reasons == [
                "S3UriFunction: unsupported 57 Resources.S3UriFunction.Properties.CodeUri",
                "S3MapFunction: unsupported 69 Resources.S3MapFunction.Properties.CodeUri",
                "UnbuiltFunction: invalidValue 76 Resources.UnbuiltFunction.Properties.CodeUri",
                "NoCodeLambda: missingProperty 82 Resources.NoCodeLambda.Properties.Code",
            ])
        #expect(byID["S3UriFunction"]?.unavailableReason?.message.contains("s3://my-bucket/code.zip") == true)
        // A plain AWS::Lambda::Function without Role runs (with no role to assume).
        #expect(byID["NoRoleLambda"]?.role == nil)
        #expect(byID["GoodFunction"]?.environment["APP_TABLE"] == "orders")
        // The broken function's route is still there: the gateway answers it with API Gateway's error.
        #expect(Self.table(project).contains("GET /s3 REST 1.0 S3UriFunction ServerlessRestApi Prod [] -"))
        #expect(project.notes.isEmpty)
    }

    @Test func aParameterWithoutValueIsAWarningWhereItIsUsed() throws {
        let project = try Self.load("partial-app")
        let good = try #require(project.function(named: "GoodFunction"))
        #expect(good.isAvailable)
        #expect(good.environment["APP_TABLE"] == "")
        #expect(
            project.notes.map(\.description) == [
                "template.yaml:34:22: warning: Resources.GoodFunction.Properties.Environment.Variables.APP_TABLE:"
                    + " parameter TableName (declared at 9:5) has no value: give it a Default or pass"
                    + " --parameter-overrides TableName=VALUE; APP_TABLE is empty"
            ])
    }

    @Test func nestedStacksTwoLevelsDeep() throws {
        let project = try Self.load("nested-app")
        #expect(
            project.functions.map(\.id) == [
                "HelloFunction", "ChildApp/HelloFunction", "ChildApp/ChildOnlyFunction",
                "ChildApp/GrandchildStack/DeepFunction",
            ])
        // The parent's parameter reaches the child; the child's literal parameter reaches the grandchild.
        #expect(project.function(named: "ChildApp/HelloFunction")?.environment["APP_GREETING"] == "hello-from-parent")
        #expect(project.function(named: "DeepFunction")?.environment["APP_LEVEL"] == "two")
        // A logical id two stacks share names the top one; a unique one names its function wherever it is.
        #expect(project.function(named: "HelloFunction")?.id == "HelloFunction")
        #expect(project.function(named: "ChildOnlyFunction")?.id == "ChildApp/ChildOnlyFunction")
        #expect(project.function(named: "ChildApp/HelloFunction")?.code.url.path.hasSuffix("child/hello") == true)
        #expect(
            Self.table(project) == [
                "GET /child REST 1.0 ChildApp/ChildOnlyFunction ChildApp/ServerlessRestApi Prod [] -",
                "GET /deep HTTP 2.0 ChildApp/GrandchildStack/DeepFunction ChildApp/GrandchildStack/ServerlessHttpApi"
                    + " $default [] -",
                "GET /hello REST 1.0 HelloFunction ServerlessRestApi Prod [] -",
            ])
        #expect(project.sourceFiles.map(\.lastPathComponent) == ["template.yaml", "template.yaml", "template.yaml"])
        let overridden = try Self.load("nested-app", overrides: ["ParentGreeting": "hi"])
        #expect(overridden.function(named: "ChildApp/HelloFunction")?.environment["APP_GREETING"] == "hi")
    }

    @Test func openAPIDefinitionsInlineIncludedAndFromAFile() throws {
        let project = try Self.load("openapi-app")
        #expect(
            Self.table(project) == [
                "ANY /files/{proxy+} REST 1.0 FilesFunction InlineApi v1 [mode=inline] -",
                "GET /extra REST 1.0 ExtraFunction InlineApi v1 [mode=inline] -",
                "GET /health HTTP 1.0 HealthFunction FileHttpApi $default [flavor=file] -",
                "GET /items/{id} REST 1.0 ItemsFunction InlineApi v1 [mode=inline] TokenAuth:token:AuthFunction",
                "GET /orders/{orderId} HTTP 2.0 OrdersFunction FileHttpApi $default [flavor=file]"
                    + " OrdersAuthorizer:request:HttpAuthFunction",
                "GET /reports/{reportId} REST 1.0 ReportsFunction IncludedApi live [] -",
                "POST /orders HTTP 2.0 OrdersFunction FileHttpApi $default [flavor=file] -",
                "POST /reports REST 1.0 ReportsFunction IncludedApi live [] -",
            ])
        let items = try #require(project.routes.first { $0.path == "/items/{id}" })
        #expect(items.binaryMediaTypes == ["image/png"])
        #expect(items.authorizer?.identitySources == ["method.request.header.Authorization"])
        let orders = try #require(project.routes.first { $0.path == "/orders/{orderId}" })
        #expect(orders.cors?.allowOrigins == ["https://app.example.com"])
        #expect(orders.authorizer?.payloadFormatVersion == "2.0")
        #expect(orders.authorizer?.enableSimpleResponses == true)
        #expect(orders.location?.file == "openapi/http.yaml")
        #expect(project.sourceFiles.map(\.lastPathComponent).sorted() == ["http.yaml", "rest.yaml", "template.yaml"])
    }

    @Test func rawCloudFormationAPIsAsTheServerlessFrameworkWritesThem() throws {
        let project = try Self.load("raw-apigw-app")
        #expect(
            Self.table(project) == [
                "ANY $default HTTP 1.0 FallbackLambdaFunction HttpApi $default [color=blue] -",
                "ANY $default HTTP 2.0 OrdersLambdaFunction QuickApi $default [] -",
                "GET /orders/{id} HTTP 1.0 OrdersLambdaFunction HttpApi $default [color=blue]"
                    + " httpAuthorizer:request:HttpAuthorizerLambdaFunction",
                "GET /reports REST 1.0 AdminLambdaFunction AdminApi staging [tier=gold] -",
                "GET /users/{id} REST 1.0 UsersLambdaFunction ApiGatewayRestApi dev []"
                    + " authorizer:token:AuthorizerLambdaFunction",
                "POST /users REST 1.0 UsersLambdaFunction ApiGatewayRestApi dev [] -",
            ])
        #expect(project.functions.allSatisfy { $0.isAvailable })
        #expect(project.notes.isEmpty)
    }

    @Test func cdkOutputWithAssets() throws {
        // Pointed at the CDK app's folder, standin finds the synthesized template in cdk.out.
        let project = try Self.load("cdk-app")
        #expect(project.templateURL.lastPathComponent == "StandinCdkStack.template.json")
        #expect(project.functions.map(\.id) == ["HelloHandler2E4FBA4D", "ItemsHandlerFB09CCF4"])
        #expect(project.functions.allSatisfy { $0.isAvailable })
        let hello = try #require(project.function(named: "StandinCdkStack/HelloHandler"))
        #expect(hello.code.url.lastPathComponent.hasPrefix("asset.a29e9451"))
        #expect(project.function(named: "StandinCdkStack/HelloHandler/Resource")?.id == hello.id)
        #expect(project.function(named: "ItemsHandler")?.id == "ItemsHandlerFB09CCF4")
        #expect(
            Self.table(project) == [
                "ANY / REST 1.0 HelloHandler2E4FBA4D HelloApi3F989F66 prod [] -",
                "ANY /{proxy+} REST 1.0 HelloHandler2E4FBA4D HelloApi3F989F66 prod [] -",
                "GET /items/{id} HTTP 2.0 ItemsHandlerFB09CCF4 ItemsHttpApiE1D7F208 $default [] -",
            ])
    }

    @Test func theBuiltTemplateIsPreferredAndSaysSo() throws {
        let project = try Self.load("built-app")
        #expect(project.templateURL.path.hasSuffix(".aws-sam/build/template.yaml"))
        #expect(project.functions.first?.code.url.path.hasSuffix(".aws-sam/build/HelloFunction") == true)
        let source = try Self.load("built-app", template: "template.yaml")
        #expect(source.functions.first?.code.url.lastPathComponent == "hello_world")
    }

    @Test func aCloudAssemblyWithSeveralStacksAsksForOne() throws {
        let app = try makeTemporaryDirectory("cdk-two-stacks")
        let assembly = app.appendingPathComponent("cdk.out")
        try FileManager.default.copyItem(
            at: TestPaths.fixture("EndToEndTests", "cdk-app").appendingPathComponent("cdk.out"), to: assembly)
        let manifest = """
            {"version": "36.0.0", "artifacts": {
              "A": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "A.template.json"}},
              "B": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "B.template.json"}}}}
            """
        try writeFile(assembly, "manifest.json", manifest)
        #expect {
            _ = try ProjectLoader.load(ProjectLoadOptions(workingDirectory: app))
        } throws: { error in
            (error as? ProjectError)?.description
                == "cdk.out: the CDK app has 2 stacks; name one with -t: cdk.out/A.template.json, cdk.out/B.template.json"
        }
    }

    /// A nested stack that includes its parent, or one on S3, is left out with a located note; the rest loads.
    @Test func nestedStacksThatCannotBeLoadedAreNotes() throws {
        let template = """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: src, Handler: app.handler, Runtime: python3.12}
              Loop:
                Type: AWS::CloudFormation::Stack
                Properties: {TemplateURL: ./template.yaml}
              Remote:
                Type: AWS::Serverless::Application
                Properties:
                  Location: {ApplicationId: arn:aws:serverlessrepo:us-east-1:1:applications/x, SemanticVersion: 1.0.0}

            """
        let project = try Workspace(template).load()
        #expect(project.functions.map(\.id) == ["Fn"])
        #expect(
            project.notes.map(\.description) == [
                "template.yaml:7:5: error: Resources.Loop: template.yaml includes itself (a nested stack cycle)"
                    + " (the nested stack is not loaded)",
                "template.yaml:12:17: error: Resources.Remote.Properties.Location: the application is in the Serverless"
                    + " Application Repository (ApplicationId), not in a local file (the nested stack is not loaded)",
            ])
    }
}

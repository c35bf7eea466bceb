import Foundation
import ProjectModel
import TestSupport
import Testing

/// Validates a fixture folder.
func validateFixture(_ name: String) -> ValidationReport {
    ProjectValidator.validate(ProjectLoadOptions(workingDirectory: TestPaths.fixture("ProjectModelTests", name)))
}

struct ProjectValidatorTests {
    @Test func cleanTemplateHasNoDiagnostics() throws {
        let report = validateFixture("validate-clean")
        #expect(report.diagnostics.map(\.description) == [])
        #expect(!report.hasErrors)
        #expect(report.project?.functions.count == 4)
    }

    @Test func brokenTemplateReportsEveryFindingAtItsLine() throws {
        let report = validateFixture("validate-broken")
        #expect(report.hasErrors)
        #expect(report.project == nil)
        let found = report.diagnostics.map(\.description)
        let expected = [
            "template.yaml:7:16: error: Resources.Missing.Properties.Handler: app.py has no function nothere"
                + " (expected def nothere(event, context))",
            "template.yaml:8:16: warning: Resources.Missing.Properties.Runtime: python3.9 is deprecated in AWS Lambda;"
                + " move to a newer runtime",
            "template.yaml:10:16: error: Resources.Missing.Properties.Timeout: Timeout must be between 1 and 900"
                + " seconds, not 901",
            "template.yaml:11:19: error: Resources.Missing.Properties.MemorySize: MemorySize must be between 128 and"
                + " 10240 MB, not 64",
            "template.yaml:23:16: error: Resources.Java.Properties.Runtime: dotnet8 is not supported by standin (dotnet"
                + " functions cannot run locally: the .NET SDK is not available here; python, nodejs, java, ruby, go"
                + " and provided runtimes can)",
            "template.yaml:27:5: warning: Resources.BadRef: BadRef has no Role, so SAM creates BadRefRole when"
                + " deploying; it needs --stack-name or --role to run under its role",
            "template.yaml:34:18: error: Resources.BadRef.Properties.Environment.Variables.TABLE: Ref to"
                + " \"NoSuchTable\", which is not a parameter or resource of this template",
            "template.yaml:36:5: warning: Resources.NoFile: NoFile has no Role, so SAM creates NoFileRole when"
                + " deploying; it needs --stack-name or --role to run under its role",
            "template.yaml:38:16: error: Resources.NoFile.Properties.Handler: handler missing.handler: no missing.py"
                + " in src",
            "template.yaml:45:19: error: Resources.NoFile.Properties.Events.Dup.Properties.Path: duplicate route GET"
                + " /items on ServerlessRestApi: Missing (Get) has it already",
            "template.yaml:50:19: error: Resources.NoFile.Properties.Events.Bad.Properties.Path: path \"items\" must"
                + " start with /",
            "template.yaml:51:21: error: Resources.NoFile.Properties.Events.Bad.Properties.Method: method FETCH is not"
                + " one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY",
            "template.yaml:55:19: error: Resources.Bucket.Properties.BucketName: Fn::Sub variable ${Prefix} is not a"
                + " parameter, pseudo-parameter or resource of this template",
            "template.yaml:58:25: error: Resources.Topic.DependsOn[1]: DependsOn \"Ghost\", which is not a resource of"
                + " this template",
        ]
        #expect(found == expected)
        #expect(report.warnings.count == 3)
        #expect(report.errors.count == 11)
    }

    @Test func diagnosticsEncodeAsJSON() throws {
        let diagnostic = Diagnostic(.error, file: "t.yaml", line: 3, column: 5, path: "Resources.X", message: "bad")
        let data = try JSONEncoder().encode(diagnostic)
        let decoded = try JSONDecoder().decode(Diagnostic.self, from: data)
        #expect(decoded == diagnostic)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["severity"] as? String == "error")
        #expect(object["line"] as? Int == 3)
        #expect(diagnostic.description == "t.yaml:3:5: error: Resources.X: bad")
    }

    @Test func aLoadErrorIsOneDiagnostic() throws {
        let workspace = try Workspace("Resources:\n  Fn:\n    Type: [unclosed\n")
        let report = ProjectValidator.validate(ProjectLoadOptions(workingDirectory: workspace.directory))
        #expect(report.diagnostics.count == 1)
        let diagnostic = try #require(report.diagnostics.first)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.file == "template.yaml")
        #expect(diagnostic.line == 4)
        let missing = ProjectValidator.validate(
            ProjectLoadOptions(workingDirectory: workspace.directory, templatePath: "nope.yaml")
        )
        #expect(missing.diagnostics.map(\.description) == ["nope.yaml: error: no such template file"])
    }

    @Test func providedRuntimesNeedAnExecutableBootstrap() throws {
        let template = oneFunction(
            "      Role: arn:aws:iam::123456789012:role/r\n",
            handler: "      Handler: bootstrap\n"
        )
        .replacingOccurrences(of: "python3.12", with: "provided.al2023")
        let workspace = try Workspace(template, files: ["src/bootstrap": "#!/bin/sh\n"])
        let report = ProjectValidator.validate(ProjectLoadOptions(workingDirectory: workspace.directory))
        #expect(
            report.diagnostics.map(\.description) == [
                "template.yaml:7:16: error: Resources.Fn.Properties.CodeUri: bootstrap in src is not executable"
                    + " (chmod +x bootstrap)"
            ]
        )
        try writeFile(workspace.directory, "src/bootstrap", "#!/bin/sh\n", executable: true)
        #expect(ProjectValidator.validate(ProjectLoadOptions(workingDirectory: workspace.directory)).diagnostics == [])
        try FileManager.default.removeItem(at: workspace.directory.appendingPathComponent("src/bootstrap"))
        let missing = ProjectValidator.validate(ProjectLoadOptions(workingDirectory: workspace.directory))
        #expect(missing.diagnostics.first?.message.hasPrefix("no bootstrap in src or its layers") == true)
    }

    @Test(arguments: [
        ("exports.handler = async () => 1;\n", true),
        ("export async function handler(event) {}\n", true),
        ("module.exports = {\n  handler,\n};\n", true),
        ("const handler = 1;\nexport { handler };\n", true),
        ("exports.handlerX = 1;\nconst handler = 2;\n", false),
    ])
    func nodeExports(source: String, exported: Bool) throws {
        let template = oneFunction(
            "      Role: arn:aws:iam::123456789012:role/r\n",
            handler: "      Handler: app.handler\n"
        )
        .replacingOccurrences(of: "python3.12", with: "nodejs22.x")
        let workspace = try Workspace(template, files: ["src/app.js": source])
        let report = ProjectValidator.validate(ProjectLoadOptions(workingDirectory: workspace.directory))
        #expect(report.hasErrors == !exported)
        if !exported {
            #expect(report.diagnostics.map(\.line) == [5])
            #expect(report.diagnostics.first?.message.hasPrefix("app.js does not export handler") == true)
        }
    }

    @Test func oneBrokenServerlessFunctionDoesNotHideOthers() throws {
        let functions = """
              first:
                handler: src/app.handler
                environment:
                  KEY: ${env:NOT_SET}
              second:
                handler: src/app.nothing
                timeout: 0
              third:
                handler: src/app.handler
                role: arn:aws:iam::123456789012:role/r
                events:
                  - http: GET /a
                  - http:
                      path: a
                      method: get
            """
        let workspace = try Workspace(serverlessYML(functions), name: "serverless.yml")
        let report = ProjectValidator.validate(ProjectLoadOptions(workingDirectory: workspace.directory))
        #expect(
            report.diagnostics.map(\.description) == [
                "serverless.yml:9:12: error: functions.first.environment.KEY: cannot resolve variable ${env:NOT_SET}:"
                    + " environment variable NOT_SET is not set",
                "serverless.yml:11:14: error: functions.second.handler: src/app.py has no function nothing (expected"
                    + " def nothing(event, context))",
                "serverless.yml:12:14: error: functions.second.timeout: Timeout must be between 1 and 900 seconds,"
                    + " not 0",
                "serverless.yml:19:17: error: functions.third.events[1].http.path: duplicate route GET /a on"
                    + " ApiGatewayRestApi: third (http[0]) has it already",
            ]
        )
    }
}

struct ProjectValidatorCodeTests {
    @Test func missingCodeUriAndLayerBootstrap() throws {
        let template =
            samHeader + """
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: bootstrap
                      Runtime: provided.al2023
                      CodeUri: fn
                      Role: arn:aws:iam::123456789012:role/r
                      Layers:
                        - !Ref Runtime
                  Runtime:
                    Type: AWS::Serverless::LayerVersion
                    Properties:
                      ContentUri: layer
                  Gone:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: app.handler
                      Runtime: python3.12
                      CodeUri: does-not-exist
                      Role: arn:aws:iam::123456789012:role/r

                """
        let workspace = try Workspace(template, files: ["fn/main.txt": "x"])
        try writeFile(workspace.directory, "layer/bootstrap", "#!/bin/sh\n", executable: true)
        let report = ProjectValidator.validate(ProjectLoadOptions(workingDirectory: workspace.directory))
        #expect(report.diagnostics.count == 1)
        let diagnostic = try #require(report.diagnostics.first)
        #expect(diagnostic.line == 22)
        #expect(diagnostic.column == 16)
        #expect(diagnostic.path == "Resources.Gone.Properties.CodeUri")
        #expect(diagnostic.message.hasPrefix("no such file or folder"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zip")))
    func handlersAndBootstrapsInZips() throws {
        let workspace = try Workspace(
            oneFunction("      Role: arn:aws:iam::123456789012:role/r\n").replacingOccurrences(
                of: "CodeUri: src",
                with: "CodeUri: code.zip"
            )
        )
        _ = try CodeArchiveTests.makeZip(
            in: workspace.directory,
            name: "code.zip",
            files: ["app.py": ("def other(event, context):\n    pass\n", false)]
        )
        let report = ProjectValidator.validate(ProjectLoadOptions(workingDirectory: workspace.directory))
        #expect(
            report.diagnostics.map(\.description) == [
                "template.yaml:5:16: error: Resources.Fn.Properties.Handler: app.py has no function handler (expected"
                    + " def handler(event, context))"
            ]
        )
        _ = try CodeArchiveTests.makeZip(
            in: workspace.directory,
            name: "code.zip",
            files: ["app.py": ("def handler(event, context):\n    pass\n", false)]
        )
        #expect(ProjectValidator.validate(ProjectLoadOptions(workingDirectory: workspace.directory)).diagnostics == [])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zip")))
    func bootstrapModeInAZip() throws {
        let template = oneFunction("      Role: arn:aws:iam::123456789012:role/r\n", handler: "      Handler: x\n")
            .replacingOccurrences(of: "python3.12", with: "provided.al2")
            .replacingOccurrences(of: "CodeUri: src", with: "CodeUri: fn.zip")
        let workspace = try Workspace(template)
        for executable in [false, true] {
            _ = try CodeArchiveTests.makeZip(
                in: workspace.directory,
                name: "fn.zip",
                files: ["bootstrap": ("#!/bin/sh\n", executable)]
            )
            let report = ProjectValidator.validate(ProjectLoadOptions(workingDirectory: workspace.directory))
            #expect(report.hasErrors == !executable)
        }
    }
}

struct ServerlessValidationTests {
    @Test func serverlessAppHasOnlyADeprecationWarning() throws {
        let report = validateFixture("serverless-app")
        #expect(
            report.diagnostics.map(\.description) == [
                "serverless.yml:60:14: warning: functions.create.runtime: nodejs20.x is deprecated in AWS Lambda; move"
                    + " to a newer runtime"
            ]
        )
        #expect(report.project?.format == .serverless)
    }

    @Test func unresolvableVariableIsADiagnostic() throws {
        let report = validateFixture("serverless-broken")
        #expect(
            report.diagnostics.map(\.description) == [
                "serverless.yml:8:10: error: provider.environment.BAD: cannot resolve variable ${self:custom.missing}:"
                    + " no value at \"custom.missing\" in serverless.yml"
            ]
        )
        #expect(report.project == nil)
    }

    @Test func aBadProviderVariableDoesNotHideFunctionProblems() throws {
        let yaml = serverlessYML(
            "  fn:\n    handler: src/app.handler\n    timeout: 1000\n",
            providerExtra: "  environment:\n    X: ${env:MISSING}\n"
        )
        let workspace = try Workspace(yaml, name: "serverless.yml")
        let report = ProjectValidator.validate(ProjectLoadOptions(workingDirectory: workspace.directory))
        #expect(
            report.diagnostics.map(\.description) == [
                "serverless.yml:6:8: error: provider.environment.X: cannot resolve variable ${env:MISSING}:"
                    + " environment variable MISSING is not set"
            ]
        )
        let withVariable = ProjectValidator.validate(
            ProjectLoadOptions(workingDirectory: workspace.directory, environment: ["MISSING": "here"])
        )
        #expect(withVariable.diagnostics.map(\.line) == [10])
    }
}

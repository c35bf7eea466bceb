import Foundation
import ProjectModel
import Testing
import TestSupport

/// A one-function template whose lines 1-7 are fixed; `rest` starts at line 8 (Properties keys at column 7).
func oneFunction(_ rest: String, handler: String = "      Handler: app.handler\n", prefix: String = "") -> String {
    prefix + """
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
        \(handler)      Runtime: python3.12
              CodeUri: src

        """ + rest
}

struct MalformedTemplateTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var template: String
        var overrides: [String: String] = [:]
        var prefix: String
        var kind: ProjectError.Kind
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "unknown Ref (short form)",
            template: oneFunction("      Role: !Ref Nope\n"),
            prefix: "template.yaml:8:13: Resources.Fn.Properties.Role: Ref to \"Nope\"",
            kind: .unknownReference
        ),
        Case(
            name: "unknown Ref (long form)",
            template: oneFunction("      Role: {Ref: Nope}\n"),
            prefix: "template.yaml:8:13: Resources.Fn.Properties.Role: Ref to \"Nope\"",
            kind: .unknownReference
        ),
        Case(
            name: "unknown Ref in an environment variable",
            template: oneFunction("      Environment:\n        Variables:\n          TABLE: !Ref Table\n"),
            prefix: "template.yaml:10:18: Resources.Fn.Properties.Environment.Variables.TABLE: Ref to \"Table\"",
            kind: .unknownReference
        ),
        Case(
            name: "unknown GetAtt target",
            template: oneFunction("      Role: !GetAtt Nope.Arn\n"),
            prefix: "template.yaml:8:13: Resources.Fn.Properties.Role: Fn::GetAtt of \"Nope\"",
            kind: .unknownReference
        ),
        Case(
            name: "unknown Sub variable",
            template: oneFunction("      FunctionName: !Sub \"${Nope}-fn\"\n"),
            prefix: "template.yaml:8:21: Resources.Fn.Properties.FunctionName: Fn::Sub variable ${Nope}",
            kind: .unknownReference
        ),
        Case(
            name: "missing Handler",
            template: oneFunction("", handler: ""),
            prefix: "template.yaml:5:7: Resources.Fn.Properties.Handler: missing Handler",
            kind: .missingProperty
        ),
        Case(
            name: "Timeout not a number",
            template: oneFunction("      Timeout: abc\n"),
            prefix: "template.yaml:8:16: Resources.Fn.Properties.Timeout: expected an integer, got \"abc\"",
            kind: .invalidValue
        ),
        Case(
            name: "unknown condition",
            template: oneFunction("      Timeout: !If [Nope, 3, 4]\n"),
            prefix: "template.yaml:8:21: Resources.Fn.Properties.Timeout[0]: unknown condition \"Nope\"",
            kind: .unknownReference
        ),
        Case(
            name: "FindInMap miss",
            template: oneFunction(
                "      MemorySize: !FindInMap [Sizes, small, Memory]\n",
                prefix: "Mappings:\n  Sizes:\n    large:\n      Memory: 1024\n"
            ),
            prefix: "template.yaml:12:19: Resources.Fn.Properties.MemorySize: Fn::FindInMap: mapping Sizes has no key"
                + " \"small\"",
            kind: .unknownReference
        ),
        Case(
            name: "value outside AllowedValues",
            template: oneFunction(
                "",
                prefix: "Parameters:\n  Stage:\n    Type: String\n    Default: dev\n    AllowedValues: [dev, prod]\n"
            ),
            overrides: ["Stage": "qa"],
            prefix:
                "template.yaml:2:3: Parameters.Stage: parameter Stage: value \"qa\" (from --parameter-overrides) is not"
                + " one of the AllowedValues dev, prod",
            kind: .parameter
        ),
        Case(
            name: "YAML syntax error",
            template: oneFunction("      Timeout: [3\n"),
            prefix: "template.yaml:9:1: did not find expected ',' or ']'",
            kind: .syntax
        ),
        Case(
            name: "unknown tag",
            template: oneFunction("      Timeout: !Foo 3\n"),
            prefix: "template.yaml:8:16: Resources.Fn.Properties.Timeout: unknown tag !Foo",
            kind: .syntax
        ),
        Case(
            name: "CodeUri on S3",
            template: oneFunction("").replacingOccurrences(
                of: "CodeUri: src",
                with: "CodeUri: {Bucket: b, Key: k}"
            ),
            prefix: "template.yaml:7:16: Resources.Fn.Properties.CodeUri: CodeUri {Bucket, Key} points at S3",
            kind: .unsupported
        ),
        Case(
            name: "CodeUri folder missing",
            template: oneFunction("").replacingOccurrences(
                of: "CodeUri: src",
                with: "CodeUri: build/missing"
            ),
            prefix: "template.yaml:7:16: Resources.Fn.Properties.CodeUri: no such file or folder",
            kind: .invalidValue
        ),
        Case(
            name: "Globals property SAM does not allow",
            template: oneFunction("", prefix: "Globals:\n  Function:\n    Role: arn:aws:iam::1:role/x\n"),
            prefix: "template.yaml:3:5: Globals.Function.Role: Role is not a supported property of Globals.Function",
            kind: .invalidValue
        ),
        Case(
            name: "Api event without Path",
            template: oneFunction(
                "      Events:\n        Get:\n          Type: Api\n          Properties:\n"
                    + "            Method: get\n"
            ),
            prefix: "template.yaml:12:13: Resources.Fn.Properties.Events.Get.Properties.Path: missing Path",
            kind: .missingProperty
        ),
        Case(
            name: "RestApiId naming a function",
            template: oneFunction(
                "      Events:\n        Get:\n          Type: Api\n          Properties:\n"
                    + "            Path: /\n            Method: get\n            RestApiId: !Ref Fn\n"
            ),
            prefix: "template.yaml:14:24: Resources.Fn.Properties.Events.Get.Properties.RestApiId: must refer to an"
                + " AWS::Serverless::Api",
            kind: .invalidValue
        ),
        Case(
            name: "unknown authorizer",
            template: oneFunction(
                "      Events:\n        Get:\n          Type: Api\n          Properties:\n"
                    + "            Path: /\n            Method: get\n            Auth:\n"
                    + "              Authorizer: Mine\n"
            ),
            prefix: "template.yaml:15:27: Resources.Fn.Properties.Events.Get.Properties.Auth.Authorizer: no authorizer"
                + " named \"Mine\"",
            kind: .unknownReference
        ),
        Case(
            name: "duplicate key", template: oneFunction("      Timeout: 3\n      Timeout: 4\n"),
            prefix: "template.yaml:8:7: duplicate key Timeout", kind: .syntax),
        Case(
            name: "unquoted Cors origin",
            template: oneFunction(
                "      Events:\n        Get:\n          Type: Api\n          Properties:\n"
                    + "            Path: /\n            Method: get\n",
                prefix: "Globals:\n  Api:\n    Cors: \"*\"\n"
            ),
            prefix: "template.yaml:3:11: Globals.Api.Cors: Cors must be a quoted string",
            kind: .invalidValue
        ),
        Case(
            name: "no Resources",
            template: "AWSTemplateFormatVersion: '2010-09-09'\nDescription: x\n",
            prefix: "template.yaml:1:1: Resources: the template has no Resources section",
            kind: .missingProperty
        ),
        Case(
            name: "condition depending on itself",
            template: oneFunction("      Timeout: !If [A, 3, 4]\n", prefix: "Conditions:\n  A: !Not [!Condition A]\n"),
            prefix: "template.yaml:2:6: Conditions.A: condition A depends on itself",
            kind: .invalidValue
        ),
    ]

    @Test(arguments: cases)
    func errorNamesFileLineColumnAndField(_ testCase: Case) throws {
        let workspace = try Workspace(testCase.template)
        let error = try #require(workspace.loadError(overrides: testCase.overrides))
        #expect(error.description.hasPrefix(testCase.prefix), "\(error.description)")
        #expect(error.kind == testCase.kind)
    }

    @Test func missingTemplateNamesTheFolderAndTheFileNames() throws {
        let directory = try makeEmptyDirectory()
        let options = ProjectLoadOptions(workingDirectory: directory)
        #expect {
            try ProjectLoader.load(options)
        } throws: { error in
            (error as? ProjectError)?.description
                == ".: no template found (looked for template.yaml, template.yml, template.json, serverless.yml,"
                + " serverless.yaml)"
        }
        let nested = ProjectLoadOptions(workingDirectory: directory, templatePath: "infra/template.yaml")
        #expect {
            try ProjectLoader.load(nested)
        } throws: { error in
            (error as? ProjectError)?.description == "infra/template.yaml: no such template file"
        }
    }

    @Test func errorsInJSONTemplatesHavePositionsToo() throws {
        let json = """
            {
              "Resources": {
                "Fn": {
                  "Type": "AWS::Serverless::Function",
                  "Properties": {"Handler": "app.handler", "Runtime": "python3.12", "CodeUri": "src",
                                 "Timeout": {"Ref": "Missing"}}
                }
              }
            }
            """
        let workspace = try Workspace(json, name: "template.json")
        let error = try #require(workspace.loadError())
        #expect(error.description.hasPrefix("template.json:6:33: Resources.Fn.Properties.Timeout: Ref to \"Missing\""))
    }

    func makeEmptyDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "projectmodel-empty-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// What used to stop a whole template is a warning now, located, and the function still loads: a parameter
    /// without a value (the property falls back to its default), an override naming no parameter (ignored), and a
    /// plain `AWS::Lambda::Function` without `Role` (it runs with no role to assume).
    @Test func notesThatDoNotStopTheTemplate() throws {
        let noValue = try Workspace(
            oneFunction("      FunctionName: !Ref Name\n", prefix: "Parameters:\n  Name:\n    Type: String\n"))
        let named = try noValue.load()
        #expect(named.functions.map(\.isAvailable) == [true])
        #expect(named.functions[0].functionName == "Fn")
        #expect(
            named.notes.map(\.description) == [
                "template.yaml:11:21: warning: Resources.Fn.Properties.FunctionName: parameter Name (declared at 3:5)"
                    + " has no value: give it a Default or pass --parameter-overrides Name=VALUE; using the default"
            ])

        let unknown = try Workspace(oneFunction("", prefix: "Parameters:\n  Name:\n    Type: String\n    Default: x\n"))
        let overridden = try unknown.load(overrides: ["Nmae": "y"])
        #expect(overridden.functions.map(\.isAvailable) == [true])
        #expect(
            overridden.notes.map(\.description) == [
                "template.yaml:2:3: warning: Parameters: --parameter-overrides names Nmae, which the template does not"
                    + " declare (it declares Name); ignored"
            ])

        let plain = try Workspace(
            oneFunction("", handler: "      Handler: app.handler\n      Code: src\n")
                .replacingOccurrences(of: "AWS::Serverless::Function", with: "AWS::Lambda::Function")
                .replacingOccurrences(of: "      CodeUri: src\n", with: ""))
        let roleless = try plain.load()
        #expect(roleless.functions.map(\.isAvailable) == [true])
        #expect(roleless.functions[0].role == nil)
        #expect(roleless.notes.isEmpty)
    }
}

/// Inputs that used to crash or exhaust the loader, each refused with a located error.
struct HostileTemplateTests {
    /// 9 levels of 10 aliases each stand for 10^9 values: refused at the value where the limit is passed.
    @Test func aYAMLAliasBombIsRefusedWithALocation() throws {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            lines.append("a\(level): &a\(level) [" + Array(repeating: previous, count: 10).joined(separator: ", ") + "]")
        }
        lines.append("Resources: {}")
        let workspace = try Workspace(lines.joined(separator: "\n") + "\n")
        let error = try #require(workspace.loadError())
        #expect(error.kind == .syntax)
        #expect(error.file == "template.yaml" && error.line != nil && error.column != nil)
        #expect(error.message.contains("expands to more than 1000000 values through YAML aliases"))
    }

    /// A byte that is not UTF-8 is named at its line and column (it was "The file isn't in the correct format.").
    @Test func anInvalidUTF8TemplateNamesTheByte() throws {
        let directory = try makeTemporaryDirectory("projectmodel-utf8")
        var bytes = Array("Resources:\n  Fn:\n    Type: AWS::Serverless::Function # caf".utf8)
        bytes.append(0xE9)  // Latin-1 é
        bytes += Array("\n".utf8)
        try Data(bytes).write(to: directory.appendingPathComponent("template.yaml"))
        #expect {
            _ = try ProjectLoader.load(ProjectLoadOptions(workingDirectory: directory))
        } throws: { error in
            (error as? ProjectError)?.description
                == "template.yaml:3:42: the template is not UTF-8 text: an invalid byte here"
        }
    }
}

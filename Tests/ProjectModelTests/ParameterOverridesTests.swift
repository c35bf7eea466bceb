import ProjectModel
import Testing

struct ParameterOverridesTests {
    static let cases: [([String], [String: String])] = [
        (["Stage=prod"], ["Stage": "prod"]),
        (["Stage=prod Size=512"], ["Stage": "prod", "Size": "512"]),
        (["Stage=prod", "Size=512"], ["Stage": "prod", "Size": "512"]),
        (["ParameterKey=Stage,ParameterValue=prod"], ["Stage": "prod"]),
        (
            ["ParameterKey=Stage,ParameterValue=prod ParameterKey=Names,ParameterValue=a,b"],
            ["Stage": "prod", "Names": "a,b"]
        ),
        (["Greeting='hello world' Other=\"a b\""], ["Greeting": "hello world", "Other": "a b"]),
        (["ParameterKey=Greeting,ParameterValue='hi there'"], ["Greeting": "hi there"]),
        (["Url=https://x.example/a=b"], ["Url": "https://x.example/a=b"]),
        (["Empty="], ["Empty": ""]),
        (["Stage=dev", "Stage=prod"], ["Stage": "prod"]),
        (["  Stage=prod  "], ["Stage": "prod"]),
        ([], [:]),
    ]

    @Test(arguments: cases)
    func parses(_ arguments: [String], _ expected: [String: String]) throws {
        #expect(try ParameterOverrides.parse(arguments) == expected)
    }

    @Test(arguments: ["Stage", "=prod", "ParameterKey=Stage", "Stage='prod", "ParameterKey=,ParameterValue=x"])
    func rejects(_ argument: String) {
        #expect(throws: ProjectError.self) { try ParameterOverrides.parse([argument]) }
    }

    @Test func errorNamesTheOption() {
        #expect {
            try ParameterOverrides.parse(["Stage"])
        } throws: { error in
            (error as? ProjectError)?.description
                == "--parameter-overrides: Stage: expected KEY=VALUE or ParameterKey=KEY,ParameterValue=VALUE"
        }
    }

    @Test func overridesReachTheTemplateInBothForms() throws {
        let template =
            samHeader + """
                Parameters:
                  Stage:
                    Type: String
                    Default: dev
                    AllowedValues: [dev, prod]
                  Greeting:
                    Type: String
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: app.handler
                      Runtime: python3.12
                      CodeUri: src
                      Environment:
                        Variables:
                          STAGE: !Ref Stage
                          GREETING: !Ref Greeting

                """
        let workspace = try Workspace(template)
        for arguments in [
            ["Stage=prod Greeting='hello world'"],
            ["ParameterKey=Stage,ParameterValue=prod", "ParameterKey=Greeting,ParameterValue='hello world'"],
        ] {
            let project = try workspace.load(overrides: try ParameterOverrides.parse(arguments))
            #expect(project.functions[0].environment == ["STAGE": "prod", "GREETING": "hello world"])
            #expect(project.parameters == ["Stage": "prod", "Greeting": "hello world"])
        }
        // Without an override, Greeting has no value: as in SAM, the variable is empty, and standin says so.
        let defaults = try workspace.load()
        #expect(defaults.functions[0].environment == ["STAGE": "dev", "GREETING": ""])
        let note = try #require(defaults.notes.first)
        #expect(note.severity == .warning)
        #expect(note.kind == .parameterWithoutValue)
        #expect(note.description.contains("parameter Greeting"))
        #expect(note.description.hasSuffix("; GREETING is empty"))
    }
}

import ProjectModel
import Testing

struct GlobalsTests {
    static let template =
        samHeader + """
            Globals:
              Function:
                Runtime: python3.11
                Timeout: 10
                MemorySize: 256
                Handler: app.handler
                Architectures: [x86_64]
                Environment:
                  Variables:
                    SHARED: global
                    OVERRIDDEN: global
                    COUNT: 1
                Layers:
                  - arn:aws:lambda:us-east-1:123456789012:layer:global:1
            Resources:
              Plain:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: src
              Custom:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: src
                  Runtime: python3.12
                  Timeout: 30
                  Architectures: [arm64]
                  Environment:
                    Variables:
                      OVERRIDDEN: local
                      ONLY_LOCAL: "yes"
                      FLAG: true
                  Layers:
                    - arn:aws:lambda:us-east-1:123456789012:layer:local:2
              Raw:
                Type: AWS::Lambda::Function
                Properties:
                  Handler: raw.handler
                  Runtime: nodejs20.x
                  Code: src
                  Role: arn:aws:iam::123456789012:role/raw

            """

    @Test func scalarsComeFromGlobalsUnlessTheFunctionSetsThem() throws {
        let project = try Workspace(Self.template).load()
        let plain = try #require(project.function(named: "Plain"))
        #expect(plain.runtime == "python3.11")
        #expect(plain.timeout == 10)
        #expect(plain.memorySize == 256)
        #expect(plain.handler == "app.handler")
        let custom = try #require(project.function(named: "Custom"))
        #expect(custom.runtime == "python3.12")
        #expect(custom.timeout == 30)
        #expect(custom.memorySize == 256)
    }

    @Test func mapsMergeWithTheFunctionWinning() throws {
        let project = try Workspace(Self.template).load()
        #expect(
            project.function(named: "Plain")?.environment == ["SHARED": "global", "OVERRIDDEN": "global", "COUNT": "1"]
        )
        #expect(
            project.function(named: "Custom")?.environment == [
                "SHARED": "global", "OVERRIDDEN": "local", "COUNT": "1", "ONLY_LOCAL": "yes", "FLAG": "true",
            ]
        )
    }

    /// SAM concatenates lists (globals first): `GlobalProperties._merge_lists` in the SAM translator.
    @Test func listsConcatenateGlobalsFirst() throws {
        let project = try Workspace(Self.template).load()
        #expect(
            project.function(named: "Plain")?.remoteLayers == ["arn:aws:lambda:us-east-1:123456789012:layer:global:1"]
        )
        #expect(
            project.function(named: "Custom")?.remoteLayers == [
                "arn:aws:lambda:us-east-1:123456789012:layer:global:1",
                "arn:aws:lambda:us-east-1:123456789012:layer:local:2",
            ]
        )
        #expect(project.function(named: "Custom")?.architectures == ["x86_64", "arm64"])
    }

    @Test func globalsDoNotApplyToPlainLambdaFunctions() throws {
        let project = try Workspace(Self.template).load()
        let raw = try #require(project.function(named: "Raw"))
        #expect(raw.timeout == 3)
        #expect(raw.memorySize == 128)
        #expect(raw.environment == [:])
        #expect(raw.remoteLayers == [])
    }

    @Test func intrinsicsMergeAsScalars() throws {
        let template =
            samHeader + """
                Conditions:
                  Never: !Equals [a, b]
                Globals:
                  Function:
                    Environment:
                      Variables:
                        A: !If [Never, x, y]
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: app.handler
                      Runtime: python3.12
                      CodeUri: src
                      Environment:
                        Variables:
                          A: {"Fn::Join": ["", [l, o, c, a, l]]}

                """
        #expect(try Workspace(template).load().functions[0].environment == ["A": "local"])
    }
}

import Foundation
import ProjectModel
import TestSupport
import Testing

struct FunctionTests {
    @Test func rolesOfEveryKind() throws {
        let template =
            samHeader + """
                Resources:
                  NamedRole:
                    Type: AWS::IAM::Role
                    Properties:
                      RoleName: named
                  UnnamedRole:
                    Type: AWS::IAM::Role
                  Implicit:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: src}
                  ByGetAtt:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: src, Role: !GetAtt NamedRole.Arn}
                  ByRef:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: src, Role: !Ref UnnamedRole}
                  UnnamedByGetAtt:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: src, Role: !GetAtt UnnamedRole.Arn}
                  Literal:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: app.handler
                      Runtime: python3.12
                      CodeUri: src
                      Role: arn:aws:iam::999999999999:role/elsewhere
                  BySub:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: app.handler
                      Runtime: python3.12
                      CodeUri: src
                      Role: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/named
                  SharesImplicit:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: app.handler
                      Runtime: python3.12
                      CodeUri: src
                      Role: !GetAtt ImplicitRole.Arn
                  ByName:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: src, Role: plain-name}
                  Conditional:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: app.handler
                      Runtime: python3.12
                      CodeUri: src
                      Role: !If [Never, !GetAtt UnnamedRole.Arn, !GetAtt NamedRole.Arn]
                  RawLambda:
                    Type: AWS::Lambda::Function
                    Properties: {Handler: app.handler, Runtime: python3.12, Code: src, Role: !GetAtt NamedRole.Arn}
                Conditions:
                  Never: !Equals [a, b]

                """
        let project = try Workspace(template).load()
        let roles = Dictionary(uniqueKeysWithValues: project.functions.map { ($0.logicalID, $0.role) })
        #expect(roles["Implicit"] == .implicitSAMRole(logicalID: "Implicit"))
        #expect(roles["ByGetAtt"] == .templateRole(logicalID: "NamedRole", roleName: "named"))
        #expect(roles["ByRef"] == .templateRole(logicalID: "UnnamedRole", roleName: nil))
        #expect(roles["UnnamedByGetAtt"] == .templateRole(logicalID: "UnnamedRole", roleName: nil))
        #expect(roles["Literal"] == .arn("arn:aws:iam::999999999999:role/elsewhere"))
        #expect(roles["BySub"] == .templateRole(logicalID: "NamedRole", roleName: "named"))
        #expect(roles["SharesImplicit"] == .implicitSAMRole(logicalID: "Implicit"))
        #expect(roles["ByName"] == .name("plain-name"))
        #expect(roles["Conditional"] == .templateRole(logicalID: "NamedRole", roleName: "named"))
        #expect(roles["RawLambda"] == .templateRole(logicalID: "NamedRole", roleName: "named"))
        #expect(project.function(named: "RawLambda")?.resourceType == "AWS::Lambda::Function")
        #expect(
            RoleReference.templateRole(logicalID: "NamedRole", roleName: "named").arn(accountID: "1")
                == "arn:aws:iam::1:role/named"
        )
        #expect(RoleReference.implicitSAMRole(logicalID: "Implicit").stackLogicalResourceID == "ImplicitRole")
    }

    @Test func propertiesAndDefaults() throws {
        let template =
            samHeader + """
                Resources:
                  Minimal:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: src}
                  Full:
                    Type: AWS::Serverless::Function
                    Properties:
                      FunctionName: full-function
                      Handler: app.handler
                      Runtime: python3.12
                      CodeUri: ./src/
                      Timeout: "15"
                      MemorySize: 1024
                      Architectures: [arm64]
                      Environment:
                        Variables:
                          NUMBER: 42
                          FLOAT: 1.50
                          BOOL: True
                          TEXT: plain
                          REGION: !Ref AWS::Region
                          GONE: !Ref AWS::NoValue
                      Policies:
                        - AWSLambdaBasicExecutionRole
                        - DynamoDBReadPolicy:
                            TableName: !Ref Table
                      FunctionUrlConfig:
                        AuthType: NONE
                  Image:
                    Type: AWS::Serverless::Function
                    Properties:
                      PackageType: Image
                      ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest
                  Table:
                    Type: AWS::Serverless::SimpleTable
                  Skipped:
                    Type: AWS::Serverless::Function
                    Condition: Never
                    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: src}
                Conditions:
                  Never: !Equals [a, b]

                """
        let workspace = try Workspace(template)
        let project = try workspace.load()
        #expect(project.functions.map(\.logicalID) == ["Minimal", "Full", "Image"])
        let minimal = try #require(project.function(named: "Minimal"))
        #expect(minimal.functionName == "Minimal")
        #expect(minimal.timeout == 3)
        #expect(minimal.memorySize == 128)
        #expect(minimal.architectures == ["x86_64"])
        #expect(minimal.code == .directory(workspace.directory.appendingPathComponent("src").standardizedFileURL))
        #expect(minimal.location.line == 5)
        #expect(minimal.location.file == "template.yaml")
        let full = try #require(project.function(named: "full-function"))
        #expect(full.logicalID == "Full")
        #expect(full.timeout == 15)
        #expect(full.memorySize == 1024)
        #expect(full.architectures == ["arm64"])
        #expect(
            full.environment == [
                "NUMBER": "42", "FLOAT": "1.50", "BOOL": "true", "TEXT": "plain", "REGION": "us-east-1",
            ]
        )
        #expect(
            full.policies
                == .array([
                    .string("AWSLambdaBasicExecutionRole"),
                    .object(["DynamoDBReadPolicy": .object(["TableName": .string("Table")])]),
                ])
        )
        #expect(full.functionURL == .object(["AuthType": .string("NONE")]))
        let image = try #require(project.function(named: "Image"))
        #expect(image.packageType == "Image")
        #expect(image.runtime == nil)
        #expect(image.handler == nil)
        #expect(image.imageURI == "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest")
    }

    @Test func jsonTemplatesLoadLikeYAML() throws {
        let json = """
            {
              "AWSTemplateFormatVersion": "2010-09-09",
              "Transform": "AWS::Serverless-2016-10-31",
              "Parameters": {"Stage": {"Type": "String", "Default": "dev"}},
              "Resources": {
                "Fn": {
                  "Type": "AWS::Serverless::Function",
                  "Properties": {
                    "Handler": "app.handler", "Runtime": "python3.12", "CodeUri": "src", "Timeout": 9,
                    "Environment": {"Variables": {"STAGE": {"Fn::Sub": "${Stage}-x"}, "N": 2}}
                  }
                }
              }
            }
            """
        let project = try Workspace(json, name: "template.json").load()
        #expect(project.templateURL.lastPathComponent == "template.json")
        #expect(project.format == .sam)
        let function = try #require(project.functions.first)
        #expect(function.timeout == 9)
        #expect(function.environment == ["STAGE": "dev-x", "N": "2"])
    }

    @Test func templatePathMayNameAFileOrAFolder() throws {
        let workspace = try Workspace(
            "Resources: {}\n",
            files: [
                "infra/stack.yml": oneFunction("").replacingOccurrences(of: "CodeUri: src", with: "CodeUri: ../src")
            ]
        )
        let byFile = try workspace.load(templatePath: "infra/stack.yml")
        #expect(byFile.functions.map(\.logicalID) == ["Fn"])
        #expect(byFile.functions[0].location.file == "infra/stack.yml")
        #expect(try workspace.load().functions.isEmpty)
    }

    @Test func inlineCodeIsWrittenWhereTheRuntimeLooks() throws {
        let template =
            samHeader + """
                Resources:
                  Inline:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: main.handler
                      Runtime: python3.12
                      InlineCode: |
                        def handler(event, context):
                            return 1
                  ZipFile:
                    Type: AWS::Lambda::Function
                    Properties:
                      Handler: index.handler
                      Runtime: nodejs20.x
                      Role: arn:aws:iam::123456789012:role/x
                      Code:
                        ZipFile: "exports.handler = async () => 1;"

                """
        let project = try Workspace(template).load()
        guard case .directory(let inline)? = project.function(named: "Inline")?.code,
            case .directory(let zipFile)? = project.function(named: "ZipFile")?.code
        else {
            Issue.record("inline code should be a folder")
            return
        }
        let python = try String(contentsOf: inline.appendingPathComponent("main.py"), encoding: .utf8)
        #expect(python == "def handler(event, context):\n    return 1\n")
        let node = try String(contentsOf: zipFile.appendingPathComponent("index.js"), encoding: .utf8)
        #expect(node == "exports.handler = async () => 1;")
    }
}

import Foundation
import ProjectModel
import Testing

/// Evaluates one YAML expression inside a template with parameters, mappings, conditions and resources,
/// by placing it under an event's Properties (which the loader resolves to JSON).
func evaluate(_ expression: String, overrides: [String: String] = [:]) throws -> JSONValue? {
    let template =
        samHeader + """
            Parameters:
              Stage:
                Type: String
                Default: dev
                AllowedValues: [dev, prod]
              Names:
                Type: CommaDelimitedList
                Default: "a,b,c"
              Size:
                Type: Number
                Default: 256
            Mappings:
              RegionMap:
                us-east-1:
                  Ami: ami-1
                eu-west-1:
                  Ami: ami-2
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
              IsDev: !Not [!Condition IsProd]
              Both: !And [!Condition IsDev, !Equals [a, a]]
              Either: {"Fn::Or": [{"Condition": "IsProd"}, {"Fn::Equals": [x, y]}]}
            Resources:
              Queue:
                Type: AWS::SQS::Queue
              Role:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: my-role
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  FunctionName: my-fn
                  Handler: app.handler
                  Runtime: python3.12
                  CodeUri: src
                  Role: !GetAtt Role.Arn
                  Events:
                    E:
                      Type: Schedule
                      Properties:
                        V: \(expression)

            """
    let project = try Workspace(template).load(overrides: overrides, region: "eu-west-1")
    let event = try #require(project.functions.first?.events.first)
    return event.properties["V"]
}

struct IntrinsicFunctionTests {
    static let account = "123456789012"
    static let cases: [(String, JSONValue?)] = [
        ("!Ref Stage", .string("dev")),
        ("{Ref: Stage}", .string("dev")),
        ("!Ref Names", .array([.string("a"), .string("b"), .string("c")])),
        ("!Ref Size", .string("256")),
        ("!Ref AWS::Region", .string("eu-west-1")),
        ("!Ref AWS::AccountId", .string(account)),
        ("!Ref AWS::StackName", .string("standin")),
        ("!Ref AWS::Partition", .string("aws")),
        ("!Ref AWS::URLSuffix", .string("amazonaws.com")),
        (
            "!Ref AWS::StackId",
            .string("arn:aws:cloudformation:eu-west-1:\(account):stack/standin/00000000-0000-0000-0000-000000000000")
        ),
        ("!Ref AWS::NoValue", nil),
        ("!Ref Fn", .string("my-fn")),
        ("!Ref Role", .string("my-role")),
        ("!Ref Queue", .string("https://sqs.eu-west-1.amazonaws.com/\(account)/Queue")),
        ("!GetAtt Role.Arn", .string("arn:aws:iam::\(account):role/my-role")),
        ("!GetAtt [Fn, Arn]", .string("arn:aws:lambda:eu-west-1:\(account):function:my-fn")),
        ("!GetAtt Queue.Arn", .string("arn:aws:sqs:eu-west-1:\(account):Queue")),
        ("!Sub \"${Stage}-${AWS::Region}\"", .string("dev-eu-west-1")),
        ("!Sub \"role=${Role.Arn}\"", .string("role=arn:aws:iam::\(account):role/my-role")),
        ("!Sub \"${!Literal}-${Stage}\"", .string("${Literal}-dev")),
        ("!Sub [\"${A}-${Stage}\", {A: !Ref AWS::AccountId}]", .string("\(account)-dev")),
        ("!Sub \"${Fn}\"", .string("my-fn")),
        ("!Join [\"-\", [a, !Ref Stage, 3]]", .string("a-dev-3")),
        ("!Join [\",\", !Ref Names]", .string("a,b,c")),
        ("!Select [1, !Ref Names]", .string("b")),
        ("!Select [\"0\", [x, y]]", .string("x")),
        ("!Split [\",\", \"a,b\"]", .array([.string("a"), .string("b")])),
        ("!Base64 hello", .string("aGVsbG8=")),
        ("!GetAZs \"\"", .array([.string("eu-west-1a"), .string("eu-west-1b"), .string("eu-west-1c")])),
        ("!GetAZs us-east-2", .array([.string("us-east-2a"), .string("us-east-2b"), .string("us-east-2c")])),
        ("!ImportValue shared-vpc", .string("ImportValue:shared-vpc")),
        ("!If [IsProd, big, small]", .string("small")),
        ("!If [IsDev, [1, 2], x]", .array([.number(1), .number(2)])),
        ("!If [Both, on, off]", .string("on")),
        ("!If [Either, on, off]", .string("off")),
        ("!If [IsProd, x, !Ref AWS::NoValue]", nil),
        ("!FindInMap [RegionMap, !Ref AWS::Region, Ami]", .string("ami-2")),
        ("!FindInMap [RegionMap, nowhere, Ami, {DefaultValue: none}]", .string("none")),
        ("!Cidr [\"10.0.0.0/16\", 2, 8]", .array([.string("10.0.0.0/24"), .string("10.0.1.0/24")])),
        ("!Equals [a, a]", .bool(true)),
        ("!Not [!Condition IsDev]", .bool(false)),
        ("[a, !Ref AWS::NoValue, b]", .array([.string("a"), .string("b")])),
        ("{K: !Ref AWS::NoValue, L: 1}", .object(["L": .number(1)])),
        ("3", .number(3)),
        ("\"3\"", .string("3")),
        ("true", .bool(true)),
        ("yes", .string("yes")),
    ]

    @Test(arguments: cases)
    func resolves(_ expression: String, _ expected: JSONValue?) throws {
        #expect(try evaluate(expression) == expected, "\(expression)")
    }

    @Test func conditionsFollowParameterOverrides() throws {
        #expect(try evaluate("!If [IsProd, big, small]", overrides: ["Stage": "prod"]) == .string("big"))
        #expect(try evaluate("!If [Either, on, off]", overrides: ["Stage": "prod"]) == .string("on"))
        #expect(try evaluate("!If [Both, on, off]", overrides: ["Stage": "prod"]) == .string("off"))
    }

    static let shortAndLong: [(String, String)] = [
        ("!Ref Stage", "{Ref: Stage}"),
        ("!GetAtt Role.Arn", "{\"Fn::GetAtt\": [Role, Arn]}"),
        ("!GetAtt Role.Arn", "{\"Fn::GetAtt\": Role.Arn}"),
        ("!Sub \"x-${Stage}\"", "{\"Fn::Sub\": \"x-${Stage}\"}"),
        ("!Sub [\"${A}\", {A: b}]", "{\"Fn::Sub\": [\"${A}\", {A: b}]}"),
        ("!Join [\"-\", [a, b]]", "{\"Fn::Join\": [\"-\", [a, b]]}"),
        ("!Select [1, [a, b]]", "{\"Fn::Select\": [1, [a, b]]}"),
        ("!Split [\",\", \"a,b\"]", "{\"Fn::Split\": [\",\", \"a,b\"]}"),
        ("!If [IsProd, a, b]", "{\"Fn::If\": [IsProd, a, b]}"),
        ("!FindInMap [RegionMap, us-east-1, Ami]", "{\"Fn::FindInMap\": [RegionMap, us-east-1, Ami]}"),
        ("!Base64 abc", "{\"Fn::Base64\": abc}"),
        ("!GetAZs \"\"", "{\"Fn::GetAZs\": \"\"}"),
        ("!ImportValue x", "{\"Fn::ImportValue\": x}"),
        ("!Equals [a, b]", "{\"Fn::Equals\": [a, b]}"),
        ("!Not [!Condition IsProd]", "{\"Fn::Not\": [{Condition: IsProd}]}"),
        ("!And [!Condition IsDev, !Condition IsDev]", "{\"Fn::And\": [{Condition: IsDev}, {Condition: IsDev}]}"),
        ("!Or [!Condition IsProd, !Condition IsDev]", "{\"Fn::Or\": [{Condition: IsProd}, {Condition: IsDev}]}"),
        ("!Cidr [\"10.0.0.0/8\", 3, 16]", "{\"Fn::Cidr\": [\"10.0.0.0/8\", 3, 16]}"),
    ]

    @Test(arguments: shortAndLong)
    func shortFormEqualsLongForm(_ short: String, _ long: String) throws {
        let shortValue = try evaluate(short)
        #expect(shortValue != nil)
        #expect(shortValue == (try evaluate(long)))
    }

    @Test func sequenceAndMappingFormsOfShortTags() throws {
        // Block style under `V:` (which sits at column 13): continuation lines indented past it.
        func block(_ lines: [String]) -> String {
            lines[0] + lines.dropFirst().map { "\n" + String(repeating: " ", count: 14) + $0 }.joined()
        }
        let join = block(["!Join", "- \"-\"", "- - !Ref Stage", "  - !Sub", "    - \"${X}\"", "    - X: y"])
        #expect(try evaluate(join) == .string("dev-y"))
        let select = block(["!Select", "- 0", "- !Split", "  - \".\"", "  - !Sub \"${Stage}.x\""])
        #expect(try evaluate(select) == .string("dev"))
        let getAtt = block(["!GetAtt", "- Role", "- Arn"])
        #expect(try evaluate(getAtt) == .string("arn:aws:iam::123456789012:role/my-role"))
    }
}

import Foundation
import Testing

@testable import StandinKit

@Suite("--env-vars files and environment precedence")
struct EnvironmentTests {
    @Test("the file's Parameters apply to all, a function's section on top, by logical id then function name")
    func envVarsSections() throws {
        let file = try EnvVarsFile.parse(
            Data(#"{"Parameters":{"A":"p","B":"p"},"Fn":{"B":"logical","C":true},"my-fn":{"C":7,"D":null}}"#.utf8),
            fileName: "env.json")
        #expect(file.variables(logicalID: "Fn", functionName: "Fn") == ["A": "p", "B": "logical", "C": "true"])
        #expect(file.variables(logicalID: "Fn", functionName: "my-fn") == ["A": "p", "B": "logical", "C": "7"])
        #expect(file.variables(logicalID: "Other", functionName: "Other") == ["A": "p", "B": "p"])
    }

    @Test("a broken --env-vars file names the file, the line and column, and the key", arguments: [
        ("{", "env.json:1:"),
        ("{\n  \"Fn\": {\"X\": 1}\n  \"Y\": {}\n}", "env.json:3:"),
        ("[1]", "env.json:1:1: expected a JSON object"),
        (#"{"Fn": 3}"#, "env.json:1:2: Fn: expected an object"),
        (#"{"Fn": {"X": [1]}}"#, "env.json:1:9: Fn.X: expected a string, number or boolean"),
        ("{\n  \"Fn\": {\n    \"X\": [1]\n  }\n}", "env.json:3:5: Fn.X: expected a string, number or boolean"),
    ])
    func envVarsErrors(text: String, expected: String) {
        #expect {
            try EnvVarsFile.parse(Data(text.utf8), fileName: "env.json")
        } throws: { error in
            (error as? StandinError)?.description.hasPrefix(expected) == true
        }
    }

    @Test("template < shell (declared variables only) < file; the file may add variables")
    func precedence() {
        let merged = EnvironmentMerge.merge(
            template: ["T": "template", "S": "template", "F": "template"],
            shell: ["S": "shell", "F": "shell", "UNDECLARED": "shell"],
            file: ["F": "file", "NEW": "file"])
        #expect(merged == ["T": "template", "S": "shell", "F": "file", "NEW": "file"])
    }

    @Test("env output quotes for sh and dotenv")
    func render() {
        let variables = ["A": "plain", "B": "it's here", "C": "line\nbreak"]
        #expect(
            FunctionEnvironmentCommand.render(variables, format: .sh)
                == "export A=plain\nexport B='it'\\''s here'\nexport C='line\nbreak'\n")
        #expect(
            FunctionEnvironmentCommand.render(variables, format: .dotenv)
                == "A=plain\nB=\"it's here\"\nC=\"line\\nbreak\"\n")
    }

    @Test("exec drops the caller's credentials and profile, keeps the rest, adds the function's")
    func execEnvironment() {
        let env = FunctionEnvironmentCommand.execEnvironment(
            shell: ["PATH": "/bin", "AWS_PROFILE": "admin", "AWS_ACCESS_KEY_ID": "AKIACALLER",
                    "AWS_ENDPOINT_URL": "http://127.0.0.1:5000"],
            function: ["AWS_ACCESS_KEY_ID": "ASIAROLE", "AWS_SESSION_TOKEN": "token"])
        #expect(env == ["PATH": "/bin", "AWS_ENDPOINT_URL": "http://127.0.0.1:5000",
                        "AWS_ACCESS_KEY_ID": "ASIAROLE", "AWS_SESSION_TOKEN": "token"])
    }

    @Test("a bad event names its source, line and column")
    func badEvent() {
        #expect {
            try EventInput.validateJSON(Array("{\n  \"a\": 1,\n  oops\n}".utf8), source: "event.json")
        } throws: { error in
            let text = (error as? StandinError)?.description ?? ""
            return text.hasPrefix("event.json:3:3: the event is not valid JSON")
        }
    }
}

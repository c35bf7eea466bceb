import Foundation
import Testing
import TestSupport

@testable import StandinKit

@Suite("samconfig.toml and samconfig.yaml")
struct SAMConfigTests {
    static let toml = """
        version = 0.1
        [default.global.parameters]
        stack_name = "orders"
        region = "eu-west-1"

        [default.local_invoke.parameters]
        env_vars = "env.json"
        parameter_overrides = "Stage=dev Greeting='Hi there'"
        region = "us-west-2"

        [prod.local_invoke.parameters]
        parameter_overrides = ["Stage=prod"]
        """

    @Test("global, then the command's section; the command line wins")
    func precedence() throws {
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "samconfig.toml", Self.toml)
        var options = CommonOptions(workingDirectory: dir, environment: [:])
        options.region = "ap-south-1"
        try options.applySAMConfig(command: "local_invoke")
        #expect(options.region == "ap-south-1", "a flag beats the file")
        #expect(options.stackName == "orders", "global section")
        #expect(options.envVarsFile == "env.json")
        #expect(options.parameterOverrides == ["Stage=dev Greeting='Hi there'"])

        var other = CommonOptions(workingDirectory: dir, environment: [:])
        try other.applySAMConfig(command: "local_start_api")
        #expect(other.region == "eu-west-1")
        #expect(other.envVarsFile == nil)
    }

    @Test("--config-env picks another environment; lists stay lists")
    func configEnv() throws {
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "samconfig.toml", Self.toml)
        var options = CommonOptions(workingDirectory: dir, environment: [:])
        options.configEnvironment = "prod"
        try options.applySAMConfig(command: "local_invoke")
        #expect(options.parameterOverrides == ["Stage=prod"])
        #expect(options.stackName == nil)
    }

    @Test("samconfig.yaml is read the same way")
    func yaml() throws {
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "samconfig.yaml", """
            version: 0.1
            default:
              global:
                parameters:
                  stack_name: orders
              local_invoke:
                parameters:
                  env_vars: env.json
            """)
        var options = CommonOptions(workingDirectory: dir, environment: [:])
        try options.applySAMConfig(command: "local_invoke")
        #expect(options.stackName == "orders")
        #expect(options.envVarsFile == "env.json")
    }

    @Test("per-function roles kept in samconfig become --role Function=ARN")
    func roles() throws {
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "samconfig.toml", """
            [default.global.parameters]
            role = ["Orders=arn:aws:iam::123456789012:role/orders", "Billing=arn:aws:iam::123456789012:role/billing"]
            """)
        var options = CommonOptions(workingDirectory: dir, environment: [:])
        try options.applySAMConfig(command: "local_invoke")
        let flags = try RoleFlags(options.roles)
        #expect(flags.perFunction == [
            "Orders": "arn:aws:iam::123456789012:role/orders", "Billing": "arn:aws:iam::123456789012:role/billing",
        ])
        #expect(flags.forAll == nil)
    }

    @Test("a TOML syntax error names file, line and column")
    func syntaxError() throws {
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "samconfig.toml", "[default.global.parameters]\nstack_name = \n")
        var options = CommonOptions(workingDirectory: dir, environment: [:])
        #expect {
            try options.applySAMConfig(command: "local_invoke")
        } throws: { error in
            (error as? StandinError)?.description.contains("samconfig.toml:2:") == true
        }
    }

    /// Bytes TOMLKit's parser used to abort the process on (a non-ASCII bare table name, a stray byte), refused with
    /// the file, line and column instead.
    @Test("non-ASCII outside strings and invalid UTF-8 are located errors, not crashes", arguments: [
        (Array("version = 0.1\n[écho.local_invoke.parameters]\nregion = \"x\"\n".utf8), "2:2:"),
        (Array("version = 0.1\n[default.local_invoke.parameters]\nrégion = \"x\"\n".utf8), "3:2:"),
        (Array("version = 0.1\n[".utf8) + [0xC3] + Array("default]\n".utf8), "2:2:"),
    ])
    func hostileBytes(bytes: [UInt8], location: String) throws {
        let dir = try makeTemporaryDirectory()
        let file = dir.appendingPathComponent("samconfig.toml")
        try Data(bytes).write(to: file)
        var options = CommonOptions(workingDirectory: dir, environment: [:])
        #expect {
            try options.applySAMConfig(command: "local_invoke")
        } throws: { error in
            (error as? StandinError)?.description.hasPrefix(file.path + ":" + location) == true
        }
    }

    /// Non-ASCII text inside strings and comments is fine.
    @Test func nonASCIIInStringsAndCommentsIsRead() throws {
        let dir = try makeTemporaryDirectory()
        try writeFile(dir, "samconfig.toml", """
            version = 0.1 # café
            [default.local_invoke.parameters]
            parameter_overrides = "Greeting='héllo wörld'"
            "stack_name" = '''naïve'''
            """)
        var options = CommonOptions(workingDirectory: dir, environment: [:])
        try options.applySAMConfig(command: "local_invoke")
        #expect(options.parameterOverrides == ["Greeting='héllo wörld'"])
        #expect(options.stackName == "naïve")
    }

    /// An unterminated quote in `parameter_overrides` is named at the key's line and the value's column.
    @Test func aBrokenParameterOverridesIsLocated() throws {
        let dir = try makeTemporaryDirectory()
        let file = dir.appendingPathComponent("samconfig.toml")
        try writeFile(dir, "samconfig.toml", """
            version = 0.1
            [default.local_invoke.parameters]
            region = "eu-west-1"
            parameter_overrides = "Stage=dev Greeting='Hi there"
            """)
        var options = CommonOptions(workingDirectory: dir, environment: [:])
        #expect {
            try options.applySAMConfig(command: "local_invoke")
        } throws: { error in
            let text = (error as? StandinError)?.description ?? ""
            return text.hasPrefix(file.path + ":4:23: parameter_overrides: unterminated quote")
        }
    }
}

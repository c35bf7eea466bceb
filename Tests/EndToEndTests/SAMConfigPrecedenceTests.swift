import Foundation
import Testing
import TestSupport

/// samconfig.toml / samconfig.yaml through the real binary (fixture `samconfig-app`: a function that returns the
/// variables its parameters and `--env-vars` reach).
@Suite("samconfig precedence, end to end")
struct SAMConfigPrecedenceTests {
    static var app: URL { TestPaths.fixture("EndToEndTests", "samconfig-app") }

    /// A private copy of the app, so a test can add or remove config files.
    static func copyOfApp() throws -> URL {
        let copy = try makeTemporaryDirectory("samconfig").appendingPathComponent("app")
        try FileManager.default.copyItem(at: app, to: copy)
        return copy
    }

    /// Invokes the function in `dir` and returns what it saw.
    static func variables(_ cli: StandinCLI, in dir: URL, _ flags: [String] = []) throws -> [String: String] {
        let result = try cli.run(["invoke", "-d", "{}"] + flags, in: dir)
        #expect(result.status == 0, "\(flags): \(result.stderrText)")
        let object = try #require(jsonObject(result.stdout), "\(flags): \(result.stdoutText) \(result.stderrText)")
        return object.compactMapValues { $0 as? String }
    }

    @Test("[default.local_invoke.parameters]: parameter_overrides (quoted values whole) and env_vars; global stack_name")
    func defaultSection() throws {
        let cli = try StandinCLI()
        let seen = try Self.variables(cli, in: Self.app)
        #expect(seen["GREETING"] == "FromConfig")
        #expect(seen["COLOR"] == "sky blue", "Color=\"sky blue\" is one value")
        #expect(seen["FROM_ENV_VARS"] == "env.json")
        #expect(seen["STACK"] == "orders-dev", "[default.global.parameters] stack_name is AWS::StackName")
    }

    @Test("a command-line --parameter-overrides or --env-vars wins over the file")
    func commandLineWins() throws {
        let cli = try StandinCLI()
        let overrides = try Self.variables(cli, in: Self.app, ["--parameter-overrides", "Greeting=FromFlag"])
        #expect(overrides["GREETING"] == "FromFlag")
        #expect(overrides["COLOR"] == "red", "the flag replaces the file's overrides, as in SAM")
        #expect(overrides["FROM_ENV_VARS"] == "env.json", "other keys still come from the file")

        let envVars = try Self.variables(cli, in: Self.app, ["--env-vars", "other-env.json"])
        #expect(envVars["FROM_ENV_VARS"] == "other-env.json")
        #expect(envVars["GREETING"] == "FromConfig")

        let stack = try Self.variables(cli, in: Self.app, ["--stack-name", "flag-stack"])
        #expect(stack["STACK"] == "flag-stack")
    }

    @Test("--config-env prod reads the [prod.*] sections instead (a list of overrides)")
    func configEnvironment() throws {
        let cli = try StandinCLI()
        let seen = try Self.variables(cli, in: Self.app, ["--config-env", "prod"])
        #expect(seen["GREETING"] == "FromProd")
        #expect(seen["COLOR"] == "green")
        #expect(seen["STACK"] == "orders-prod")
        #expect(seen["FROM_ENV_VARS"] == "template", "prod names no env_vars")
    }

    @Test("--config-file other.toml replaces samconfig.toml")
    func configFile() throws {
        let cli = try StandinCLI()
        let seen = try Self.variables(cli, in: Self.app, ["--config-file", "other.toml"])
        #expect(seen["GREETING"] == "FromOther")
        #expect(seen["COLOR"] == "red")
        #expect(seen["FROM_ENV_VARS"] == "other-env.json")
        #expect(seen["STACK"] != "orders-dev", "nothing from samconfig.toml")

        let missing = try cli.run(["invoke", "-d", "{}", "--config-file", "nope.toml"], in: Self.app)
        #expect(missing.status == 2)
        #expect(missing.stderrText.contains("nope.toml"), "\(missing.stderrText)")
    }

    @Test("another command's section does not apply to invoke")
    func otherCommandSection() throws {
        let cli = try StandinCLI()
        let seen = try Self.variables(cli, in: Self.app)
        #expect(seen["GREETING"] != "OnlyForStartAPI")
    }

    @Test("samconfig.yaml is read when there is no samconfig.toml")
    func yaml() throws {
        let cli = try StandinCLI()
        let dir = try Self.copyOfApp()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("samconfig.toml"))
        try writeFile(dir, "samconfig.yaml", """
            version: 0.1
            default:
              global:
                parameters:
                  stack_name: yaml-stack
                  no_assume_role: true
              local_invoke:
                parameters:
                  parameter_overrides:
                    - Greeting=FromYaml
                    - Color=dark blue
                  env_vars: env.json
            """)
        let seen = try Self.variables(cli, in: dir)
        #expect(seen["GREETING"] == "FromYaml")
        #expect(seen["COLOR"] == "dark blue", "a list item with a space is one pair")
        #expect(seen["FROM_ENV_VARS"] == "env.json")
        #expect(seen["STACK"] == "yaml-stack")
    }

    @Test("a malformed samconfig.toml is a usage error naming the file and line")
    func malformed() throws {
        let cli = try StandinCLI()
        let dir = try Self.copyOfApp()
        try writeFile(dir, "samconfig.toml", """
            version = 0.1
            [default.local_invoke.parameters]
            parameter_overrides = "unterminated
            """)
        let result = try cli.run(["invoke", "-d", "{}"], in: dir)
        #expect(result.status == 2, "\(result.stderrText)")
        #expect(result.stderrText.contains("samconfig.toml:3:"), "\(result.stderrText)")
    }
}

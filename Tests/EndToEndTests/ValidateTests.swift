import Foundation
import Testing
import TestSupport

/// `standin validate` on broken, warning-only and clean projects (fixtures `validate-*`).
@Suite("standin validate, end to end")
struct ValidateTests {
    static func fixture(_ name: String) -> URL { TestPaths.fixture("EndToEndTests", "validate-\(name)") }

    /// The lines that are findings (`file:line:col: severity: message`), without the summary line.
    static func findings(_ output: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") || $0.contains(": warning: ") }
    }

    @Test(
        "each broken template: one finding at the right file:line:col, exit 1",
        arguments: [
            (
                "missing-handler", "template.yaml:8:16: error: Resources.Orders.Properties.Handler:",
                "no orders.py in src"
            ),
            ("bad-runtime", "template.yaml:7:16: error: Resources.Legacy.Properties.Runtime:", "python2.7"),
            ("timeout", "template.yaml:13:16: error: Resources.Slow.Properties.Timeout:", "901"),
            (
                "duplicate-route",
                "template.yaml:27:19: error: Resources.ListOrdersAgain.Properties.Events.Again.Properties.Path:",
                "duplicate route GET /orders"
            ),
            (
                "unknown-ref",
                "template.yaml:18:18: error: Resources.Reader.Properties.Environment.Variables.TABLE:",
                "OrdersTabel"
            ),
        ])
    func brokenTemplate(fixture: String, prefix: String, detail: String) throws {
        let cli = try StandinCLI()
        let result = try cli.run(["validate"], in: Self.fixture(fixture))
        #expect(result.status == 1, "\(result.stdoutText) \(result.stderrText)")
        let findings = Self.findings(result.stdoutText)
        #expect(findings.count == 1, "\(result.stdoutText)")
        let finding = try #require(findings.first)
        #expect(finding.hasPrefix(prefix), "\(finding)")
        #expect(finding.contains(detail), "\(finding)")
        #expect(result.stdoutText.contains("1 error, 0 warnings"), "\(result.stdoutText)")
    }

    @Test("a handler file without the handler's function is an error at the Handler")
    func missingFunction() throws {
        let cli = try StandinCLI()
        let dir = try makeTemporaryDirectory()
        let clean = try String(
            contentsOf: Self.fixture("clean").appendingPathComponent("template.yaml"), encoding: .utf8)
        try writeFile(dir, "template.yaml", clean.replacingOccurrences(of: "app.handler", with: "app.missing"))
        try writeFile(dir, "src/app.py", "def handler(event, context):\n    return 1\n")
        let result = try cli.run(["validate"], in: dir)
        #expect(result.status == 1)
        #expect(
            Self.findings(result.stdoutText) == [
                "template.yaml:8:16: error: Resources.Clean.Properties.Handler: app.py has no function missing "
                    + "(expected def missing(event, context))"
            ], "\(result.stdoutText)")
    }

    @Test("a serverless.yml: every finding at its line in serverless.yml, warnings and errors together")
    func serverless() throws {
        let cli = try StandinCLI()
        let result = try cli.run(["validate"], in: Self.fixture("serverless"))
        #expect(result.status == 1, "\(result.stdoutText) \(result.stderrText)")
        let findings = Self.findings(result.stdoutText)
        let expected = [
            "serverless.yml:5:12: warning: provider.runtime:",
            "serverless.yml:16:14: error: functions.noFile.handler:",
            "serverless.yml:19:14: error: functions.tooSlow.timeout:",
            "serverless.yml:22:14: error: functions.oldRuntime.runtime:",
            "serverless.yml:27:17: error: functions.clash.events[0].httpApi.path:",
        ]
        #expect(findings.count == expected.count, "\(result.stdoutText)")
        for (finding, prefix) in zip(findings, expected) {
            #expect(finding.hasPrefix(prefix), "\(finding) should start with \(prefix)")
        }
        #expect(result.stdoutText.hasSuffix("4 errors, 1 warning\n"), "\(result.stdoutText)")
    }

    @Test("a serverless.yml variable that cannot be resolved is a finding at its line")
    func serverlessUnresolvedVariable() throws {
        let cli = try StandinCLI()
        let result = try cli.run(["validate"], in: TestPaths.fixture("EndToEndTests", "serverless-unresolved"))
        #expect(result.status == 1, "\(result.stdoutText) \(result.stderrText)")
        let findings = Self.findings(result.stdoutText)
        #expect(findings.count == 1, "\(result.stdoutText)")
        #expect(
            findings.first?.hasPrefix("serverless.yml:11:14: error: functions.hello.environment.TABLE:") == true,
            "\(findings)")
    }

    @Test("validate reads [default.validate.parameters] from samconfig.toml")
    func samconfigSection() throws {
        let cli = try StandinCLI()
        let dir = try makeTemporaryDirectory()
        try FileManager.default.copyItem(at: Self.fixture("clean"), to: dir.appendingPathComponent("app"))
        let app = dir.appendingPathComponent("app")
        try writeFile(app, "samconfig.toml", """
            version = 0.1
            [default.validate.parameters]
            parameter_overrides = "Undeclared=1"
            """)
        // An override naming no parameter is a warning (SAM ignores it; standin says so).
        let result = try cli.run(["validate"], in: app)
        #expect(result.status == 0, "\(result.stdoutText) \(result.stderrText)")
        #expect(result.stdoutText.contains("warning: Parameters: --parameter-overrides names Undeclared"), "\(result.stdoutText)")
        let flag = try cli.run(["validate", "--config-env", "other"], in: app)
        #expect(flag.status == 0, "no [other.*] section: \(flag.stdoutText)")
        #expect(!flag.stdoutText.contains("Undeclared"), "\(flag.stdoutText)")
    }

    @Test("warnings alone leave the exit status 0")
    func warningsOnly() throws {
        let cli = try StandinCLI()
        let result = try cli.run(["validate"], in: Self.fixture("warnings"))
        #expect(result.status == 0, "\(result.stdoutText) \(result.stderrText)")
        let findings = Self.findings(result.stdoutText)
        #expect(findings.count == 1, "\(result.stdoutText)")
        #expect(findings.first?.hasPrefix("template.yaml:5:5: warning: Resources.NoRole:") == true, "\(findings)")
        #expect(result.stdoutText.contains("0 errors, 1 warning"))
    }

    @Test("a clean template says it is valid")
    func clean() throws {
        let cli = try StandinCLI()
        let result = try cli.run(["validate"], in: Self.fixture("clean"))
        #expect(result.status == 0, "\(result.stdoutText) \(result.stderrText)")
        #expect(result.stdoutText == "template.yaml is valid\n")
        let example = try cli.run(["validate"], in: StandinCLI.exampleApp)
        #expect(Self.findings(example.stdoutText).allSatisfy { !$0.contains(": error: ") }, "\(example.stdoutText)")
        #expect(example.status == 0, "\(example.stdoutText)")
    }

    @Test("--output json parses and carries each diagnostic's file, line, column, severity and path")
    func json() throws {
        let cli = try StandinCLI()
        let broken = try cli.run(["validate", "--output", "json"], in: Self.fixture("serverless"))
        #expect(broken.status == 1)
        let document = try #require(jsonObject(broken.stdout), "\(broken.stdoutText)")
        #expect(document["valid"] as? Bool == false)
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 5)
        let timeout = try #require(diagnostics.first { $0["path"] as? String == "functions.tooSlow.timeout" })
        #expect(timeout["file"] as? String == "serverless.yml")
        #expect(timeout["line"] as? Int == 19)
        #expect(timeout["column"] as? Int == 14)
        #expect(timeout["severity"] as? String == "error")
        #expect((timeout["message"] as? String)?.contains("1000") == true)
        #expect(diagnostics.filter { $0["severity"] as? String == "warning" }.count == 1)

        let clean = try cli.run(["validate", "-o", "json"], in: Self.fixture("clean"))
        #expect(clean.status == 0)
        let cleanDocument = try #require(jsonObject(clean.stdout), "\(clean.stdoutText)")
        #expect(cleanDocument["valid"] as? Bool == true)
        #expect((cleanDocument["diagnostics"] as? [Any])?.isEmpty == true)
    }

    @Test("-t validates a template elsewhere; no template at all is a finding too (exit 1)")
    func templateFlag() throws {
        let cli = try StandinCLI()
        let dir = try makeTemporaryDirectory()
        let result = try cli.run(
            ["validate", "-t", Self.fixture("timeout").appendingPathComponent("template.yaml").path], in: dir)
        #expect(result.status == 1)
        #expect(Self.findings(result.stdoutText).first?.contains(":13:16: error:") == true, "\(result.stdoutText)")
        let missing = try cli.run(["validate"], in: dir)
        #expect(missing.status == 1, "\(missing.stdoutText) \(missing.stderrText)")
        #expect(missing.stdoutText.contains("error: no template found"), "\(missing.stdoutText)")
    }
}

import Foundation
import TestSupport
import Testing

@testable import AWSAuth

/// Parsing the shared config and credentials files the way the AWS CLI does.
struct SharedConfigFilesTests {
    static let fixture = TestPaths.fixture("AWSAuthTests", "config-edge")

    func loadFixture() throws -> SharedConfigFiles {
        try SharedConfigFiles.load(environment: [
            "AWS_CONFIG_FILE": Self.fixture.appendingPathComponent("config").path,
            "AWS_SHARED_CREDENTIALS_FILE": Self.fixture.appendingPathComponent("credentials").path,
            "HOME": "/nonexistent",
        ])
    }

    @Test func readsProfilesSectionsAndNestedValues() throws {
        let files = try loadFixture()
        #expect(files.profile(named: "default")?["region"] == "us-west-2")
        let dev = try #require(files.profile(named: "dev"))
        #expect(dev["region"] == "eu-west-1 ; not a comment for the AWS CLI")  // no inline comments, keys lower-cased
        #expect(dev["role_arn"] == "arn:aws:iam::123456789012:role/dev")  // `:` separates too
        #expect(dev.section("s3") == ["max_concurrent_requests": "10", "addressing_style": "path"])
        #expect(files.profile(named: "spaced name")?["region"] == "ap-south-1")
        #expect(files.profile(named: "plain") == nil)  // [x] in config is a profile only for default
        #expect(files.profile(named: "profile notaprofile") != nil)  // credentials file: names as written
        #expect(files.profile(named: "notaprofile") == nil)
        #expect(files.serviceSettings(section: "local", service: "sts") == ["endpoint_url": "http://127.0.0.1:4566"])
        #expect(files.ssoSessions["corp"]?["sso_region"] == .string("us-east-1"))
        #expect(files.profile(named: "base")?["description"] == "first line\nsecond line")
    }

    @Test func credentialsFileOverridesConfigForTheSameProfile() throws {
        let files = try loadFixture()
        let base = try #require(files.profile(named: "base"))
        #expect(base["aws_access_key_id"] == "AKIACREDSBASE0000001")
        #expect(base.file(for: "aws_access_key_id").hasSuffix("config-edge/credentials"))
        #expect(base.file(for: "description").hasSuffix("config-edge/config"))
        #expect(files.profile(named: "credsonly")?["aws_session_token"] == "token-value")
    }

    /// Runs botocore itself (the AWS CLI's parser) over the same files and compares every profile and section.
    @Test func matchesBotocore() throws {
        guard let python = try TestPaths.requireVenvTool("python") else { return }
        let result = try runProcess(
            python.path,
            [
                Self.fixture.appendingPathComponent("botocore_dump.py").path,
                Self.fixture.appendingPathComponent("config").path,
                Self.fixture.appendingPathComponent("credentials").path,
            ])
        #expect(result.status == 0, "\(result.stderrText)")
        let expected = try JSONSerialization.jsonObject(with: result.stdout)
        let files = try loadFixture()
        func plain(_ values: [String: ConfigValue]) -> [String: Any] {
            values.mapValues { value -> Any in
                switch value {
                case .string(let text): text
                case .section(let nested): nested
                }
            }
        }
        let ours: [String: Any] = [
            "profiles": files.profiles.mapValues { plain($0.values) },
            "services": files.services.mapValues(plain),
            "sso_sessions": files.ssoSessions.mapValues(plain),
        ]
        let lhs = try JSONSerialization.data(withJSONObject: ours, options: [.sortedKeys])
        let rhs = try JSONSerialization.data(withJSONObject: expected, options: [.sortedKeys])
        #expect(String(decoding: lhs, as: UTF8.self) == String(decoding: rhs, as: UTF8.self))
    }

    @Test(arguments: [
        ("[default]\nregion = a\n[default]\nregion = b\n", "appears twice"),
        ("[default]\nregion = a\nregion = b\n", "key region appears twice"),
        ("region = a\n[default]\n", "before the first [section]"),
        ("[default]\njust words\n", "expected `key = value`"),
    ])
    func rejectsWhatBotocoreRejects(text: String, message: String) {
        #expect {
            _ = try SharedConfigFiles(configText: text, configFile: "/x/config", credentialsText: nil)
        } throws: { error in
            "\(error)".contains(message) && "\(error)".hasPrefix("/x/config:")
        }
    }

    @Test func defaultsToHomeAndToleratesMissingFiles() throws {
        let home = try makeTemporaryDirectory()
        let files = try SharedConfigFiles.load(environment: ["HOME": home.path])
        #expect(files.configFile == home.path + "/.aws/config")
        #expect(files.credentialsFile == home.path + "/.aws/credentials")
        #expect(files.profiles.isEmpty)
    }

    @Test func splitsCommandLinesLikeShlex() throws {
        #expect(
            try ShellWords.split(#"/bin/tool --flag "two words" 'single $x' a\ b"#)
                == ["/bin/tool", "--flag", "two words", "single $x", "a b"])
        #expect(try ShellWords.split(#"profile "my profile""#) == ["profile", "my profile"])
        #expect(throws: AWSAuthError.self) { try ShellWords.split("unbalanced 'quote") }
    }
}

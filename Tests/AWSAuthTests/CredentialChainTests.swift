import AWSAuth
import AsyncHTTPClient
import Foundation
import TestSupport
import Testing

/// The chain's order and the profile rules, without network: metadata lookups are switched off.
struct CredentialChainTests {
    /// A temporary HOME with the given config and credentials files.
    struct Home {
        let url: URL
        init(config: String? = nil, credentials: String? = nil) throws {
            url = try makeTemporaryDirectory("standin-auth")
            if let config { try writeFile(url, ".aws/config", config) }
            if let credentials { try writeFile(url, ".aws/credentials", credentials) }
        }
        var configPath: String { url.path + "/.aws/config" }
        var credentialsPath: String { url.path + "/.aws/credentials" }
        func environment(_ extra: [String: String] = [:]) -> [String: String] {
            ["HOME": url.path, "AWS_EC2_METADATA_DISABLED": "true", "PATH": "/usr/bin:/bin"].merging(extra) { $1 }
        }
    }

    static let envKeys = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]
    static let config = """
        [default]
        region = eu-west-1
        [profile dev]
        aws_access_key_id = AKIACONFIGDEV
        aws_secret_access_key = config-dev-secret
        region = eu-central-1
        [profile proc]
        credential_process = /bin/false
        aws_access_key_id = AKIACONFIGPROC
        aws_secret_access_key = x
        [profile norole]
        role_arn = arn:aws:iam::123456789012:role/r
        [profile both]
        role_arn = arn:aws:iam::123456789012:role/r
        source_profile = dev
        credential_source = Environment
        [profile loop-a]
        role_arn = arn:aws:iam::123456789012:role/a
        source_profile = loop-b
        [profile loop-b]
        role_arn = arn:aws:iam::123456789012:role/b
        source_profile = loop-a
        [profile self-no-keys]
        role_arn = arn:aws:iam::123456789012:role/s
        source_profile = self-no-keys
        [profile missing-source]
        role_arn = arn:aws:iam::123456789012:role/s
        source_profile = nowhere
        [profile mfa]
        role_arn = arn:aws:iam::123456789012:role/m
        source_profile = dev
        mfa_serial = arn:aws:iam::123456789012:mfa/me
        [profile badsource]
        role_arn = arn:aws:iam::123456789012:role/m
        credential_source = Somewhere
        """
    static let credentials = """
        [default]
        aws_access_key_id = AKIACREDSDEFAULT
        aws_secret_access_key = creds-default-secret
        [dev]
        aws_session_token = creds-dev-token
        [proc]
        aws_access_key_id = AKIACREDSPROC
        aws_secret_access_key = creds-proc-secret
        [partial]
        aws_access_key_id = AKIAPARTIAL
        """

    func resolve(
        _ home: Home, profile: String? = nil, env: [String: String] = [:], region: String? = nil
    ) async throws
        -> AWSContext
    {
        try await CredentialChain.resolve(
            CredentialResolverOptions(
                profile: profile, region: region, environment: home.environment(env), cache: .some(nil)),
            httpClient: HTTPClient.shared)
    }

    @Test func environmentKeysWinOverTheDefaultAndAWSProfile() async throws {
        let home = try Home(config: Self.config, credentials: Self.credentials)
        let context = try await resolve(home, env: Self.envKeys.merging(["AWS_PROFILE": "dev"]) { $1 })
        #expect(context.credentials.accessKeyID == "AKIAENV")
        #expect(context.source == "environment")
        #expect(context.profile == "dev")
        #expect(context.region == "eu-central-1")
    }

    @Test func anExplicitProfileDropsTheEnvironmentKeys() async throws {
        let home = try Home(config: Self.config, credentials: Self.credentials)
        let context = try await resolve(home, profile: "dev", env: Self.envKeys)
        #expect(context.credentials.accessKeyID == "AKIACONFIGDEV")
        #expect(context.credentials.sessionToken == "creds-dev-token")  // credentials file adds to the config's keys
        #expect(context.source == "profile dev (static keys in \(home.configPath))")
    }

    @Test func theDefaultProfileComesFromTheCredentialsFile() async throws {
        let home = try Home(config: Self.config, credentials: Self.credentials)
        let context = try await resolve(home)
        #expect(context.credentials.accessKeyID == "AKIACREDSDEFAULT")
        #expect(context.source == "profile default (static keys in \(home.credentialsPath))")
        #expect(context.region == "eu-west-1")
    }

    @Test func regionPrecedence() async throws {
        let home = try Home(config: Self.config, credentials: Self.credentials)
        #expect(try await resolve(home, env: ["AWS_DEFAULT_REGION": "ap-east-1"]).region == "ap-east-1")
        #expect(
            try await resolve(home, env: ["AWS_DEFAULT_REGION": "ap-east-1", "AWS_REGION": "sa-east-1"]).region
                == "sa-east-1")
        #expect(try await resolve(home, env: ["AWS_REGION": "sa-east-1"], region: "us-west-1").region == "us-west-1")
    }

    @Test func credentialsFileKeysComeBeforeCredentialProcess() async throws {
        let home = try Home(config: Self.config, credentials: Self.credentials)
        let context = try await resolve(home, profile: "proc")
        #expect(context.credentials.accessKeyID == "AKIACREDSPROC")
    }

    @Test func credentialProcessComesBeforeConfigFileKeys() async throws {
        let home = try Home(config: Self.config)
        let script = try writeFile(
            home.url, "bin/creds",
            """
            #!/bin/sh
            printf '{"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "proc-secret", "SessionToken": "t", '
            printf '"Expiration": "2030-01-01T00:00:00Z", "Args": "%s|%s"}' "$1" "$2"
            """, executable: true)
        let config = Self.config.replacingOccurrences(
            of: "credential_process = /bin/false", with: "credential_process = \(script.path) \"two words\" 'x y'")
        try writeFile(home.url, ".aws/config", config)
        let context = try await resolve(home, profile: "proc")
        #expect(context.credentials.accessKeyID == "AKIAPROC")
        #expect(context.credentials.sessionToken == "t")
        #expect(context.credentials.expiration == Date(timeIntervalSince1970: 1_893_456_000))
        #expect(context.source.hasPrefix("profile proc (credential_process"))
    }

    @Test func credentialProcessReceivesSplitArguments() async throws {
        let dir = try makeTemporaryDirectory()
        let script = try writeFile(
            dir, "echo-args",
            """
            #!/bin/sh
            printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"%s"}' "$1" "$2"
            """, executable: true)
        let credentials = try await CredentialProcess.run(
            "\(script.path) \"two words\" 'x y'", environment: ["PATH": "/usr/bin:/bin"], profile: "p")
        #expect(credentials.accessKeyID == "two words")
        #expect(credentials.secretAccessKey == "x y")
        #expect(credentials.sessionToken == nil)
    }

    @Test func credentialProcessFailureCarriesStderr() async throws {
        let dir = try makeTemporaryDirectory()
        let script = try writeFile(
            dir, "fail", "#!/bin/sh\necho 'token expired, run login' >&2\nexit 3\n", executable: true)
        await #expect {
            _ = try await CredentialProcess.run(script.path, environment: [:], profile: "p")
        } throws: { error in
            "\(error)" == "credential_process of profile \"p\" (\(script.path)) exited with status 3: "
                + "token expired, run login"
        }
        let wrongVersion = try writeFile(
            dir, "v2", #"#!/bin/sh"# + "\necho '{\"Version\": 2, \"AccessKeyId\": \"a\"}'\n", executable: true)
        await #expect {
            _ = try await CredentialProcess.run(wrongVersion.path, environment: [:], profile: "p")
        } throws: { error in
            "\(error)".contains("unsupported Version 2")
        }
        await #expect {
            _ = try await CredentialProcess.run("no-such-tool-standin", environment: ["PATH": dir.path], profile: "p")
        } throws: { error in
            "\(error)".contains("no-such-tool-standin not found")
        }
    }

    @Test(arguments: [
        ("norole", "profile \"norole\" in CONFIG: role_arn needs source_profile or credential_source"),
        ("both", "profile \"both\" in CONFIG: has both source_profile and credential_source; keep one"),
        ("loop-a", "profile \"loop-b\" in CONFIG: source_profile loop: loop-a -> loop-b -> loop-a"),
        ("self-no-keys", "profile \"self-no-keys\" in CONFIG: source_profile loop: self-no-keys -> self-no-keys"),
        ("missing-source", "profile \"missing-source\" in CONFIG: source_profile \"nowhere\" does not exist"),
        ("mfa", "profile \"mfa\" in CONFIG: needs an MFA code for arn:aws:iam::123456789012:mfa/me; none was given"),
        ("badsource", "profile \"badsource\" in CONFIG: credential_source Somewhere is not valid"),
        ("partial", "profile \"partial\" in CREDENTIALS: aws_access_key_id without aws_secret_access_key"),
        ("absent", "the config profile (absent) could not be found"),
    ])
    func profileErrorsNameTheProfileAndFile(profile: String, message: String) async throws {
        let home = try Home(config: Self.config, credentials: Self.credentials)
        let expected = message.replacingOccurrences(of: "CONFIG", with: home.configPath)
            .replacingOccurrences(of: "CREDENTIALS", with: home.credentialsPath)
        await #expect {
            _ = try await resolve(home, profile: profile)
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }

    @Test func nothingConfiguredIsAClearError() async throws {
        let home = try Home()
        await #expect {
            _ = try await resolve(home)
        } throws: { error in
            (error as? AWSAuthError)?.isNoCredentials == true && "\(error)".contains("no AWS credentials found")
        }
    }

    @Test func partialEnvironmentKeysAreAnError() async throws {
        let home = try Home()
        await #expect(throws: AWSAuthError.self) {
            _ = try await resolve(home, env: ["AWS_ACCESS_KEY_ID": "AKIAONLY"])
        }
    }

    @Test func containerURIsMustBeLocal() async throws {
        let home = try Home()
        await #expect {
            _ = try await resolve(home, env: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"])
        } throws: { error in
            "\(error)".contains("must be a loopback address")
        }
    }

    @Test func descriptionNeverShowsSecrets() {
        let credentials = Credentials(accessKeyID: "AKIAX", secretAccessKey: "very-secret", sessionToken: "tok-secret")
        #expect(!"\(credentials)".contains("very-secret"))
        #expect(!"\(credentials)".contains("tok-secret"))
        #expect(!String(reflecting: credentials).contains("very-secret"))
        #expect("\(credentials)".contains("AKIAX"))
    }

    @Test func trustPolicyStatementNamesTheCallerPrincipal() {
        #expect(
            TrustPolicyAdvice.statement(
                callerARN: "arn:aws:sts::123456789012:assumed-role/Admin/alice", roleARN: "arn:aws:iam::1:role/x")
                == #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/Admin"},"#
                + #""Action":"sts:AssumeRole"}"#
        )
        #expect(
            TrustPolicyAdvice.statement(callerARN: "arn:aws:iam::123456789012:user/bob", roleARN: "r")
                == #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"#
                + #""Action":"sts:AssumeRole"}"#
        )
        #expect(
            TrustPolicyAdvice.explanation(callerARN: "arn:aws:iam::1:user/b", roleARN: "arn:aws:iam::1:role/r")
                .contains("may not assume arn:aws:iam::1:role/r"))
    }

    @Test func sessionNamesAreSanitised() {
        #expect(RoleAssumer.sessionName(for: "Hello World/fn") == "standin-Hello-World-fn")
        #expect(RoleAssumer.sessionName(for: String(repeating: "a", count: 100)).count == 64)
        #expect(RoleAssumer.sessionName(for: "a+b=c,d.e@f_g-h") == "standin-a+b=c,d.e@f_g-h")
    }
}

import AWSAuth
import AsyncHTTPClient
import Foundation
import TestSupport
import Testing

/// STS, CloudFormation, the chain and the cache against a real `moto_server`.
struct MotoIntegrationTests {
    struct Setup: Decodable {
        struct User: Decodable {
            var arn: String
            var accessKeyID: String
            var secretAccessKey: String
            var credentials: Credentials { Credentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey) }
        }
        var trusted: User
        var untrusted: User
        var roleARN: String
        var stackName: String
    }

    /// Creates users, a role trusting only `trusted`, and a stack (Fixtures/moto/setup_iam.py).
    func setUp(_ moto: MotoServer) throws -> Setup {
        let python = try #require(TestPaths.venvTool("python"))
        let script = TestPaths.fixture("AWSAuthTests", "moto/setup_iam.py")
        let result = try runProcess(python.path, [script.path, moto.endpoint])
        #expect(result.status == 0, "\(result.stderrText)")
        return try JSONDecoder().decode(Setup.self, from: result.stdout)
    }

    /// Turns on IAM enforcement. moto reads the count from the raw body, so the body must not be sent as a form
    /// (TestSupport's `curl -d 0` is form-encoded and moto answers 500); fall back to a plain-text body.
    func enableEnforcement(_ moto: MotoServer) throws {
        do {
            try moto.enableIAMEnforcement()
        } catch {
            let result = try runProcess(
                "curl",
                [
                    "-sS", "-f", "-X", "POST", "-H", "Content-Type: text/plain", "--data-binary", "0",
                    "\(moto.endpoint)/moto-api/reset-auth",
                ], timeout: 30)
            #expect(result.status == 0, "\(result.stderrText)")
        }
    }

    func endpoint(_ moto: MotoServer) throws -> URL { try #require(URL(string: moto.endpoint)) }

    @Test(.timeLimit(.minutes(2)))
    func assumeRoleWithIAMEnforcement() async throws {
        guard let moto = try MotoServer.start() else { return }
        defer { stopMoto(moto) }
        let setup = try setUp(moto)
        try enableEnforcement(moto)
        let url = try endpoint(moto)
        let client = HTTPClient.shared

        let trusted = STSClient(
            credentials: setup.trusted.credentials, region: "us-east-1", endpoint: url, httpClient: client)
        #expect(try await trusted.getCallerIdentity().arn == setup.trusted.arn)
        let assumed = try await trusted.assumeRole(
            AssumeRoleRequest(roleARN: setup.roleARN, roleSessionName: "standin-fn", durationSeconds: 900))
        #expect(assumed.assumedRoleARN == "arn:aws:sts::123456789012:assumed-role/standin-fn-role/standin-fn")
        #expect(assumed.credentials.sessionToken?.isEmpty == false)
        #expect(assumed.credentials.expiration.map { $0 > Date() } == true)

        let asRole = STSClient(credentials: assumed.credentials, region: "us-east-1", endpoint: url, httpClient: client)
        let identity = try await asRole.getCallerIdentity()
        #expect(identity.arn == "arn:aws:sts::123456789012:assumed-role/standin-fn-role/standin-fn")
        #expect(identity.account == "123456789012")

        let untrusted = STSClient(
            credentials: setup.untrusted.credentials, region: "us-east-1", endpoint: url, httpClient: client)
        await #expect {
            _ = try await untrusted.assumeRole(AssumeRoleRequest(roleARN: setup.roleARN, roleSessionName: "standin-fn"))
        } throws: { error in
            guard let error = error as? AWSServiceError else { return false }
            return error.isAccessDenied && error.httpStatus == 403 && error.message.contains("is not authorized")
                && "\(error)".hasPrefix("sts:AssumeRole failed (HTTP 403 AccessDenied): User: \(setup.untrusted.arn)")
        }

        let cloudFormation = CloudFormationClient(
            credentials: setup.trusted.credentials, region: "us-east-1", endpoint: url, httpClient: client)
        let resource = try await cloudFormation.describeStackResource(
            stackName: setup.stackName, logicalResourceID: "FnRole")
        #expect(resource.physicalResourceID == "deployed-fn-role")
        #expect(resource.resourceType == "AWS::IAM::Role")
        #expect(resource.resourceStatus == "CREATE_COMPLETE")
        await #expect {
            _ = try await cloudFormation.describeStackResource(stackName: "no-such-stack", logicalResourceID: "FnRole")
        } throws: { error in
            (error as? AWSServiceError).map { $0.code == "ValidationError" && $0.httpStatus == 400 } == true
        }

        // The high-level assumer: STS once, then the cache (0600 file in a 0700 folder).
        let cacheDirectory = try makeTemporaryDirectory().appendingPathComponent("cache")
        let cache = AssumedRoleCache(directory: cacheDirectory)
        let assumer = RoleAssumer(
            callerCredentials: setup.trusted.credentials, sts: trusted, roleARN: setup.roleARN,
            functionName: "Hello World", durationSeconds: 900, cache: cache, refreshMargin: 60)
        let first = try await assumer.result()
        #expect(first.assumedRoleARN.hasSuffix("/standin-fn-role/standin-Hello-World"))
        let file = cache.fileURL(assumer.cacheKey)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: cacheDirectory.path)
        #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let again = RoleAssumer(
            callerCredentials: setup.untrusted.credentials, sts: untrusted, roleARN: setup.roleARN,
            functionName: "Hello World", durationSeconds: 900, cache: cache, refreshMargin: 5 * 60)
        // From the file: the untrusted caller never calls STS.
        #expect(try await again.credentials() == first.credentials)
        let expiring = RoleAssumer(
            callerCredentials: setup.untrusted.credentials, sts: untrusted, roleARN: setup.roleARN,
            functionName: "Hello World", durationSeconds: 900, cache: cache, refreshMargin: 16 * 60)
        await #expect(throws: AWSServiceError.self) { _ = try await expiring.credentials() }  // 15 min left < 16 min

        // The chain: a profile with role_arn + source_profile, endpoint from AWS_ENDPOINT_URL.
        let home = try makeTemporaryDirectory()
        try writeFile(
            home, ".aws/config",
            """
            [profile fn]
            role_arn = \(setup.roleARN)
            source_profile = caller
            role_session_name = from-profile
            region = us-east-1
            [profile denied]
            role_arn = \(setup.roleARN)
            source_profile = stranger
            """)
        try writeFile(
            home, ".aws/credentials",
            """
            [caller]
            aws_access_key_id = \(setup.trusted.accessKeyID)
            aws_secret_access_key = \(setup.trusted.secretAccessKey)
            [stranger]
            aws_access_key_id = \(setup.untrusted.accessKeyID)
            aws_secret_access_key = \(setup.untrusted.secretAccessKey)
            """)
        let environment = [
            "HOME": home.path, "AWS_ENDPOINT_URL": moto.endpoint, "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ACCESS_KEY_ID": "AKIAIGNORED", "AWS_SECRET_ACCESS_KEY": "ignored",
        ]
        let context = try await CredentialChain.resolve(
            CredentialResolverOptions(profile: "fn", environment: environment), httpClient: client)
        #expect(context.source == "profile fn (assume role \(setup.roleARN) via profile caller)")
        let chained = STSClient(
            credentials: context.credentials, region: context.region, endpoint: context.endpoint(for: .sts),
            httpClient: client)
        #expect(try await chained.getCallerIdentity().arn.hasSuffix(":assumed-role/standin-fn-role/from-profile"))
        let cached = try await CredentialChain.resolve(
            CredentialResolverOptions(profile: "fn", environment: environment), httpClient: client)
        #expect(cached.source.hasSuffix("[cached]"))
        #expect(cached.credentials == context.credentials)
        await #expect {
            _ = try await CredentialChain.resolve(
                CredentialResolverOptions(profile: "denied", environment: environment), httpClient: client)
        } throws: { error in
            "\(error)".contains("AccessDenied") && "\(error)".contains("(profile \"denied\" assuming \(setup.roleARN))")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func roleChainsAndTheAWSCLICacheKey() async throws {
        guard let moto = try MotoServer.start(), let aws = try TestPaths.requireVenvTool("aws") else { return }
        defer { stopMoto(moto) }
        let home = try makeTemporaryDirectory()
        let roleA = "arn:aws:iam::123456789012:role/role-a"
        let roleB = "arn:aws:iam::123456789012:role/role-b"
        try writeFile(
            home, ".aws/config",
            """
            [profile base]
            aws_access_key_id = AKIAEXAMPLEBASE00001
            aws_secret_access_key = base-secret
            region = us-east-1
            [profile r]
            role_arn = \(roleA)
            source_profile = base
            external_id = ext-1
            duration_seconds = 1800
            [profile named]
            role_arn = \(roleA)
            source_profile = base
            role_session_name = my-session
            [profile chain]
            role_arn = \(roleB)
            source_profile = r
            [profile self]
            role_arn = \(roleB)
            source_profile = self
            aws_access_key_id = AKIAEXAMPLESELF00001
            aws_secret_access_key = self-secret
            [profile mfa]
            role_arn = \(roleB)
            source_profile = base
            mfa_serial = arn:aws:iam::123456789012:mfa/dev
            """)
        let environment = [
            "HOME": home.path, "AWS_ENDPOINT_URL": moto.endpoint, "AWS_EC2_METADATA_DISABLED": "true",
            "PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1",
        ]
        // The AWS CLI assumes the role and writes its cache file; standin must derive the same name.
        for (profile, request, generated) in [
            (
                "r",
                AssumeRoleRequest(roleARN: roleA, roleSessionName: "x", durationSeconds: 1800, externalID: "ext-1"),
                true
            ),
            ("named", AssumeRoleRequest(roleARN: roleA, roleSessionName: "my-session"), false),
        ] {
            let cacheDirectory = home.appendingPathComponent(".aws/cli/cache")
            try? FileManager.default.removeItem(at: cacheDirectory)
            let result = try runProcess(
                aws.path, ["sts", "get-caller-identity", "--profile", profile], environment: environment)
            #expect(result.status == 0, "\(result.stderrText)")
            let written = try FileManager.default.contentsOfDirectory(atPath: cacheDirectory.path)
            let key = AssumedRoleCache.key(for: request, sessionNameIsGenerated: generated)
            #expect(written == ["\(key).json"])
            // ... and standin uses the AWS CLI's entry.
            let entry =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: cacheDirectory.appendingPathComponent("\(key).json"))) as? [String: Any]
            let cliKeyID = (entry?["Credentials"] as? [String: Any])?["AccessKeyId"] as? String
            let context = try await CredentialChain.resolve(
                CredentialResolverOptions(profile: profile, environment: environment), httpClient: HTTPClient.shared)
            #expect(context.credentials.accessKeyID == cliKeyID)
            #expect(context.source.hasSuffix("[cached]"))
        }

        // base -> role-a (r) -> role-b (chain).
        let options = CredentialResolverOptions(profile: "chain", environment: environment, cache: .some(nil))
        let chain = try await CredentialChain.resolve(options, httpClient: HTTPClient.shared)
        let identity = try await STSClient(
            credentials: chain.credentials, region: chain.region, endpoint: chain.endpoint(for: .sts),
            httpClient: HTTPClient.shared
        ).getCallerIdentity()
        #expect(identity.arn.contains(":assumed-role/role-b/botocore-session-"))

        // Web identity from the environment (AssumeRoleWithWebIdentity is sent unsigned).
        let tokenFile = try writeFile(home, "token.jwt", "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl\n")
        let web = try await CredentialChain.resolve(
            CredentialResolverOptions(
                environment: environment.merging([
                    "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile.path, "AWS_ROLE_ARN": roleA,
                    "AWS_ROLE_SESSION_NAME": "web-session",
                ]) { $1 }, cache: .some(nil)),
            httpClient: HTTPClient.shared)
        #expect(web.source == "web identity (assume role \(roleA) with \(tokenFile.path))")
        let webIdentity = try await STSClient(
            credentials: web.credentials, region: web.region, endpoint: web.endpoint(for: .sts),
            httpClient: HTTPClient.shared
        ).getCallerIdentity()
        #expect(webIdentity.arn.hasSuffix(":assumed-role/role-a/web-session"))

        // A profile may name itself as source when it has static keys.
        let selfContext = try await CredentialChain.resolve(
            CredentialResolverOptions(profile: "self", environment: environment, cache: .some(nil)),
            httpClient: HTTPClient.shared)
        #expect(selfContext.source == "profile self (assume role \(roleB) via profile self)")

        // MFA: the code comes from the prompt callback, which is shown the serial.
        let prompted = PromptLog()
        let mfaContext = try await CredentialChain.resolve(
            CredentialResolverOptions(
                profile: "mfa", environment: environment,
                mfaPrompt: { prompt in
                    await prompted.record(prompt)
                    return "123456"
                }, cache: .some(nil)),
            httpClient: HTTPClient.shared)
        #expect(mfaContext.credentials.sessionToken != nil)
        #expect(await prompted.prompts == ["Enter MFA code for arn:aws:iam::123456789012:mfa/dev: "])
    }

    @Test(.timeLimit(.minutes(2)))
    func nonXMLErrorAnswersStayReadable() async throws {
        guard let moto = try MotoServer.start() else { return }
        defer { stopMoto(moto) }
        // moto's own API answers a form-encoded POST here with a 500 HTML page.
        let url = try #require(URL(string: "\(moto.endpoint)/moto-api/reset-auth"))
        let sts = STSClient(
            credentials: Credentials(accessKeyID: "AKIAX", secretAccessKey: "x"), region: "us-east-1", endpoint: url,
            httpClient: HTTPClient.shared)
        await #expect {
            _ = try await sts.getCallerIdentity()
        } throws: { error in
            guard let error = error as? AWSServiceError else { return false }
            return error.httpStatus == 500 && error.code == "HTTP500" && error.message.hasPrefix("unexpected answer: <")
                && error.message.count <= 222
        }
        let closed = try #require(URL(string: "http://127.0.0.1:\(freeLoopbackPort())"))
        let nowhere = STSClient(
            credentials: Credentials(accessKeyID: "AKIAX", secretAccessKey: "x"), region: "us-east-1",
            endpoint: closed, httpClient: HTTPClient.shared, timeout: .seconds(1))
        await #expect {
            _ = try await nowhere.getCallerIdentity()
        } throws: { error in
            "\(error)".hasPrefix("sts:GetCallerIdentity to \(closed.absoluteString)/ failed")
        }
    }
}

/// Stops moto_server with SIGKILL first: on SIGTERM it waits for its request threads, and the shared HTTPClient keeps
/// idle keep-alive connections open, so `MotoServer.stop()` (SIGTERM, then wait) alone would wait forever.
func stopMoto(_ moto: MotoServer) {
    kill(moto.process.processIdentifier, SIGKILL)
    moto.stop()
}

/// Records MFA prompts.
actor PromptLog {
    var prompts: [String] = []
    func record(_ prompt: String) { prompts.append(prompt) }
}

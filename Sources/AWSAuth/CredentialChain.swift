import AsyncHTTPClient
import Foundation
import Logging

/// The standard credential chain, in the AWS CLI's order (botocore `create_credential_resolver`, REFERENCE.md §8):
///
/// 1. environment keys (`AWS_ACCESS_KEY_ID`, …), skipped when `--profile` is given;
/// 2. the profile's `role_arn` (with `source_profile` or `credential_source`; chains; loop detection; MFA);
/// 3. web identity (`web_identity_token_file` / `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`);
/// 4. static keys from the credentials file;
/// 5. `credential_process`;
/// 6. static keys from the config file;
/// 7. container credentials; 8. EC2 instance metadata.
///
/// SSO profiles are recognised and reported as unsupported.
public struct CredentialChain: Sendable {
    let options: CredentialResolverOptions
    let files: SharedConfigFiles
    let httpClient: HTTPClient
    let region: String

    /// Resolves the caller's credentials and region.
    /// - Throws: `AWSAuthError` naming the profile and file for configuration problems, `AWSServiceError` when an
    ///   STS call fails.
    public static func resolve(_ options: CredentialResolverOptions, httpClient: HTTPClient) async throws -> AWSContext
    {
        let files = try SharedConfigFiles.load(environment: options.environment)
        return try await resolve(options, files: files, httpClient: httpClient)
    }

    /// Resolves with already-loaded config files.
    public static func resolve(
        _ options: CredentialResolverOptions, files: SharedConfigFiles, httpClient: HTTPClient
    ) async throws -> AWSContext {
        let profileName = options.effectiveProfileName
        let profile = files.profile(named: profileName)
        if profile == nil, options.profileWasNamed {
            throw AWSAuthError.configuration(
                "the config profile (\(profileName)) could not be found in \(files.configFile) or "
                    + files.credentialsFile
            )
        }
        let region =
            nonEmpty(options.region) ?? nonEmpty(options.environment["AWS_REGION"])
            ?? nonEmpty(options.environment["AWS_DEFAULT_REGION"]) ?? nonEmpty(profile?["region"]) ?? "us-east-1"
        let chain = CredentialChain(options: options, files: files, httpClient: httpClient, region: region)
        let (credentials, source) = try await chain.resolveTopLevel(profileName: profileName)
        options.logger.debug(
            "credentials resolved",
            metadata: [
                "aws.profile": "\(profileName)", "aws.region": "\(region)", "aws.credentials.source": "\(source)",
                "aws.access_key_id": "\(credentials.accessKeyID)",
            ])
        return AWSContext(
            credentials: credentials, region: region, profile: profile == nil ? nil : profileName, source: source,
            files: files, environment: options.environment)
    }

    // MARK: - Providers

    func resolveTopLevel(profileName: String) async throws -> (Credentials, String) {
        if options.profile == nil, let credentials = try environmentCredentials() {
            return (credentials, "environment")
        }
        if let profile = files.profile(named: profileName) {
            if profile["role_arn"] != nil, profile["web_identity_token_file"] == nil {
                var visited = [profileName]
                return try await assumeRole(profileName: profileName, visited: &visited)
            }
        }
        if let found = try await webIdentity(profile: files.profile(named: profileName), environmentEnabled: true) {
            return found
        }
        if let profile = files.profile(named: profileName), let found = try await profileProviders(profile) {
            return found
        }
        if let credentials = try await MetadataCredentials.container(
            environment: options.environment, httpClient: httpClient)
        {
            return (credentials, "container credentials")
        }
        if options.usesInstanceMetadata, let credentials = await MetadataCredentials.instance(
            environment: options.environment, httpClient: httpClient)
        {
            return (credentials, "EC2 instance metadata")
        }
        throw AWSAuthError.noCredentials(
            "no AWS credentials found for profile \"\(profileName)\": looked at the environment, "
                + "\(files.configFile), \(files.credentialsFile), container credentials and instance metadata")
    }

    /// `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN` / `AWS_SECURITY_TOKEN`,
    /// `AWS_CREDENTIAL_EXPIRATION`).
    func environmentCredentials() throws(AWSAuthError) -> Credentials? {
        let environment = options.environment
        let keyID = nonEmpty(environment["AWS_ACCESS_KEY_ID"])
        let secret = nonEmpty(environment["AWS_SECRET_ACCESS_KEY"])
        switch (keyID, secret) {
        case (nil, nil): return nil
        case (.some, nil): throw .configuration("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        case (nil, .some): throw .configuration("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (let keyID?, let secret?):
            return Credentials(
                accessKeyID: keyID, secretAccessKey: secret,
                sessionToken: nonEmpty(environment["AWS_SESSION_TOKEN"]) ?? nonEmpty(environment["AWS_SECURITY_TOKEN"]),
                expiration: nonEmpty(environment["AWS_CREDENTIAL_EXPIRATION"]).flatMap(AWSTimestamp.parse))
        }
    }

    /// The providers that read one profile, with environment variables disabled (botocore's profile provider
    /// builder): web identity, static keys in the credentials file, `credential_process`, static keys in the config.
    func profileProviders(_ profile: Profile) async throws -> (Credentials, String)? {
        if profile["sso_session"] != nil || profile["sso_start_url"] != nil || profile["sso_account_id"] != nil {
            if profile["aws_access_key_id"] == nil, profile["credential_process"] == nil {
                throw AWSAuthError.configuration(
                    "\(profile.location(for: "sso_session")): SSO profiles are not supported; use a profile with "
                        + "keys, credential_process (e.g. `aws configure export-credentials --profile \(profile.name) "
                        + "--format process`) or role_arn")
            }
        }
        if let static_ = try staticKeys(profile, fromFile: files.credentialsFile) {
            return (static_, "profile \(profile.name) (static keys in \(files.credentialsFile))")
        }
        if let command = nonEmpty(profile["credential_process"]) {
            let credentials = try await CredentialProcess.run(
                command, environment: options.environment, profile: profile.name)
            return (
                credentials,
                "profile \(profile.name) (credential_process in \(profile.file(for: "credential_process")))"
            )
        }
        if let static_ = try staticKeys(profile, fromFile: files.configFile) {
            return (static_, "profile \(profile.name) (static keys in \(files.configFile))")
        }
        return nil
    }

    /// The profile's `aws_access_key_id` / `aws_secret_access_key` when the access key id came from `file`.
    func staticKeys(_ profile: Profile, fromFile file: String) throws(AWSAuthError) -> Credentials? {
        guard let keyID = profile["aws_access_key_id"], profile.file(for: "aws_access_key_id") == file else {
            return nil
        }
        guard let secret = profile["aws_secret_access_key"] else {
            throw .configuration(
                "\(profile.location(for: "aws_access_key_id")): aws_access_key_id without aws_secret_access_key")
        }
        return Credentials(
            accessKeyID: keyID, secretAccessKey: secret,
            sessionToken: nonEmpty(profile["aws_session_token"]) ?? nonEmpty(profile["aws_security_token"]))
    }

    static func hasStaticKeys(_ profile: Profile) -> Bool {
        profile["aws_access_key_id"] != nil || profile["aws_secret_access_key"] != nil
    }

    // MARK: - Assume role

    /// Assumes the profile's `role_arn` with credentials from its `source_profile` or `credential_source`.
    func assumeRole(profileName: String, visited: inout [String]) async throws -> (Credentials, String) {
        guard let profile = files.profile(named: profileName), let roleARN = nonEmpty(profile["role_arn"]) else {
            throw AWSAuthError.configuration("profile \"\(profileName)\" has no role_arn")
        }
        let where_ = profile.location(for: "role_arn")
        let sourceProfileName = nonEmpty(profile["source_profile"])
        let credentialSource = nonEmpty(profile["credential_source"])
        let sourceCredentials: Credentials
        let sourceDescription: String
        switch (sourceProfileName, credentialSource) {
        case (.some, .some):
            throw AWSAuthError.configuration("\(where_): has both source_profile and credential_source; keep one")
        case (nil, nil):
            throw AWSAuthError.configuration("\(where_): role_arn needs source_profile or credential_source")
        case (nil, let source?):
            sourceCredentials = try await credentials(fromSource: source, profile: profile)
            sourceDescription = "credential_source \(source)"
        case (let sourceName?, nil):
            guard let source = files.profile(named: sourceName) else {
                throw AWSAuthError.configuration(
                    "\(profile.location(for: "source_profile")): source_profile \"\(sourceName)\" does not exist")
            }
            if visited.contains(sourceName) {
                if sourceName != profileName || !Self.hasStaticKeys(source) {
                    throw AWSAuthError.configuration(
                        "\(profile.location(for: "source_profile")): source_profile loop: "
                            + (visited + [sourceName]).joined(separator: " -> "))
                }
            }
            visited.append(sourceName)
            if Self.hasStaticKeys(source) || source["role_arn"] == nil || source["web_identity_token_file"] != nil {
                var found = try await webIdentity(profile: source, environmentEnabled: false)
                if found == nil { found = try await profileProviders(source) }
                guard let found else {
                    throw AWSAuthError.configuration(
                        "\(source.location()): source profile \"\(sourceName)\" (used by \"\(profileName)\") "
                            + "has no credentials"
                    )
                }
                sourceCredentials = found.0
            } else {
                sourceCredentials = try await assumeRole(profileName: sourceName, visited: &visited).0
            }
            sourceDescription = "profile \(sourceName)"
        }
        var durationSeconds: Int?
        if let text = nonEmpty(profile["duration_seconds"]) {
            guard let value = Int(text) else {
                throw AWSAuthError.configuration(
                    "\(profile.location(for: "duration_seconds")): duration_seconds is not a number: \(text)")
            }
            durationSeconds = value
        }
        let configuredSessionName = nonEmpty(profile["role_session_name"])
        var request = AssumeRoleRequest(
            roleARN: roleARN,
            roleSessionName: configuredSessionName ?? "botocore-session-\(Int(options.now().timeIntervalSince1970))",
            durationSeconds: durationSeconds, externalID: nonEmpty(profile["external_id"]),
            serialNumber: nonEmpty(profile["mfa_serial"]))
        let key = AssumedRoleCache.key(for: request, sessionNameIsGenerated: configuredSessionName == nil)
        let description = "profile \(profileName) (assume role \(roleARN) via \(sourceDescription))"
        if let cached = options.cache?.get(key: key, margin: options.cacheExpiryMargin, now: options.now()) {
            options.logger.debug(
                "assumed role from cache", metadata: ["aws.role_arn": "\(roleARN)", "aws.cache.key": "\(key)"])
            return (cached.credentials, description + " [cached]")
        }
        if let serial = request.serialNumber {
            request.tokenCode = try await mfaCode(serial: serial, profile: profile)
        }
        options.logger.debug(
            "assuming role", metadata: ["aws.role_arn": "\(roleARN)", "aws.profile": "\(profileName)"])
        let sts = STSClient(
            credentials: sourceCredentials, region: region, endpoint: stsEndpoint(), httpClient: httpClient)
        let result: AssumeRoleResult
        do {
            result = try await sts.assumeRole(request)
        } catch let error as AWSServiceError {
            var detailed = error
            detailed.message += " (profile \"\(profileName)\" assuming \(roleARN))"
            throw detailed
        }
        try options.cache?.put(key: key, result: result)
        return (result.credentials, description)
    }

    func mfaCode(serial: String, profile: Profile) async throws -> String {
        if let code = nonEmpty(options.mfaCode) { return code }
        guard let prompt = options.mfaPrompt else {
            throw AWSAuthError.configuration(
                "\(profile.location(for: "mfa_serial")): needs an MFA code for \(serial); none was given")
        }
        return try await prompt("Enter MFA code for \(serial): ").trimmingWhitespace().description
    }

    /// `credential_source = Environment | Ec2InstanceMetadata | EcsContainer`.
    func credentials(fromSource source: String, profile: Profile) async throws -> Credentials {
        let missing =
            "\(profile.location(for: "credential_source")): no credentials found in credential_source \(source)"
        switch source {
        case "Environment":
            guard let credentials = try environmentCredentials() else { throw AWSAuthError.noCredentials(missing) }
            return credentials
        case "Ec2InstanceMetadata":
            guard
                let credentials = await MetadataCredentials.instance(
                    environment: options.environment, httpClient: httpClient)
            else { throw AWSAuthError.noCredentials(missing) }
            return credentials
        case "EcsContainer":
            guard
                let credentials = try await MetadataCredentials.container(
                    environment: options.environment, httpClient: httpClient)
            else { throw AWSAuthError.noCredentials(missing) }
            return credentials
        default:
            throw AWSAuthError.configuration(
                "\(profile.location(for: "credential_source")): credential_source \(source) is not valid "
                    + "(Environment, Ec2InstanceMetadata or EcsContainer)")
        }
    }

    // MARK: - Web identity

    /// AssumeRoleWithWebIdentity from `web_identity_token_file` + `role_arn` (environment variables first when
    /// enabled), or nil when not configured.
    func webIdentity(profile: Profile?, environmentEnabled: Bool) async throws -> (Credentials, String)? {
        func setting(_ key: String, _ variable: String) -> String? {
            if environmentEnabled, let value = nonEmpty(options.environment[variable]) { return value }
            return nonEmpty(profile?[key])
        }
        guard let tokenFile = setting("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE") else { return nil }
        let origin = profile.map { $0.location(for: "web_identity_token_file") } ?? "environment"
        guard let roleARN = setting("role_arn", "AWS_ROLE_ARN") else {
            throw AWSAuthError.configuration("\(origin): web_identity_token_file needs role_arn (AWS_ROLE_ARN)")
        }
        guard let token = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
            throw AWSAuthError.configuration("\(origin): cannot read web identity token file \(tokenFile)")
        }
        let sessionName =
            setting("role_session_name", "AWS_ROLE_SESSION_NAME")
            ?? "botocore-session-\(Int(options.now().timeIntervalSince1970))"
        let sts = STSClient(unsignedRegion: region, endpoint: stsEndpoint(), httpClient: httpClient)
        let result = try await sts.assumeRoleWithWebIdentity(
            roleARN: roleARN, roleSessionName: sessionName,
            webIdentityToken: token.trimmingWhitespace().description)
        return (result.credentials, "web identity (assume role \(roleARN) with \(tokenFile))")
    }

    /// The STS endpoint for the active profile and region.
    func stsEndpoint() -> URL {
        Endpoints.url(
            service: .sts, region: region, profile: files.profile(named: options.effectiveProfileName), files: files,
            environment: options.environment)
    }
}

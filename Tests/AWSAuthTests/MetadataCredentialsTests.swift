import AWSAuth
import AsyncHTTPClient
import Foundation
import TestSupport
import Testing

/// Container and instance-metadata credentials against a local stand-in (Fixtures/metadata/metadata_server.py).
struct MetadataCredentialsTests {
    /// Starts the stand-in server; it exits when its stdin closes.
    final class MetadataServer {
        let process = Process()
        let input = Pipe()
        let port: Int

        init?() throws {
            guard let python = try TestPaths.requireVenvTool("python") else { return nil }
            let output = Pipe()
            process.executableURL = python
            process.arguments = [TestPaths.fixture("AWSAuthTests", "metadata/metadata_server.py").path]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            var line = Data()
            while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8)
            {
                line.append(byte)
            }
            guard let port = Int(String(decoding: line, as: UTF8.self)) else {
                throw TestSupportError("metadata server did not print its port")
            }
            self.port = port
        }

        deinit {
            try? input.fileHandleForWriting.close()
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    func resolve(_ env: [String: String]) async throws -> AWSContext {
        let home = try makeTemporaryDirectory()
        return try await CredentialChain.resolve(
            CredentialResolverOptions(environment: ["HOME": home.path].merging(env) { $1 }, cache: .some(nil)),
            httpClient: HTTPClient.shared)
    }

    @Test(.timeLimit(.minutes(1)))
    func containerCredentialsWithATokenFile() async throws {
        guard let server = try MetadataServer() else { return }
        let dir = try makeTemporaryDirectory()
        let tokenFile = try writeFile(dir, "token", "container-token\n")
        let context = try await resolve([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(server.port)/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile.path,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored-when-the-file-is-set",
            "AWS_EC2_METADATA_DISABLED": "true",
        ])
        #expect(context.source == "container credentials")
        #expect(context.credentials.accessKeyID == "ASIACONTAINER")
        #expect(context.credentials.sessionToken == "metadata-token")
        await #expect {
            _ = try await resolve([
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(server.port)/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong", "AWS_EC2_METADATA_DISABLED": "true",
            ])
        } throws: { error in
            "\(error)".contains("HTTP 401: missing authorization")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func instanceMetadataUsesAnIMDSv2Token() async throws {
        guard let server = try MetadataServer() else { return }
        let context = try await resolve(["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(server.port)/"])
        #expect(context.source == "EC2 instance metadata")
        #expect(context.credentials.accessKeyID == "ASIAMETADATA")
        #expect(context.credentials.expiration == Date(timeIntervalSince1970: 1_893_456_000))
        await #expect {
            _ = try await resolve([
                "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(server.port)/",
                "AWS_EC2_METADATA_DISABLED": "true",
            ])
        } throws: { error in
            (error as? AWSAuthError)?.isNoCredentials == true
        }
    }

    @Test(arguments: [
        ("http://127.0.0.1:80/x", true), ("http://127.5.6.7/x", true), ("http://[::1]:9/x", true),
        ("http://169.254.170.2/x", true), ("http://169.254.170.23/x", true), ("http://[fd00:ec2::23]/x", true),
        ("http://localhost:8080/x", true), ("http://169.254.169.254/x", false), ("https://example.com/x", false),
    ])
    func containerHostsAreLimited(url: String, allowed: Bool) async throws {
        // Allowed hosts get as far as connecting (refused or timed out); others fail before any request.
        let home = try makeTemporaryDirectory()
        do {
            _ = try await MetadataCredentials.container(
                environment: ["HOME": home.path, "AWS_CONTAINER_CREDENTIALS_FULL_URI": url],
                httpClient: HTTPClient.shared, timeout: .milliseconds(200))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("must be a loopback address") == !allowed, "\(error)")
        }
    }
}

import AWSAuth
import Foundation
import TestSupport
import Testing

/// The cache file format, its expiry margin and its key, checked against botocore's own key derivation.
struct AssumedRoleCacheTests {
    static var requests: [(AssumeRoleRequest, generated: Bool, extra: [String: Any])] {
        [
            (
                AssumeRoleRequest(roleARN: "arn:aws:iam::123456789012:role/a", roleSessionName: "botocore-session-1"),
                true,
                [:]
            ),
            (
                AssumeRoleRequest(roleARN: "arn:aws:iam::123456789012:role/a", roleSessionName: "standin-fn"), false,
                ["RoleSessionName": "standin-fn"]
            ),
            (
                AssumeRoleRequest(
                    roleARN: "arn:aws:iam::123456789012:role/b", roleSessionName: "s", durationSeconds: 900,
                    externalID: "ext/ü", serialNumber: "arn:aws:iam::123456789012:mfa/me",
                    policy: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
                ),
                false,
                [
                    "RoleSessionName": "s", "DurationSeconds": 900, "ExternalId": "ext/ü",
                    "SerialNumber": "arn:aws:iam::123456789012:mfa/me",
                    "Policy":
                        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
                ]
            ),
        ]
    }

    @Test func keysMatchBotocore() throws {
        guard let python = try TestPaths.requireVenvTool("python") else { return }
        let cases: [[String: Any]] = Self.requests.map { ["RoleArn": $0.0.roleARN, "extra": $0.extra] }
        let argument = String(decoding: try JSONSerialization.data(withJSONObject: cases), as: UTF8.self)
        let result = try runProcess(
            python.path, [TestPaths.fixture("AWSAuthTests", "cache/botocore_cache_keys.py").path, argument])
        #expect(result.status == 0, "\(result.stderrText)")
        let expected = result.stdoutText.split(separator: "\n").map(String.init)
        let ours = Self.requests.map { AssumedRoleCache.key(for: $0.0, sessionNameIsGenerated: $0.generated) }
        #expect(ours == expected)
    }

    @Test func entriesAreUsedUntilTheMargin() throws {
        let cache = AssumedRoleCache(directory: try makeTemporaryDirectory().appendingPathComponent("c"))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let result = AssumeRoleResult(
            credentials: Credentials(
                accessKeyID: "ASIA1", secretAccessKey: "s", sessionToken: "t",
                expiration: now.addingTimeInterval(1200)),
            assumedRoleARN: "arn:aws:sts::1:assumed-role/r/s", assumedRoleID: "AROA1:s")
        try cache.put(key: "k", result: result)
        #expect(cache.get(key: "k", margin: 15 * 60, now: now) == result)
        #expect(cache.get(key: "k", margin: 15 * 60, now: now.addingTimeInterval(301)) == nil)
        #expect(cache.get(key: "k", margin: 5 * 60, now: now.addingTimeInterval(301)) == result)
        #expect(cache.get(key: "other", now: now) == nil)
        let text = try String(contentsOf: cache.fileURL("k"), encoding: .utf8)
        #expect(text.contains(#""Expiration":"2027-01-15T08:20:00Z""#))
        #expect(
            text.contains(#""AssumedRoleUser":{"Arn":"arn:aws:sts::1:assumed-role\/r\/s","AssumedRoleId":"AROA1:s"}"#))
    }

    @Test func readsTheAWSCLIsTimestampForms() throws {
        let cache = AssumedRoleCache(directory: try makeTemporaryDirectory())
        for (index, stamp) in ["2030-01-01T00:00:00UTC", "2030-01-01T00:00:00+00:00", "2030-01-01T00:00:00.123456Z"]
            .enumerated()
        {
            try writeFile(
                cache.directory, "k\(index).json",
                #"{"Credentials":{"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","#
                    + #""Expiration":"\#(stamp)"}}"#
            )
            #expect(
                cache.get(key: "k\(index)", now: Date(timeIntervalSince1970: 1_800_000_000))?.credentials.expiration
                    == Date(timeIntervalSince1970: 1_893_456_000), "\(stamp)")
        }
    }
}

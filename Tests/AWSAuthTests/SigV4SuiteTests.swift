import AWSAuth
import Foundation
import TestSupport
import Testing

/// AWS's published SigV4 test suite (`shared/conformance/sigv4/aws4_testsuite`), every case byte for byte.
struct SigV4SuiteTests {
    static let suiteCases = [
        "get-header-key-duplicate", "get-header-value-multiline", "get-header-value-order", "get-header-value-trim",
        "get-unreserved", "get-utf8", "get-vanilla", "get-vanilla-empty-query-key", "get-vanilla-query",
        "get-vanilla-query-order-encoded", "get-vanilla-query-order-key", "get-vanilla-query-order-key-case",
        "get-vanilla-query-order-value", "get-vanilla-query-unreserved", "get-vanilla-utf8-query",
        "get-vanilla-with-session-token", "normalize-path/get-relative", "normalize-path/get-relative-relative",
        "normalize-path/get-slash", "normalize-path/get-slash-dot-slash", "normalize-path/get-slash-pointless-dot",
        "normalize-path/get-slashes", "normalize-path/get-space", "normalize-path/get-special-character",
        "post-header-key-case", "post-header-key-sort", "post-header-value-case",
        "post-sts-token/post-sts-header-after", "post-sts-token/post-sts-header-before", "post-vanilla",
        "post-vanilla-empty-query-value", "post-vanilla-query", "post-x-www-form-urlencoded",
        "post-x-www-form-urlencoded-parameters",
    ]
    static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

    @Test func suiteListsEveryCase() throws {
        guard let root = try TestPaths.requireConformance() else { return }
        let suite = root.appendingPathComponent("sigv4/aws4_testsuite")
        let enumerator = FileManager.default.enumerator(atPath: suite.path)
        var found: [String] = []
        while let item = enumerator?.nextObject() as? String {
            if item.hasSuffix(".req") {
                found.append(String(item.dropLast(4).split(separator: "/").dropLast().joined(separator: "/")))
            }
        }
        #expect(found.sorted() == Self.suiteCases.sorted())
        #expect(found.count == 34)
    }

    @Test(arguments: suiteCases)
    func signsLikeAWS(_ name: String) throws {
        guard let root = try TestPaths.requireConformance() else { return }
        let folder = root.appendingPathComponent("sigv4/aws4_testsuite/\(name)")
        let base = folder.appendingPathComponent(String(name.split(separator: "/").last ?? ""))
        func read(_ ext: String) throws -> String {
            try String(contentsOf: base.appendingPathExtension(ext), encoding: .utf8)
        }
        let request = try RawHTTPRequest(parsing: try read("req"))
        let expectedCanonical = try read("creq")
        let headerAfter = name.hasSuffix("post-sts-header-after")
        var token = expectedCanonical.split(separator: "\n").first { $0.hasPrefix("x-amz-security-token:") }
            .map { String($0.dropFirst("x-amz-security-token:".count)) }
        if headerAfter {
            let sreq = try String(
                contentsOf: base.appendingPathExtension("sreq"), encoding: .utf8)
            token = sreq.split(separator: "\n").first { $0.hasPrefix("X-Amz-Security-Token:") }
                .map { String($0.dropFirst("X-Amz-Security-Token:".count)) }
            #expect(token != nil)
        }
        let signer = SigV4Signer(
            credentials: Credentials(
                accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                sessionToken: token),
            region: "us-east-1", service: "service")
        let signed = signer.sign(
            method: request.method, path: request.path, query: request.query, headers: request.headers,
            payloadHash: SigV4Signer.hexSHA256(Array(request.body.utf8)), date: Self.date,
            signsSessionToken: !headerAfter)
        #expect(signed.canonicalRequest == expectedCanonical)
        #expect(signed.stringToSign == (try read("sts")))
        #expect(signed.authorization == (try read("authz")))
        if headerAfter {
            #expect(signed.header("X-Amz-Security-Token") == token)
        }
    }

    @Test func presignsTheS3DocumentationExample() throws {
        // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
        let signer = SigV4Signer(
            credentials: Credentials(
                accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "s3")
        let url = try #require(URL(string: "https://examplebucket.s3.amazonaws.com/test.txt"))
        let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
        let signed = try signer.presignedURL(url: url, expires: 86400, date: date)
        #expect(
            signed.absoluteString
                == "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    @Test func s3PathsAreNotNormalised() {
        let credentials = Credentials(accessKeyID: "AKID", secretAccessKey: "secret")
        let s3 = SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3")
        let other = SigV4Signer(credentials: credentials, region: "us-east-1", service: "sts")
        let headers = [(name: "Host", value: "h")]
        #expect(
            s3.canonicalRequest(method: "GET", path: "/a//b/../c%20d", query: nil, headers: headers, payloadHash: "x")
                .canonicalRequest.hasPrefix("GET\n/a//b/../c%20d\n"))
        #expect(
            other.canonicalRequest(
                method: "GET", path: "/a//b/../c%20d", query: nil, headers: headers, payloadHash: "x"
            )
            .canonicalRequest.hasPrefix("GET\n/a/c%2520d\n"))
    }
}

/// A raw HTTP/1.1 request as the suite writes it: LF lines, `Name:value`, continuation lines, body after a blank line.
struct RawHTTPRequest {
    var method: String
    var path: String
    var query: String?
    var headers: [(name: String, value: String)] = []
    var body = ""

    init(parsing text: String) throws {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        guard let firstSpace = requestLine.firstIndex(of: " "), let lastSpace = requestLine.lastIndex(of: " "),
            firstSpace < lastSpace
        else { throw TestSupportError("bad request line: \(requestLine)") }
        method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        } else {
            path = target
        }
        while !lines.isEmpty {
            let line = lines.removeFirst()
            if line.isEmpty {
                body = lines.joined(separator: "\n")
                break
            }
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += "\n" + line
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { throw TestSupportError("bad header line: \(line)") }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A SigV4-signed request to a REST-style AWS API (S3's REST-XML, Lambda's REST-JSON): the path, query and headers
/// carry the operation, the body its payload. Error bodies are read by each service's client.
struct RESTClient: Sendable {
    var service: AWSService
    var credentials: Credentials
    var region: String
    var httpClient: HTTPClient
    var timeout: TimeAmount

    /// A whole answer.
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    /// Sends one signed request and returns the answer, whatever its status.
    /// - Parameters:
    ///   - operation: `s3:PutObject`, for messages.
    ///   - maximumResponseBytes: the largest body read (Lambda answers up to 6 MB).
    ///   - quick: a call that answers at once (a HEAD), so a loopback endpoint where nothing listens is reported
    ///     in seconds (see `Endpoints.deadline`); uploads and invocations keep the whole timeout, since a local
    ///     endpoint can take long for them (a function running under `standin start-lambda`).
    /// - Throws: `AWSAuthError.transport` when no answer came.
    func send(
        _ method: HTTPMethod, url: URL, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        operation: String, maximumResponseBytes: Int = 16 * 1024 * 1024, quick: Bool = false
    ) async throws(AWSAuthError) -> Response {
        let payloadHash = SigV4Signer.hexSHA256(body)
        var unsigned = headers
        // S3 wants the payload's hash in a header of its own; the other REST services accept it.
        unsigned.append((name: "x-amz-content-sha256", value: payloadHash))
        let signer = SigV4Signer(credentials: credentials, region: region, service: service.signingName)
        let signed = signer.sign(
            method: method.rawValue, url: url, headers: unsigned, payloadHash: payloadHash, date: Date())
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        for (name, value) in signed.headers where name.lowercased() != "host" {
            request.headers.add(name: name, value: value)
        }
        if !body.isEmpty || method == .PUT || method == .POST {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await httpClient.execute(
                request, timeout: quick ? Endpoints.deadline(for: url, timeout) : timeout)
            let collected = try await response.body.collect(upTo: maximumResponseBytes)
            return Response(
                status: Int(response.status.code), headers: response.headers,
                body: Array(collected.readableBytesView))
        } catch {
            throw .transport("\(operation) to \(url.absoluteString) failed: \(error)")
        }
    }
}

extension Endpoints {
    /// The deadline of one call to `url`. AsyncHTTPClient retries a refused connection until the deadline: for an
    /// endpoint on this machine (moto, LocalStack) a refusal means nothing listens, so a few seconds are enough.
    static func deadline(for url: URL, _ timeout: TimeAmount) -> TimeAmount {
        let host = url.host?.lowercased() ?? ""
        let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
        return loopback ? min(timeout, .seconds(5)) : timeout
    }
}

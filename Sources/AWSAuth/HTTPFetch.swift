import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small request/response helper over the shared `HTTPClient` for metadata endpoints.
enum HTTPFetch {
    struct Response {
        var status: Int
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func send(
        _ httpClient: HTTPClient, method: HTTPMethod, url: String, headers: [(String, String)] = [],
        timeout: TimeAmount
    ) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await httpClient.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 1024 * 1024)
        return Response(status: Int(response.status.code), body: Array(body.readableBytesView))
    }
}

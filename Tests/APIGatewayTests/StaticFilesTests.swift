import Foundation
import TestSupport
import Testing

@testable import APIGateway

struct StaticFilesTests {
    /// root/public (served) with index.html, css/site.css, links in and out; root/secret.txt outside.
    static func makeSite() throws -> (root: URL, files: StaticFiles) {
        let root = try makeTemporaryDirectory("standin-static")
        try writeFile(root, "public/index.html", "<h1>hi</h1>")
        try writeFile(root, "public/css/site.css", "body{}")
        try writeFile(root, "secret.txt", "top secret")
        let public_ = root.appendingPathComponent("public")
        try FileManager.default.createSymbolicLink(
            atPath: public_.appendingPathComponent("link-out").path,
            withDestinationPath: root.appendingPathComponent("secret.txt").path
        )
        try FileManager.default.createSymbolicLink(
            atPath: public_.appendingPathComponent("dir-out").path,
            withDestinationPath: root.path
        )
        try FileManager.default.createSymbolicLink(
            atPath: public_.appendingPathComponent("link-in.css").path,
            withDestinationPath: "css/site.css"
        )
        let files = try #require(StaticFiles(folder: public_.path))
        return (root, files)
    }

    @Test func servesFilesWithContentTypes() throws {
        let (_, files) = try Self.makeSite()
        guard case .file(_, let type) = files.lookup(path: "/") else {
            Issue.record("no index")
            return
        }
        #expect(type == "text/html; charset=utf-8")
        guard case .file(_, let css) = files.lookup(path: "/css/site.css") else {
            Issue.record("no css")
            return
        }
        #expect(css == "text/css; charset=utf-8")
        guard case .file = files.lookup(path: "/link-in.css") else {
            Issue.record("inner symlink refused")
            return
        }
        #expect(files.lookup(path: "/missing.txt") == .notFound)
        let response = try #require(files.response(for: APIRequest(method: "GET", target: "/css/site.css")))
        #expect(response.body == Array("body{}".utf8))
        #expect(files.response(for: APIRequest(method: "POST", target: "/css/site.css")) == nil)
    }

    @Test(arguments: [
        "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/css/%2e%2e/%2e%2e/secret.txt",
        "/css/..%2f..%2fsecret.txt", "/link-out", "/dir-out/secret.txt", "/%00", "/..\\secret.txt", "/%zz",
    ])
    func refusesEscapes(path: String) throws {
        let (_, files) = try Self.makeSite()
        #expect(files.lookup(path: path) == .forbidden)
        #expect(files.response(for: APIRequest(method: "GET", target: path))?.status == 403)
    }

    @Test func missingFolderIsNil() {
        #expect(StaticFiles(folder: "/nonexistent/standin/public") == nil)
    }
}

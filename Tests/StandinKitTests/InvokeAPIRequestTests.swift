import Foundation
import Testing

@testable import StandinKit

@Suite("Invoke API requests, parsed as Lambda parses them")
struct InvokeAPIRequestTests {
    func parse(_ name: String, qualifier: String? = nil, headers: [String: String] = [:]) throws -> InvokeAPIRequest {
        try InvokeAPIRequest(pathName: name, qualifier: qualifier) { key in
            headers.first { $0.key.lowercased() == key.lowercased() }?.value
        }
    }

    @Test("names, partial ARNs, full ARNs and qualifiers", arguments: [
        ("Hello", nil as String?, "Hello", nil as String?),
        ("Hello:$LATEST", nil, "Hello", nil),
        ("Hello", "$LATEST", "Hello", nil),
        ("Hello:prod", nil, "Hello", "prod"),
        ("123456789012:function:Hello", nil, "Hello", nil),
        ("arn:aws:lambda:us-east-1:123456789012:function:Hello", nil, "Hello", nil),
        ("arn:aws:lambda:us-east-1:123456789012:function:Hello:7", nil, "Hello", "7"),
    ])
    func names(path: String, qualifier: String?, name: String, expectedQualifier: String?) throws {
        let request = try parse(path, qualifier: qualifier)
        #expect(request.name == name)
        #expect(request.qualifier == expectedQualifier)
    }

    @Test("invocation types, log type and client context")
    func headers() throws {
        let context = Data(#"{"custom":{"a":"b"}}"#.utf8).base64EncodedString()
        let request = try parse(
            "Fn", headers: ["X-Amz-Invocation-Type": "RequestResponse", "X-Amz-Log-Type": "Tail",
                            "X-Amz-Client-Context": context])
        #expect(request.invocationType == .requestResponse)
        #expect(request.tailLog)
        #expect(request.clientContext == #"{"custom":{"a":"b"}}"#)
        #expect(try parse("Fn", headers: ["X-Amz-Invocation-Type": "Event"]).invocationType == .event)
        #expect(try parse("Fn", headers: ["X-Amz-Invocation-Type": "DryRun"]).invocationType == .dryRun)
        #expect(throws: InvokeAPIError.self) { try parse("Fn", headers: ["X-Amz-Invocation-Type": "Sometimes"]) }
    }

    /// A JSON string of exactly `size` bytes.
    func jsonString(size: Int) -> [UInt8] {
        Array("\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: size - 2) + Array("\"".utf8)
    }

    @Test("payload limits and JSON checks answer Lambda's errors")
    func payloads() throws {
        let sync = try parse("Fn")
        #expect(throws: Never.self) { try sync.checkPayload(jsonString(size: 6 * 1024 * 1024)) }
        #expect(throws: Never.self) { try sync.checkPayload([]) }
        #expect { try sync.checkPayload(jsonString(size: 6 * 1024 * 1024 + 1)) } throws: { error in
            (error as? InvokeAPIError)?.status == 413 && (error as? InvokeAPIError)?.type == "RequestTooLargeException"
        }
        #expect { try sync.checkPayload(Array("{nope".utf8)) } throws: { error in
            (error as? InvokeAPIError)?.type == "InvalidRequestContentException"
        }
        let event = try parse("Fn", headers: ["X-Amz-Invocation-Type": "Event"])
        #expect(event.payloadLimit == 1024 * 1024)
        #expect(throws: Never.self) { try event.checkPayload(jsonString(size: 1024 * 1024)) }
        #expect { try event.checkPayload(jsonString(size: 1024 * 1024 + 1)) } throws: { error in
            let expected = "Request must be smaller than 1048576 bytes for the InvokeAsync operation"
            return (error as? InvokeAPIError)?.message == expected
        }
    }

    @Test("constraint errors are worded as Lambda words them", arguments: [
        (["X-Amz-Invocation-Type": "Sometimes"], "invocationType"),
        (["X-Amz-Log-Type": "Everything"], "logType"),
    ])
    func constraints(headers: [String: String], field: String) throws {
        #expect { try parse("Fn", headers: headers) } throws: { error in
            guard let error = error as? InvokeAPIError else { return false }
            return error.status == 400 && error.type == "ValidationException"
                && error.message.hasPrefix("1 validation error detected: Value '")
                && error.message.contains("' at '\(field)' failed to satisfy constraint: Member must satisfy enum")
        }
    }

    @Test("the log tail is the last 4 KB, base64")
    func logTail() throws {
        let log = Array(repeating: UInt8(ascii: "a"), count: 5000) + Array("END".utf8)
        let decoded = try #require(Data(base64Encoded: InvokeAPIRequest.logTail(log)))
        #expect(decoded.count == 4096)
        #expect(decoded.suffix(3) == Data("END".utf8))
    }

    @Test("error bodies are {Type, Message}")
    func errorBody() throws {
        let error = InvokeAPIError.notFound("arn:aws:lambda:us-east-1:123456789012:function:Nope")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(error.body)) as? [String: String])
        let message = "Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope"
        #expect(body == ["Type": "User", "Message": message])
        #expect(error.status == 404)
    }
}

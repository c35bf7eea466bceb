import Foundation

/// The error bodies Lambda returns to a synchronous caller, as bytes.
enum ErrorPayload {
    /// A body posted to `/invocation/{id}/error` or `/init/error`, as the caller will see it, and its error type.
    ///
    /// A JSON object carrying `errorMessage` or `errorType` is passed through untouched (Node's `trace` key included);
    /// anything else becomes `{"errorMessage": <text>, "errorType": <header>, "stackTrace": []}`. The type is the
    /// body's `errorType`, else the `Lambda-Runtime-Function-Error-Type` header, else `Unhandled`.
    static func functionError(headerType: String?, body: [UInt8]) -> (payload: [UInt8], errorType: String) {
        let header = headerType.flatMap { $0.isEmpty ? nil : $0 }
        if let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
            object["errorMessage"] != nil || object["errorType"] != nil
        {
            let type = (object["errorType"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? header ?? "Unhandled"
            return (body, type)
        }
        let type = header ?? "Unhandled"
        let text = String(decoding: body, as: UTF8.self)
        let json = #"{"errorMessage":\#(jsonString(text)),"errorType":\#(jsonString(type)),"stackTrace":[]}"#
        return (Array(json.utf8), type)
    }

    /// A platform error in Lambda's shape: `{"errorType": ..., "errorMessage": "RequestId: <id> Error: ..."}`.
    static func platform(errorType: String, requestID: String, message: String) -> [UInt8] {
        let text = "RequestId: \(requestID) Error: \(message)"
        return Array(#"{"errorType":\#(jsonString(errorType)),"errorMessage":\#(jsonString(text))}"#.utf8)
    }

    /// The response-too-large error (`Function.ResponseSizeTooLarge`), worded as RIE words it.
    static func responseTooLarge(size: Int) -> [UInt8] {
        let message =
            "Response payload size (\(size) bytes) exceeded maximum allowed payload size "
            + "(\(RuntimeAPIResponse.maxPayloadSize) bytes)."
        return Array(
            #"{"errorMessage":\#(jsonString(message)),"errorType":"Function.ResponseSizeTooLarge"}"#.utf8)
    }

    /// `Task timed out after 3.00 seconds`.
    static func timeoutMessage(_ timeout: Duration) -> String {
        "Task timed out after \(String(format: "%.2f", timeout.seconds)) seconds"
    }

    /// A JSON string literal for `text`.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The duration in milliseconds, as a Double.
    var milliseconds: Double { seconds * 1000 }
}

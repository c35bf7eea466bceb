/// Parses `--parameter-overrides` the way SAM CLI accepts them.
public enum ParameterOverrides {
    /// Parses `K=V K2=V2` (in one argument or several) and `ParameterKey=K,ParameterValue=V`; values may be
    /// quoted with '...' or "..." (to hold spaces). Later values win.
    /// - Throws: `ProjectError` (`.parameter`, path `--parameter-overrides`) for an entry without `=` or a key.
    public static func parse(_ arguments: [String]) throws(ProjectError) -> [String: String] {
        var result: [String: String] = [:]
        for argument in arguments {
            for token in try tokens(argument) {
                let (key, value) = try pair(token)
                result[key] = value
            }
        }
        return result
    }

    static func failure(_ message: String) -> ProjectError {
        ProjectError(.parameter, file: "", path: "--parameter-overrides", message: message)
    }

    /// Splits on unquoted whitespace, removing the quotes.
    static func tokens(_ text: String) throws(ProjectError) -> [String] {
        var tokens: [String] = []
        var current = ""
        var inToken = false
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inToken = true
            } else if character.isWhitespace {
                if inToken { tokens.append(current) }
                current = ""
                inToken = false
            } else {
                current.append(character)
                inToken = true
            }
        }
        if quote != nil { throw failure("unterminated quote in \(text)") }
        if inToken { tokens.append(current) }
        return tokens
    }

    static func pair(_ token: String) throws(ProjectError) -> (String, String) {
        if token.hasPrefix("ParameterKey=") {
            guard let range = token.range(of: ",ParameterValue=") else {
                throw failure("\(token): expected ParameterKey=KEY,ParameterValue=VALUE")
            }
            let key = String(token[token.index(token.startIndex, offsetBy: 13)..<range.lowerBound])
            guard !key.isEmpty else { throw failure("\(token): the key is empty") }
            return (key, String(token[range.upperBound...]))
        }
        guard let equals = token.firstIndex(of: "=") else {
            throw failure("\(token): expected KEY=VALUE or ParameterKey=KEY,ParameterValue=VALUE")
        }
        let key = String(token[..<equals])
        guard !key.isEmpty else { throw failure("\(token): the key is empty") }
        return (key, String(token[token.index(after: equals)...]))
    }
}

/// Parses `--parameter-overrides` the way SAM CLI accepts them.
public enum ParameterOverrides {
    /// Parses `K=V K2=V2` (in one argument or several) and `ParameterKey=K,ParameterValue=V`; values may be
    /// quoted with '...' or "..." (to hold spaces). Later values win.
    /// - Throws: `ProjectError` (`.parameter`, path `--parameter-overrides`) for an entry without `=` or a key.
    public static func parse(_ arguments: [String]) throws(ProjectError) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in try pairs(arguments) { result[key] = value }
        return result
    }

    /// The same entries in the order given, repeats kept (`deploy --tags`, whose order is shown back).
    /// - Parameter option: names the option in errors.
    public static func pairs(_ arguments: [String], option: String = "--parameter-overrides") throws(ProjectError)
        -> [(key: String, value: String)]
    {
        var result: [(key: String, value: String)] = []
        for argument in arguments {
            for token in try tokens(argument, option: option) { result.append(try pair(token, option: option)) }
        }
        return result
    }

    static func failure(_ message: String, option: String) -> ProjectError {
        ProjectError(.parameter, file: "", path: option, message: message)
    }

    /// Splits on unquoted whitespace, removing the quotes.
    static func tokens(_ text: String, option: String = "--parameter-overrides") throws(ProjectError) -> [String] {
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
        if quote != nil { throw failure("unterminated quote in \(text)", option: option) }
        if inToken { tokens.append(current) }
        return tokens
    }

    static func pair(_ token: String, option: String) throws(ProjectError) -> (key: String, value: String) {
        if token.hasPrefix("ParameterKey=") {
            guard let range = token.range(of: ",ParameterValue=") else {
                throw failure("\(token): expected ParameterKey=KEY,ParameterValue=VALUE", option: option)
            }
            let key = String(token[token.index(token.startIndex, offsetBy: 13)..<range.lowerBound])
            guard !key.isEmpty else { throw failure("\(token): the key is empty", option: option) }
            return (key, String(token[range.upperBound...]))
        }
        guard let equals = token.firstIndex(of: "=") else {
            throw failure("\(token): expected KEY=VALUE or ParameterKey=KEY,ParameterValue=VALUE", option: option)
        }
        let key = String(token[..<equals])
        guard !key.isEmpty else { throw failure("\(token): the key is empty", option: option) }
        return (key, String(token[token.index(after: equals)...]))
    }
}

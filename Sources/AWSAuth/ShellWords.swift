/// Splits a command line into words the way Python's `shlex.split` does (POSIX mode): whitespace separates,
/// single quotes are literal, double quotes allow `\"` `\\` `\$` `` \` `` escapes, a backslash outside quotes escapes
/// the next character, `#` is not a comment.
enum ShellWords {
    static func split(_ text: String) throws(AWSAuthError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = Array(text).makeIterator()
        enum Mode { case plain, single, double }
        var mode = Mode.plain
        while let char = iterator.next() {
            switch mode {
            case .plain:
                if char.isWhitespace {
                    if inWord { words.append(current) }
                    current = ""
                    inWord = false
                } else if char == "'" {
                    mode = .single
                    inWord = true
                } else if char == "\"" {
                    mode = .double
                    inWord = true
                } else if char == "\\" {
                    guard let next = iterator.next() else { throw .configuration("no character after \\ in: \(text)") }
                    current.append(next)
                    inWord = true
                } else {
                    current.append(char)
                    inWord = true
                }
            case .single:
                if char == "'" { mode = .plain } else { current.append(char) }
            case .double:
                if char == "\"" {
                    mode = .plain
                } else if char == "\\" {
                    guard let next = iterator.next() else { throw .configuration("no closing quotation in: \(text)") }
                    if "\"\\$`".contains(next) {
                        current.append(next)
                    } else {
                        current.append("\\")
                        current.append(next)
                    }
                } else {
                    current.append(char)
                }
            }
        }
        guard mode == .plain else { throw .configuration("no closing quotation in: \(text)") }
        if inWord { words.append(current) }
        return words
    }
}

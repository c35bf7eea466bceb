/// Whole-string regular expression matching (REST authorizer `ValidationExpression`).
enum RegexMatch {
    /// True when `pattern` matches all of `text`; an invalid pattern matches nothing.
    static func wholeMatch(_ text: String, _ pattern: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.wholeMatch(in: text)) != nil
    }
}

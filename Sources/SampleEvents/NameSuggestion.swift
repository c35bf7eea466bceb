/// Finds the valid name closest to a mistyped one (edit distance; a prefix or substring match wins).
enum NameSuggestion {
    /// The nearest of `candidates` to `name`, or nil when there are none.
    static func nearest(to name: String, in candidates: [String]) -> String? {
        let lowered = name.lowercased()
        if let match = candidates.first(where: { $0.lowercased().hasPrefix(lowered) && !lowered.isEmpty }) {
            return match
        }
        return candidates.min { distance(lowered, $0.lowercased()) < distance(lowered, $1.lowercased()) }
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

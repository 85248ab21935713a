/// Finds the name a user most likely meant, for "did you mean" suggestions.
enum Spelling {
    /// The candidate closest to `name` by edit distance (ignoring case), if it is close enough to be a
    /// plausible typo: at most a third of the name's length, and never more than 3 edits.
    static func closestMatch(to name: String, among candidates: [String]) -> String? {
        let wanted = Array(name.lowercased())
        let allowed = min(3, max(1, wanted.count / 3))
        let scored = candidates.map { (candidate: $0, distance: editDistance(wanted, Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= allowed else {
            return nil
        }
        return best.candidate
    }

    /// The Levenshtein distance: the fewest insertions, deletions and substitutions turning `a` into `b`.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, characterOfA) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, characterOfB) in b.enumerated() {
                let substitution = previous[j] + (characterOfA == characterOfB ? 0 : 1)
                current[j + 1] = min(substitution, previous[j + 1] + 1, current[j] + 1)
            }
            previous = current
        }
        return previous[b.count]
    }
}

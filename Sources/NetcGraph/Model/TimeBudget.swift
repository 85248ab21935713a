/// A wall-clock allowance for a whole training run, written as a person would: `30m`, `1h30m`, `90s`, `1.5h`.
public struct TimeBudget: Hashable, Sendable, CustomStringConvertible {
    /// The allowance in seconds, above zero.
    public let seconds: Double

    /// A budget of `seconds` seconds.
    ///
    /// - Precondition: `seconds` is positive and finite.
    public init(seconds: Double) {
        precondition(seconds > 0 && seconds.isFinite, "a time budget must be positive")
        self.seconds = seconds
    }

    /// Reads `30m`, `1h30m`, `45s`, `1.5h` or `2h 15m`: numbers each followed by a unit (`h`, `m` or `min`, `s`),
    /// adding up to more than zero; nil for anything else (a bare number, an unknown unit, a unit twice).
    public init?(parsing text: String) {
        var total = 0.0
        var usedUnits: Set<String> = []
        var rest = Substring(text.filter { $0 != " " })
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unit = String(rest.prefix { $0.isLetter })
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number), let scale = Self.unitSeconds[unit], usedUnits.insert(scale.name).inserted
            else { return nil }
            total += value * scale.seconds
        }
        guard total > 0, total.isFinite else { return nil }
        self.init(seconds: total)
    }

    /// How the parser reads each unit: the unit's canonical name (so `m` and `min` count as one) and its length.
    private static let unitSeconds: [String: (name: String, seconds: Double)] = [
        "h": ("h", 3600), "m": ("m", 60), "min": ("m", 60), "s": ("s", 1),
    ]

    /// `1h 30m`, `30m`, `45s`, `2m 30s`: whole hours, minutes and seconds (rounded to the second).
    public var description: String {
        let whole = Int(seconds.rounded())
        let parts = [(whole / 3600, "h"), (whole / 60 % 60, "m"), (whole % 60, "s")].filter { $0.0 > 0 }
        return parts.isEmpty ? "0s" : parts.map { "\($0.0)\($0.1)" }.joined(separator: " ")
    }

    /// What `init(parsing:)` accepts, for messages.
    public static let formatHint = "a duration such as '30m', '1h30m', '90s' or '1.5h'"
}

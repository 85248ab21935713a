import NetcGraph

/// A seeded source of small integers, for the networks the tests draw.
struct Draws {
    let generator: Philox
    var index: UInt32 = 0

    init(seed: UInt64) { generator = Philox(seed: seed) }

    /// The next number in `range`.
    mutating func pick(_ range: ClosedRange<Int>) -> Int {
        defer { index += 1 }
        let word = Int(generator.word(stream: 0x7200, step: 0, index: index))
        return range.lowerBound + word % range.count
    }
}

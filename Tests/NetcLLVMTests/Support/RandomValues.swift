import NetcGraph

/// Seeded test values from the counter-based generator.
enum RandomValues {
    /// `count` numbers uniform in [−1, 1), rounded to float, different for each `stream`.
    static func uniform(count: Int, stream: UInt32, seed: UInt64 = 2024) -> [Double] {
        let generator = Philox(seed: seed)
        return (0..<count).map {
            Double(Float(2 * generator.uniform(stream: 0x7000 + stream, step: 0, index: UInt32($0)) - 1))
        }
    }
}

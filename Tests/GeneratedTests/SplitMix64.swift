/// A small seeded generator (Steele, Lea and Flood's SplitMix64), so test inputs are the same on every run.
struct SplitMix64 {
    private var state: UInt64

    /// Starts the sequence at `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A value uniform in `[low, high)`, exactly representable in float32.
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        let unit = Double(next() >> 40) / Double(1 << 24)
        return Double(Float(low + (high - low) * unit))
    }
}

/// The Philox4x32-10 counter-based generator (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3").
///
/// A random value is a pure function of a 64-bit key and a 128-bit counter, so any backend, in any loop order
/// or thread split, draws the same number for the same (seed, purpose, index). netc keys dropout masks, weight
/// initialisation, shuffling and augmentation with it.
public struct Philox: Hashable, Sendable {
    /// The key: the run's seed.
    public var key: UInt64

    /// Creates a generator for a seed.
    public init(seed: UInt64) { key = seed }

    /// The four 32-bit words for a counter.
    public func block(_ counter: (UInt32, UInt32, UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var (c0, c1, c2, c3) = counter
        var (k0, k1) = (UInt32(truncatingIfNeeded: key), UInt32(truncatingIfNeeded: key >> 32))
        for round in 0..<10 {
            if round > 0 {
                k0 &+= 0x9E37_79B9
                k1 &+= 0xBB67_AE85
            }
            let product0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let product1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            (c0, c1, c2, c3) = (
                UInt32(truncatingIfNeeded: product1 >> 32) ^ c1 ^ k0, UInt32(truncatingIfNeeded: product1),
                UInt32(truncatingIfNeeded: product0 >> 32) ^ c3 ^ k1, UInt32(truncatingIfNeeded: product0)
            )
        }
        return (c0, c1, c2, c3)
    }

    /// A 32-bit random word for element `index` of stream `stream` at step `step`.
    public func word(stream: UInt32, step: UInt64, index: UInt32) -> UInt32 {
        block((index, stream, UInt32(truncatingIfNeeded: step), UInt32(truncatingIfNeeded: step >> 32))).0
    }

    /// A uniform number in [0, 1) with 24 random bits (exactly representable as a float).
    public func uniform(stream: UInt32, step: UInt64, index: UInt32) -> Double {
        Double(word(stream: stream, step: step, index: index) >> 8) * 0x1p-24
    }
}

/// The purposes netc draws random numbers for; each gets its own stream range so they never share numbers.
public enum RandomStream {
    /// Dropout layer `layer`'s masks (step = optimizer step).
    public static func dropout(layer: UInt64) -> UInt32 { 0x1000 + UInt32(truncatingIfNeeded: layer) }
    /// Initial values of parameter number `parameter` (step = 0).
    public static func initialization(parameter: Int) -> UInt32 { 0x2000 + UInt32(truncatingIfNeeded: parameter) }
    /// The KFold permutation (step = 0).
    public static let folds: UInt32 = 0x3000
    /// The order of training images in each epoch (step = fold · 2³² + epoch).
    public static let epochOrder: UInt32 = 0x3001
    /// Augmentation parameters (step = fold · 2³² + epoch, index = image · 16 + parameter slot).
    public static let augmentation: UInt32 = 0x4000
    /// The elastic displacement field of image `image`, below 2²⁸ (step = fold · 2³² + epoch, index = the field's
    /// block of four values).
    public static func elastic(image: Int) -> UInt32 { 0x8000_0000 | UInt32(truncatingIfNeeded: image) }
}

import NetcGraph

/// A seeded shuffled K-fold split, as scikit-learn's `KFold(n_splits: K, shuffle: true)`: the indices are
/// permuted once, then cut into K contiguous validation folds, the first `count % K` one element larger.
public struct FoldSplit: Hashable, Sendable {
    /// The number of examples split.
    public let count: Int
    /// The number of folds.
    public let folds: Int
    /// The permutation of `0..<count` the folds are cut from.
    public let permutation: [Int]

    /// Splits `count` examples into `folds` folds, shuffled by `seed`.
    public init(count: Int, folds: Int, seed: UInt64) {
        precondition(folds >= 2 && folds <= count, "need 2...count folds")
        self.count = count
        self.folds = folds
        self.permutation = Self.shuffled(Array(0..<count), seed: seed, stream: RandomStream.folds, step: 0)
    }

    /// The held-out examples of fold `fold` (0-based), in shuffled order.
    public func validation(fold: Int) -> [Int] {
        Array(permutation[range(of: fold)])
    }

    /// The examples fold `fold` trains on: every example not held out, in shuffled order.
    public func training(fold: Int) -> [Int] {
        let held = range(of: fold)
        return Array(permutation[..<held.lowerBound] + permutation[held.upperBound...])
    }

    private func range(of fold: Int) -> Range<Int> {
        precondition((0..<folds).contains(fold), "fold \(fold) out of 0..<\(folds)")
        let base = count / folds
        let larger = count % folds
        let start = fold * base + min(fold, larger)
        return start..<(start + base + (fold < larger ? 1 : 0))
    }

    /// A Fisher-Yates shuffle whose swaps are drawn from the counter-based generator, so the same key always gives
    /// the same order.
    public static func shuffled(_ elements: [Int], seed: UInt64, stream: UInt32, step: UInt64) -> [Int] {
        var result = elements
        let generator = Philox(seed: seed)
        var position = result.count - 1
        while position > 0 {
            let word = UInt64(generator.word(stream: stream, step: step, index: UInt32(position)))
            let other = Int((word * UInt64(position + 1)) >> 32)
            result.swapAt(position, other)
            position -= 1
        }
        return result
    }
}

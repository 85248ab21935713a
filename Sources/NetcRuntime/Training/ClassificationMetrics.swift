import Foundation

/// Mean softmax cross-entropy and accuracy of logits against labels, computed on the host in Double so that
/// validation and evaluation do not depend on the backend's loss kernel.
public struct ClassificationMetrics: Hashable, Sendable {
    /// Sum of per-example losses.
    public private(set) var lossSum = 0.0
    /// Examples predicted right.
    public private(set) var correct = 0
    /// Examples seen.
    public private(set) var count = 0

    /// No examples yet.
    public init() {}

    /// Adds examples: `logits` holds `labels.count` rows of `classes` values.
    public mutating func add(logits: ArraySlice<Double>, classes: Int, labels: ArraySlice<Int>) {
        for (row, label) in labels.enumerated() {
            let start = logits.startIndex + row * classes
            let values = logits[start..<start + classes]
            let largest = values.max() ?? 0
            let logSumExp = largest + log(values.reduce(0) { $0 + exp($1 - largest) })
            lossSum += logSumExp - values[start + label]
            if Self.argmax(values) == label { correct += 1 }
            count += 1
        }
    }

    /// Mean loss per example.
    public var meanLoss: Double { count == 0 ? .nan : lossSum / Double(count) }

    /// Fraction predicted right, in [0, 1].
    public var accuracy: Double { count == 0 ? .nan : Double(correct) / Double(count) }

    /// The position of the first largest value, relative to the slice's start.
    public static func argmax(_ values: ArraySlice<Double>) -> Int {
        var best = values.startIndex
        for index in values.indices where values[index] > values[best] { best = index }
        return best - values.startIndex
    }
}

import Foundation

/// How an ensemble combines its members' outputs.
public enum EnsembleAverage: String, Hashable, Sendable, CaseIterable {
    /// Mean of the logits (the reference recipe).
    case logits
    /// Mean of the softmax probabilities.
    case probs
}

/// The combined predictions of several models for the same images.
public struct EnsemblePrediction: Sendable {
    /// Classes per image.
    public let classes: Int
    /// Each member's logits, row after row.
    public let memberLogits: [[Double]]
    /// The combined scores (mean logits, or mean probabilities), row after row.
    public let scores: [Double]

    /// Combines the members' logits for `count` images of `classes` classes.
    public init(memberLogits: [[Double]], classes: Int, average: EnsembleAverage) {
        precondition(!memberLogits.isEmpty, "an ensemble needs a member")
        self.classes = classes
        self.memberLogits = memberLogits
        let converted = average == .logits ? memberLogits : memberLogits.map { Self.softmax($0, classes: classes) }
        scores = (0..<converted[0].count).map { index in
            converted.reduce(0) { $0 + $1[index] } / Double(converted.count)
        }
    }

    /// The number of images.
    public var count: Int { scores.count / classes }

    /// The predicted class of every image (the first largest score).
    public var labels: [Int] { Self.argmaxes(scores, classes: classes) }

    /// The predicted class of every image by member `member` alone.
    public func labels(ofMember member: Int) -> [Int] { Self.argmaxes(memberLogits[member], classes: classes) }

    static func argmaxes(_ rows: [Double], classes: Int) -> [Int] {
        stride(from: 0, to: rows.count, by: classes).map {
            ClassificationMetrics.argmax(rows[$0..<$0 + classes])
        }
    }

    static func softmax(_ rows: [Double], classes: Int) -> [Double] {
        var result = rows
        for start in stride(from: 0, to: rows.count, by: classes) {
            let row = rows[start..<start + classes]
            let largest = row.max() ?? 0
            let sum = row.reduce(0) { $0 + exp($1 - largest) }
            for index in row.indices { result[index] = exp(rows[index] - largest) / sum }
        }
        return result
    }
}

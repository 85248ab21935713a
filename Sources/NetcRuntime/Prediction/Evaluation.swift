import Foundation

/// How well predictions match the true labels: accuracy, per-class accuracy and the confusion matrix.
public struct Evaluation: Hashable, Sendable {
    /// `confusion[truth][prediction]` counts.
    public let confusion: [[Int]]

    /// Compares predictions with labels over `classes` classes.
    public init(predictions: [Int], labels: [Int], classes: Int) {
        precondition(predictions.count == labels.count, "one prediction per label")
        var confusion = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (prediction, label) in zip(predictions, labels) { confusion[label][prediction] += 1 }
        self.confusion = confusion
    }

    /// Fraction of images predicted right.
    public var accuracy: Double {
        let total = confusion.joined().reduce(0, +)
        let correct = confusion.indices.reduce(0) { $0 + confusion[$1][$1] }
        return total == 0 ? .nan : Double(correct) / Double(total)
    }

    /// Per class: the fraction of its images predicted right (recall).
    public var classAccuracies: [Double] {
        confusion.indices.map { row in
            let total = confusion[row].reduce(0, +)
            return total == 0 ? .nan : Double(confusion[row][row]) / Double(total)
        }
    }

    /// The confusion matrix as a text table, rows the truth, columns the prediction; with class names, each row
    /// is labelled `3 Dress` and the columns keep the numbers.
    public func confusionTable(classes: ClassNaming = .numbers) -> String {
        let width = max(5, String(confusion.joined().max() ?? 0).count + 1)
        func cell(_ text: String, width: Int = width) -> String {
            String(repeating: " ", count: max(0, width - text.count)) + text
        }
        let rowLabels = confusion.indices.map { classes.names == nil ? "\($0)" : "\($0) \(classes.name($0))" }
        let labelWidth = max(10, (rowLabels.map(\.count).max() ?? 0) + 1)
        // The accuracy column fits "100.00%" after a space.
        var lines = [
            cell("truth\\pred", width: labelWidth) + confusion.indices.map { cell("\($0)") }.joined()
                + cell("acc", width: 9)
        ]
        for (row, counts) in confusion.enumerated() {
            lines.append(
                cell(rowLabels[row], width: labelWidth) + counts.map { cell("\($0)") }.joined()
                    + cell("\(Percent(classAccuracies[row]))", width: 9))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

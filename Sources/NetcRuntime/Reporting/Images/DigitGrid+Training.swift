/// A validation image the model got wrong.
public struct Misclassification: Equatable, Sendable {
    /// The digit's pixels.
    public var image: GreyImage
    /// The label in the data.
    public var trueLabel: Int
    /// The class the model predicted.
    public var predictedLabel: Int

    /// Creates a record of one wrong prediction.
    public init(image: GreyImage, trueLabel: Int, predictedLabel: Int) {
        self.image = image
        self.trueLabel = trueLabel
        self.predictedLabel = predictedLabel
    }
}

extension DigitGrid {
    /// The grid for `samples.svg`: each training digit captioned with its label, as loaded (top) and as
    /// augmentation changed it (below).
    ///
    /// Shows the first `limit` (default 30) digits; `originals`, `augmented` and `labels` must have equal counts.
    public static func samples(
        originals: [GreyImage], augmented: [GreyImage], labels: [Int], limit: Int = 30
    ) -> DigitGrid {
        precondition(
            originals.count == augmented.count && originals.count == labels.count,
            "every sample needs an original, an augmented image and a label")
        let tiles = (0..<min(limit, originals.count)).map { index in
            Tile(caption: "label \(labels[index])", images: [originals[index], augmented[index]])
        }
        return DigitGrid(
            title: "Training digits before and after augmentation", tiles: tiles, columns: 10,
            rowNames: ["original", "augmented"])
    }

    /// The grid for `misclassified.svg`: up to `limit` wrong predictions captioned "true 4 → predicted 9",
    /// under a title giving how many there were in all.
    public static func misclassified(_ mistakes: [Misclassification], limit: Int = 100) -> DigitGrid {
        let shown = mistakes.prefix(limit)
        let noun = mistakes.count == 1 ? "digit" : "digits"
        var title = "\(mistakes.count) misclassified \(noun)"
        if shown.count < mistakes.count { title += " (showing the first \(shown.count))" }
        let tiles = shown.map { mistake in
            Tile(caption: "true \(mistake.trueLabel) → predicted \(mistake.predictedLabel)", images: [mistake.image])
        }
        return DigitGrid(title: title, tiles: tiles, columns: 10)
    }
}

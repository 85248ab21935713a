/// A validation or test image the model got wrong.
public struct Misclassification: Equatable, Sendable {
    /// The image.
    public var image: Picture
    /// The label in the data.
    public var trueLabel: Int
    /// The class the model predicted.
    public var predictedLabel: Int

    /// Creates a record of one wrong prediction.
    public init(image: Picture, trueLabel: Int, predictedLabel: Int) {
        self.image = image
        self.trueLabel = trueLabel
        self.predictedLabel = predictedLabel
    }
}

extension PictureGrid {
    /// The grid for `samples.svg`: each training image captioned with its class, as loaded (top) and as
    /// augmentation changed it (below).
    ///
    /// Shows the first `limit` (default 30) images; `originals`, `augmented` and `labels` must have equal counts.
    public static func samples(
        originals: [Picture], augmented: [Picture], labels: [Int], classes: ClassNaming, limit: Int = 30
    ) -> PictureGrid {
        precondition(
            originals.count == augmented.count && originals.count == labels.count,
            "every sample needs an original, an augmented image and a label")
        let tiles = (0..<min(limit, originals.count)).map { index in
            Tile(caption: classes.caption(labels[index]), images: [originals[index], augmented[index]])
        }
        return PictureGrid(
            title: "Training images before and after augmentation", tiles: tiles, columns: 10,
            rowNames: ["original", "augmented"])
    }

    /// The grid for `misclassified.svg`: up to `limit` wrong predictions captioned "true 4 → predicted 9" (or
    /// with class names), under a title giving how many there were in all.
    public static func misclassified(
        _ mistakes: [Misclassification], classes: ClassNaming, limit: Int = 100
    )
        -> PictureGrid
    {
        let shown = mistakes.prefix(limit)
        let noun = mistakes.count == 1 ? "image" : "images"
        var title = "\(mistakes.count) misclassified \(noun)"
        if shown.count < mistakes.count { title += " (showing the first \(shown.count))" }
        let tiles = shown.map { mistake in
            let (truth, prediction) = (classes.name(mistake.trueLabel), classes.name(mistake.predictedLabel))
            return Tile(caption: "true \(truth) → predicted \(prediction)", images: [mistake.image])
        }
        return PictureGrid(title: title, tiles: tiles, columns: 10)
    }
}

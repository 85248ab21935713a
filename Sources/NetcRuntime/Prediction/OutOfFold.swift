/// Each fold model scored on the images its fold held out, which it never trained on: an estimate of how it does
/// on new data, and a way to choose prediction settings (test-time augmentation, raw or averaged weights) on
/// validation images rather than on the test set.
public struct OutOfFold: Sendable {
    /// One fold's held-out images scored.
    public struct Fold: Sendable {
        /// The fold (0-based).
        public let fold: Int
        /// The held-out images' indices in the data, in the split's order.
        public let images: [Int]
        /// The model's scores of each held-out image, `classes` per image, in the order of `images`.
        public let logits: [Double]
        /// Scores per image.
        public let classes: Int
        /// The true classes.
        public let labels: [Int]

        /// The model's predicted class of each held-out image: its highest score.
        public var predictions: [Int] { EnsemblePrediction.argmaxes(logits, classes: classes) }

        /// Fraction of the held-out images predicted right.
        public var accuracy: Double { Double(correct) / Double(max(labels.count, 1)) }
        /// How many held-out images were predicted right.
        public var correct: Int { zip(predictions, labels).count { $0 == $1 } }
    }

    /// The folds scored, in order.
    public let folds: [Fold]

    /// Scores `models` (each with the fold it was trained for) on the images `split` holds out of each fold of
    /// the labelled `data`, with `augmentation` when given.
    public init(
        models: [(fold: Int, model: FoldModel)], data: Dataset, split: FoldSplit,
        augmentation: TestTimeAugmentation? = nil
    ) throws {
        guard let labels = data.labels else { preconditionFailure("out-of-fold scores need labelled data") }
        folds = try models.map { fold, model in
            let held = split.validation(fold: fold)
            let logits = try model.logits(for: data, indices: held, augmentation: augmentation)
            let classes = held.isEmpty ? 1 : logits.count / held.count
            return Fold(fold: fold, images: held, logits: logits, classes: classes, labels: held.map { labels[$0] })
        }
    }

    /// Each held-out image's scores from the model of the fold that held it out, ordered by the image's index in the
    /// data: out-of-fold logits, for judging an ensemble of several runs on images none of its models trained on.
    public var logitsByImage: [(image: Int, logits: ArraySlice<Double>)] {
        folds.flatMap { fold in
            fold.images.enumerated().map { row, image in
                (image, fold.logits[row * fold.classes..<(row + 1) * fold.classes])
            }
        }.sorted { $0.image < $1.image }
    }

    /// Fraction of all held-out images predicted right by their fold's model.
    public var accuracy: Double {
        let total = folds.reduce(0) { $0 + $1.labels.count }
        return Double(folds.reduce(0) { $0 + $1.correct }) / Double(max(total, 1))
    }
}

import ArgumentParser
import NetcRuntime

/// `netc evaluate`: how right the ensemble and each fold are on labelled test images.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Accuracy of the ensemble and of each fold, per-class accuracy, the confusion matrix and "
            + "misclassified.svg.")

    @OptionGroup var ensemble: EnsembleOptions

    @Option(
        help: """
            True labels (ImageId,Label); by default the data's own labels, or test_labels.csv beside a CSV.
            """)
    var labels: String?

    @Option(help: "Where to draw the misclassified images (default: RUNDIR/misclassified.svg).")
    var misclassified: String?

    @Option(
        help: """
            With --out-of-fold, also write each training image's scores (ImageId,logit0,...; ImageId as in the \
            training data) from the one fold model that never trained on it, to compare ensembles of several runs \
            on held-out images. (`netc predict --logits` writes the ensemble's scores of test images.)
            """)
    var logits: String?

    @Flag(
        name: .customLong("out-of-fold"),
        help: """
            Score each fold's model on the training images its fold held out (the run's own data and split) \
            instead of test images: choose --tta and --fold-weights on these, not on the test set.
            """)
    var outOfFold = false

    func validate() throws {
        if outOfFold && (ensemble.trained.runFolder == nil || ensemble.trained.weights != nil) {
            throw ValidationError("--out-of-fold needs a run folder (and no --weights)")
        }
        if logits != nil && !outOfFold {
            throw ValidationError(
                "--logits writes held-out scores with --out-of-fold; netc predict --logits writes test scores")
        }
    }

    func run() throws {
        if outOfFold {
            try evaluateOutOfFold()
            return
        }
        let result = try ensemble.predict()
        let (data, prediction) = (result.data, result.prediction)
        guard let truth = try result.labels(from: labels) else {
            throw DataError(
                path: result.source.path, location: .file, kind: .noLabels(purpose: "evaluation (or --labels FILE)"))
        }
        let classes = ClassNaming(result.network.training.classNames)
        for (index, name) in result.memberNames.enumerated() {
            let evaluation = Evaluation(
                predictions: prediction.labels(ofMember: index), labels: truth, classes: prediction.classes)
            print("\(name): accuracy \(Percent(evaluation.accuracy))")
        }
        let evaluation = Evaluation(predictions: prediction.labels, labels: truth, classes: prediction.classes)
        print(
            "ensemble of \(result.memberNames.count) (\(ensemble.average.rawValue)): accuracy "
                + "\(Percent(evaluation.accuracy))")
        print(evaluation.confusionTable(classes: classes), terminator: "")
        let range = data.displayRange
        let mistakes = zip(prediction.labels, truth).enumerated().filter { $0.element.0 != $0.element.1 }
            .map { index, pair in
                Misclassification(
                    image: data.picture(of: data.values(ofImage: index), range: range), trueLabel: pair.1,
                    predictedLabel: pair.0)
            }
        let path = misclassified ?? "\(ensemble.trained.runFolder ?? ".")/misclassified.svg"
        let grid = PictureGrid.misclassified(mistakes, classes: classes)
        try AtomicFile.write(Array(grid.svg().utf8), to: path)
        print("wrote \(path): \(mistakes.count) misclassified images")
    }

    /// Prints each fold model's accuracy on its own held-out images, and over all of them.
    private func evaluateOutOfFold() throws {
        guard let runFolder = ensemble.trained.runFolder else { return }
        let manifest = try RunFolder(runFolder).readManifest()
        let (path, spec) = try ensemble.trained.network()
        let expectation = DataExpectation(spec, modelPath: path)
        let data = try DataPaths.load(manifest.data, role: .training, expecting: expectation, limit: manifest.images)
            .data
        let split = FoldSplit(count: data.count, folds: manifest.folds, seed: manifest.seed)
        let models = try ensemble.foldModels(of: spec)
        let result = try OutOfFold(
            models: models, data: data, split: split, augmentation: ensemble.augmentation(for: data))
        for (fold, (_, model)) in zip(result.folds, models) {
            print("\(model.name): accuracy \(Percent(fold.accuracy)) on \(fold.labels.count) held-out images")
        }
        let total = result.folds.reduce(0) { $0 + $1.labels.count }
        print("out of fold: accuracy \(Percent(result.accuracy)) on \(total) images")
        if let logits, let classes = result.folds.first?.classes {
            try AtomicFile.write(Array(Submission.logitsCSV(result.logitsByImage, classes: classes).utf8), to: logits)
            print("wrote \(logits): the held-out scores of \(total) images")
        }
    }
}

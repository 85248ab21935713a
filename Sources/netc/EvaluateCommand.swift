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

    func run() throws {
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
}

import ArgumentParser
import NetcRuntime

/// `netc evaluate`: how right the ensemble and each fold are on labelled test images.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Accuracy of the ensemble and of each fold, per-class accuracy, the confusion matrix and "
            + "misclassified.svg.")

    @OptionGroup var ensemble: EnsembleOptions

    @Option(help: "True labels (ImageId,Label).")
    var labels = "data/mnist/test_labels.csv"

    @Option(help: "Where to draw the misclassified digits (default: RUNDIR/misclassified.svg).")
    var misclassified: String?

    func run() throws {
        let members = try ensemble.models()
        let data = try ensemble.images()
        let logits = try members.map { try $0.logits(for: data) }
        let prediction = EnsemblePrediction(
            memberLogits: logits, classes: logits[0].count / max(data.count, 1), average: ensemble.average)
        let truth = try EnsembleOptions.loadLabels(labels, count: data.count)
        for (index, member) in members.enumerated() {
            let evaluation = Evaluation(
                predictions: prediction.labels(ofMember: index), labels: truth, classes: prediction.classes)
            print("\(member.name): accuracy \(Percent(evaluation.accuracy))")
        }
        let evaluation = Evaluation(predictions: prediction.labels, labels: truth, classes: prediction.classes)
        print("ensemble of \(members.count) (\(ensemble.average.rawValue)): accuracy \(Percent(evaluation.accuracy))")
        print(evaluation.confusionTable, terminator: "")
        let mistakes = zip(prediction.labels, truth).enumerated().filter { $0.element.0 != Int($0.element.1) }
            .map { index, pair in
                Misclassification(
                    image: GreyImage(
                        width: data.imageSize.width, height: data.imageSize.height,
                        pixels: Array(data.image(at: index))),
                    trueLabel: Int(pair.1), predictedLabel: pair.0)
            }
        let path = misclassified ?? "\(ensemble.runFolder ?? ".")/misclassified.svg"
        try AtomicFile.write(Array(DigitGrid.misclassified(mistakes).svg().utf8), to: path)
        print("wrote \(path): \(mistakes.count) misclassified digits")
    }
}

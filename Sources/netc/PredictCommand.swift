import ArgumentParser
import NetcRuntime

/// `netc predict`: the Kaggle submission from a run's fold models, or from one checkpoint.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict labels with the ensemble of a run's best fold checkpoints and write a submission.",
        discussion: """
            Writes ImageId,Label (ImageId from 1). With --weights, predicts with one safetensors checkpoint from \
            anywhere (a PyTorch export included) for the model given by --model; its normalisation comes from the \
            checkpoint's metadata or from --mean/--std. When labels are at hand (--labels, labels in the data, or \
            test_labels.csv beside a CSV), also reports the accuracy.
            """)

    @OptionGroup var ensemble: EnsembleOptions

    @Option(help: "Where to write the submission.")
    var out = "submission.csv"

    @Option(help: "Also write the averaged scores (ImageId,logit0,...) to this file.")
    var logits: String?

    @Option(help: "True labels (ImageId,Label) to report the accuracy against.")
    var labels: String?

    func run() throws {
        let result = try ensemble.predict()
        let prediction = result.prediction
        try AtomicFile.write(Array(Submission.csv(labels: prediction.labels).utf8), to: out)
        if let logits {
            let text = Submission.logitsCSV(prediction.scores, classes: prediction.classes)
            try AtomicFile.write(Array(text.utf8), to: logits)
        }
        print("wrote \(out): \(prediction.count) predictions from \(prediction.memberLogits.count) model(s)")
        if let truth = try result.labels(from: labels) {
            let evaluation = Evaluation(predictions: prediction.labels, labels: truth, classes: prediction.classes)
            print("accuracy \(Percent(evaluation.accuracy)) on \(truth.count) labelled images")
        }
    }
}

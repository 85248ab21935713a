import ArgumentParser
import Foundation
import NetcFrontEnd
import NetcGraph
import NetcRuntime

/// The models `predict` and `evaluate` combine, the images they read, and the engine that runs them.
struct EnsembleOptions: ParsableArguments {
    @OptionGroup var trained: TrainedModelOptions

    @Option(
        help: """
            Images to predict: a Kaggle-style CSV, IDX images (gzip or not), or a folder holding one (test.csv, \
            t10k-images-idx3-ubyte.gz, ...).
            """)
    var data = "data/mnist"

    @Option(name: .customLong("batch-size"), help: "Images per inference batch.")
    var batchSize = 1000

    @Option(help: "The engine: \(BackendChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var backend = BackendChoice.jit

    @Option(
        help: """
            Test-time augmentation: average each model's logits over the image and N seeded mild warps of it \
            (rotation up to 5°, shift up to 5 %, scale 0.95-1.05). Default 0 (off).
            """)
    var tta = 0

    func validate() throws {
        guard tta >= 0 else { throw ValidationError("--tta must be at least 0, found \(tta)") }
    }

    /// How the models' outputs are combined.
    var average: EnsembleAverage { trained.average }

    @OptionGroup(title: "Code generation") var target: TargetOptions

    /// The fold models (or the one checkpoint) of `spec`, ready to predict.
    func models(of spec: NetworkSpec) throws -> [FoldModel] {
        try foldModels(of: spec).map(\.model)
    }

    /// The fold models (or the one checkpoint, as fold 0) of `spec`, ready to predict, with the fold (0-based)
    /// each was trained for.
    func foldModels(of spec: NetworkSpec) throws -> [(fold: Int, model: FoldModel)] {
        let backend = try self.backend.backend(target)
        return try trained.foldModels(of: spec).map { fold, model in
            (fold, try FoldModel(model, backend: backend, batchSize: batchSize))
        }
    }

    /// Test-time augmentation for images of `data`'s size, when `--tta` asks for it.
    func augmentation(for data: Dataset) -> TestTimeAugmentation? {
        tta > 0 ? TestTimeAugmentation(views: tta, imageSize: data.imageSize) : nil
    }

    /// The images to predict, checked against the model first, so that a mismatch is found before anything
    /// is compiled; then every model's logits for them, combined.
    func predict() throws -> EnsembleResult {
        let (path, spec) = try trained.network()
        let expectation = DataExpectation(spec, modelPath: path)
        let (source, data) = try DataPaths.load(self.data, role: .test, expecting: expectation)
        let members = try models(of: spec)
        let logits = try members.map { try $0.logits(for: data, augmentation: augmentation(for: data)) }
        return EnsembleResult(
            network: spec, expectation: expectation, source: source, data: data, memberNames: members.map(\.name),
            prediction: EnsemblePrediction(memberLogits: logits, classes: spec.classes, average: average))
    }
}

/// What `predict` and `evaluate` report on: the network, its test images and the ensemble's prediction.
struct EnsembleResult {
    let network: NetworkSpec
    let expectation: DataExpectation
    let source: DataSource
    let data: Dataset
    /// Each member's name, in the order of `prediction`'s members.
    let memberNames: [String]
    let prediction: EnsemblePrediction

    /// The true labels of the images: from `path` (an `ImageId,Label` file) when given, else the data's own,
    /// else `test_labels.csv` beside a Kaggle CSV; `nil` when there are none.
    func labels(from path: String?) throws -> [Int]? {
        guard let path = path ?? (data.labels == nil ? Self.labelsBeside(source) : nil) else { return data.labels }
        let labels = try Dataset.loadLabelsCSV(path, expecting: expectation)
        return try data.labelled(by: labels, from: path, imagesPath: source.path).labels
    }

    /// `test_labels.csv` beside a Kaggle CSV, when there is one.
    static func labelsBeside(_ source: DataSource) -> String? {
        guard case .kaggleCSV(let csv) = source else { return nil }
        let beside = ((csv as NSString).deletingLastPathComponent as NSString).appendingPathComponent("test_labels.csv")
        return FileManager.default.fileExists(atPath: beside) ? beside : nil
    }
}

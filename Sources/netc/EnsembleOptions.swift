import ArgumentParser
import Foundation
import NetcFrontEnd
import NetcGraph
import NetcRuntime

/// The models `predict` and `evaluate` combine, the images they read, and how.
struct EnsembleOptions: ParsableArguments {
    @Argument(help: "The run folder (written by netc train); not needed with --weights.")
    var runFolder: String?

    @Option(
        help: """
            Images to predict: a Kaggle-style CSV, IDX images (gzip or not), or a folder holding one (test.csv, \
            t10k-images-idx3-ubyte.gz, ...).
            """)
    var data = "data/mnist"

    @Option(help: "How to combine the folds: logits or probs.")
    var average = EnsembleAverage.logits

    @Option(help: "Predict with this one safetensors checkpoint instead of a run's folds.")
    var weights: String?

    @Option(help: "The model file for --weights (default: the run's model.swift-dsl).")
    var model: String?

    @Option(
        help: """
            Normalisation mean of pixels scaled to [0, 1] for a checkpoint without metadata: one value, or one per \
            channel (0.49,0.48,0.45).
            """)
    var mean: String?

    @Option(help: "Normalisation standard deviation for a checkpoint without metadata: one value, or one per channel.")
    var std: String?

    @Option(name: .customLong("batch-size"), help: "Images per inference batch.")
    var batchSize = 1000

    @Option(help: "The engine: \(BackendChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var backend = BackendChoice.jit

    func validate() throws {
        guard runFolder != nil || weights != nil else {
            throw ValidationError("give a run folder, or --weights FILE with --model MODEL")
        }
        guard (mean == nil) == (std == nil) else { throw ValidationError("--mean and --std go together") }
        if let mean, Normalization.values(mean) == nil {
            throw ValidationError("--mean must be numbers separated by commas, found '\(mean)'")
        }
        if let std, !(Normalization.values(std)?.allSatisfy { $0 > 0 } ?? false) {
            throw ValidationError("--std must be positive numbers separated by commas, found '\(std)'")
        }
        if let mean, let std, Normalization.values(mean)?.count != Normalization.values(std)?.count {
            throw ValidationError("--mean and --std need as many values each")
        }
        if weights != nil && runFolder == nil && model == nil {
            throw ValidationError("--weights needs --model MODEL.swift-dsl (or a run folder holding one)")
        }
    }

    /// The model file (the run's copy unless `--model` names one) and the network it describes.
    func network() throws -> (path: String, spec: NetworkSpec) {
        let path = model ?? runFolder.map { RunFolder($0).model } ?? ""
        return (path, try ModelOptions(model: path).parse().1)
    }

    /// The fold models (or the one checkpoint) of `spec`, with their names.
    func models(of spec: NetworkSpec) throws -> [FoldModel] {
        let normalization = mean.flatMap(Normalization.values).flatMap { mean in
            std.flatMap(Normalization.values).map { Normalization(mean: mean, std: $0) }
        }
        if let weights {
            return [
                try FoldModel(
                    name: weights, checkpoint: weights, spec: spec, backend: backend.backend, batchSize: batchSize,
                    normalization: normalization)
            ]
        }
        guard let folder = runFolder.map(RunFolder.init) else { return [] }
        let manifest = try folder.readManifest()
        let models = try (0..<manifest.folds).filter { FileManager.default.fileExists(atPath: folder.best($0)) }
            .map { fold in
                try FoldModel(
                    name: "fold \(fold + 1)", checkpoint: folder.best(fold), spec: spec, backend: backend.backend,
                    batchSize: batchSize, normalization: normalization)
            }
        guard !models.isEmpty else { throw RunError.noCheckpoints(path: folder.path) }
        return models
    }

    /// The images to predict, checked against the model first, so that a mismatch is found before anything
    /// is compiled; then every model's logits for them, combined.
    func predict() throws -> EnsembleResult {
        let (path, spec) = try network()
        let expectation = DataExpectation(spec, modelPath: path)
        let (source, data) = try DataPaths.load(self.data, role: .test, expecting: expectation)
        let members = try models(of: spec)
        let logits = try members.map { try $0.logits(for: data) }
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
        var path = path
        if path == nil, data.labels == nil, case .kaggleCSV(let csv) = source {
            let beside = ((csv as NSString).deletingLastPathComponent as NSString).appendingPathComponent("test_labels.csv")
            if FileManager.default.fileExists(atPath: beside) { path = beside }
        }
        guard let path else { return data.labels }
        let labels = try Dataset.loadLabelsCSV(path, expecting: expectation)
        return try data.labelled(by: labels, from: path, imagesPath: source.path).labels
    }
}

extension EnsembleAverage: ExpressibleByArgument {}

extension ModelOptions {
    /// Options naming the model file at `path`.
    init(model path: String) {
        self.init()
        model = path
    }
}

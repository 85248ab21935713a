import ArgumentParser
import Foundation
import NetcFrontEnd
import NetcGraph
import NetcRuntime

/// The models `predict` and `evaluate` combine, the images they read, and how.
struct EnsembleOptions: ParsableArguments {
    @Argument(help: "The run folder (written by netc train); not needed with --weights.")
    var runFolder: String?

    @Option(help: "Images to predict: a Kaggle test.csv, or a folder holding one.")
    var data = "data/mnist"

    @Option(help: "How to combine the folds: logits or probs.")
    var average = EnsembleAverage.logits

    @Option(help: "Predict with this one safetensors checkpoint instead of a run's folds.")
    var weights: String?

    @Option(help: "The model file for --weights (default: the run's model.swift-dsl).")
    var model: String?

    @Option(help: "Normalisation mean (pixels scaled to [0, 1]) for a checkpoint without metadata.")
    var mean: Double?

    @Option(help: "Normalisation standard deviation for a checkpoint without metadata.")
    var std: Double?

    @Option(name: .customLong("batch-size"), help: "Images per inference batch.")
    var batchSize = 1000

    @Option(help: "The engine: \(BackendChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var backend = BackendChoice.jit

    func validate() throws {
        guard runFolder != nil || weights != nil else {
            throw ValidationError("give a run folder, or --weights FILE with --model MODEL")
        }
        guard (mean == nil) == (std == nil) else { throw ValidationError("--mean and --std go together") }
        if let std, !(std > 0) { throw ValidationError("--std must be positive") }
        if weights != nil && runFolder == nil && model == nil {
            throw ValidationError("--weights needs --model MODEL.swift-dsl (or a run folder holding one)")
        }
    }

    /// The fold models (or the one checkpoint) with their names.
    func models() throws -> [FoldModel] {
        let folder = runFolder.map(RunFolder.init)
        let manifest = try folder?.readManifest()
        let modelPath = model ?? folder?.model ?? ""
        let (_, spec) = try ModelOptions(model: modelPath).parse()
        let normalization = mean.map { Normalization(mean: $0, std: std ?? 1) }
        if let weights {
            return [
                try FoldModel(
                    name: weights, checkpoint: weights, spec: spec, backend: backend.backend, batchSize: batchSize,
                    normalization: normalization)
            ]
        }
        guard let folder, let manifest else { return [] }
        let models = try (0..<manifest.folds).filter { FileManager.default.fileExists(atPath: folder.best($0)) }
            .map { fold in
                try FoldModel(
                    name: "fold \(fold + 1)", checkpoint: folder.best(fold), spec: spec, backend: backend.backend,
                    batchSize: batchSize, normalization: normalization)
            }
        guard !models.isEmpty else { throw RunError.noCheckpoints(path: folder.path) }
        return models
    }

    /// The test images.
    func images() throws -> Dataset {
        try DataPaths.load(DataPaths.file(data, defaultName: "test.csv"))
    }

    /// Every model's logits for the test images, combined.
    func predict() throws -> EnsemblePrediction {
        let (members, data) = (try models(), try images())
        let logits = try members.map { try $0.logits(for: data) }
        return EnsemblePrediction(memberLogits: logits, classes: logits[0].count / max(data.count, 1), average: average)
    }

    /// Labels from an `ImageId,Label` file, which must have one per image.
    static func loadLabels(_ path: String, count: Int) throws -> [UInt8] {
        do {
            let labels = try Dataset.loadLabelsCSV(path)
            guard labels.count == count else {
                Terminal.printError("\(path): error: \(labels.count) labels for \(count) images")
                throw ExitCode.failure
            }
            return labels
        } catch let error as DataError {
            Terminal.printError(error.description)
            throw ExitCode.failure
        }
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

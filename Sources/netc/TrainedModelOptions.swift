import ArgumentParser
import Foundation
import NetcFrontEnd
import NetcGraph
import NetcRuntime

/// The trained models `predict`, `evaluate` and `export` combine, and how: a run's best fold checkpoints (or
/// one fold of them), or one checkpoint from anywhere.
struct TrainedModelOptions: ParsableArguments {
    @Argument(help: "The run folder (written by netc train); not needed with --weights.")
    var runFolder: String?

    @Option(help: "Use only this fold of the run (1-based) instead of the ensemble of all its folds.")
    var fold: Int?

    @Option(help: "How to combine the folds: logits or probs.")
    var average = EnsembleAverage.logits

    @Option(
        name: .customLong("fold-weights"),
        help: """
            Which best checkpoint of each fold to use: raw (best.safetensors), ema (the moving average of the \
            weights, best-ema.safetensors, for runs trained with --ema-decay) or best (per fold, whichever \
            validated better by the run's --best-by rule).
            """)
    var foldWeights = FoldWeights.best

    @Option(help: "Use this one safetensors checkpoint instead of a run's folds.")
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

    @Flag(
        help: """
            Ensemble the folds that have a best checkpoint even when others are unfinished or missing (by default \
            that is an error naming them).
            """)
    var allowMissingFolds = false

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
        if let fold, fold < 1 { throw ValidationError("--fold counts from 1, found \(fold)") }
        if fold != nil && weights != nil { throw ValidationError("--fold picks a run's fold; not with --weights") }
    }

    /// The model file (the run's copy unless `--model` names one) and the network it describes.
    func network() throws -> (path: String, spec: NetworkSpec) {
        let path = model ?? runFolder.map { RunFolder($0).model } ?? ""
        return (path, try ModelOptions(model: path).parse().1)
    }

    /// The fold models (or the one checkpoint) of `spec`, loaded and checked, in fold order.
    func trainedModels(of spec: NetworkSpec) throws -> [TrainedModel] {
        try foldModels(of: spec).map(\.model)
    }

    /// The fold models (or the one checkpoint, as fold 0) of `spec`, each with the fold (0-based) it was trained
    /// for, its checkpoint chosen by `--fold-weights`.
    func foldModels(of spec: NetworkSpec) throws -> [(fold: Int, model: TrainedModel)] {
        let normalization = mean.flatMap(Normalization.values).flatMap { mean in
            std.flatMap(Normalization.values).map { Normalization(mean: mean, std: $0) }
        }
        if let weights {
            return [(0, try TrainedModel(name: weights, checkpoint: weights, spec: spec, normalization: normalization))]
        }
        guard let folder = runFolder.map(RunFolder.init) else { return [] }
        let manifest = try folder.readManifest()
        if let fold, fold > manifest.folds { throw RunError.foldOutOfRange(fold: fold, folds: manifest.folds) }
        if fold == nil { try checkEveryFoldFinished(folder, manifest) }
        let folds = fold.map { [$0 - 1] } ?? Array(0..<manifest.folds)
        let models = try folds.compactMap { fold -> (Int, TrainedModel)? in
            guard
                let (path, isAverage) = try foldWeights.checkpoint(
                    ofFold: fold, in: folder, bestEpoch: manifest.configuration.bestEpoch)
            else { return nil }
            let name = "fold \(fold + 1)" + (isAverage ? " (ema)" : "")
            return (fold, try TrainedModel(name: name, checkpoint: path, spec: spec, normalization: normalization))
        }
        guard !models.isEmpty else { throw RunError.noCheckpoints(path: folder.path) }
        return models
    }

    /// Throws an error naming the folds of the run that are not finished (a Slurm ensembling job must fail rather
    /// than ensemble fewer folds), or with `--allow-missing-folds` warns about them.
    private func checkEveryFoldFinished(_ folder: RunFolder, _ manifest: RunManifest) throws {
        let unfinished = try folder.foldStates(of: manifest).enumerated().filter { $0.element != .finished }
        guard !unfinished.isEmpty else { return }
        let states = Dictionary(uniqueKeysWithValues: unfinished.map { ($0.offset, $0.element) })
        let epochs = Dictionary(uniqueKeysWithValues: states.keys.map { ($0, manifest.epochs(ofFold: $0)) })
        guard allowMissingFolds else {
            throw RunError.unfinishedFolds(path: folder.path, folds: states, total: manifest.folds, epochs: epochs)
        }
        Terminal.printError(
            "\(folder.path): warning: ensembling every fold with a best checkpoint (--allow-missing-folds); not "
                + "finished: \(RunError.list(states, epochs: epochs))")
    }
}

extension EnsembleAverage: ExpressibleByArgument {}
extension FoldWeights: ExpressibleByArgument {}

extension ModelOptions {
    /// Options naming the model file at `path`.
    init(model path: String) {
        self.init()
        model = path
    }
}

import Foundation
import NetcGraph

/// What one fold has done so far, on disk: its metrics, its best checkpoint (and the best of the moving average of
/// its weights, when the run keeps one) and its resumable last checkpoint.
///
/// After each epoch the fold's metrics are written first, then the best checkpoints (when the epoch is the
/// best), then the last checkpoint. A run killed between two of those writes resumes from the last checkpoint,
/// drops the metrics rows past it and repeats the epoch, which gives the same numbers again. A fold paused
/// between two batches (SIGTERM) saves only its last checkpoint, with `batches_done` and `epoch_loss_sum`, and
/// goes on from the next batch when resumed.
struct FoldProgress {
    let fold: Int
    let folder: RunFolder
    /// The run's rule for the best epoch.
    let bestEpoch: BestEpoch
    private var metrics: MetricsCSV
    /// How the best epoch so far of the weights, and of their moving average, validated.
    private var best, bestAverage: EpochRecord.Validation?
    /// The tensors and counters to continue from, when resuming.
    private(set) var resumeState: ResumeState?

    /// Where a resumed fold goes on from.
    struct ResumeState {
        var tensors: [String: Tensor]
        var step: Int
        var epochs: Int
        /// Batches of epoch `epochs + 1` already trained, and the sum of their losses.
        var batches: Int
        var epochLossSum: Double
    }

    init(fold: Int, folder: RunFolder, bestEpoch: BestEpoch, resume: Bool) throws {
        self.fold = fold
        self.folder = folder
        self.bestEpoch = bestEpoch
        var records: [EpochRecord] = []
        if resume, FileManager.default.fileExists(atPath: folder.last(fold)) {
            let last = try Checkpoint.load(from: folder.last(fold))
            let epochs = Int(last.metadata["epochs_done"] ?? "") ?? 0
            resumeState = ResumeState(
                tensors: Dictionary(last.tensors, uniquingKeysWith: { first, _ in first }),
                step: Int(last.metadata["step"] ?? "") ?? 0, epochs: epochs,
                batches: Int(last.metadata["batches_done"] ?? "") ?? 0,
                epochLossSum: Double(last.metadata["epoch_loss_sum"] ?? "") ?? 0)
            (best, bestAverage) = (Self.validation(last.metadata, "best"), Self.validation(last.metadata, "best_ema"))
            records = try MetricsCSV.records(fromFileAt: folder.foldMetrics(fold)).filter { $0.epoch <= epochs }
        }
        metrics = MetricsCSV(path: folder.foldMetrics(fold), records: records)
    }

    /// The best validation so far a last checkpoint records under `prefix`, in full precision (metrics.csv rounds);
    /// nil when it records none. Checkpoints from before `--best-by` record no accuracy, which the loss rule they
    /// were trained with does not need.
    private static func validation(_ metadata: [String: String], _ prefix: String) -> EpochRecord.Validation? {
        guard let loss = Double(metadata["\(prefix)_val_loss"] ?? "") else { return nil }
        return EpochRecord.Validation(loss: loss, accuracy: Double(metadata["\(prefix)_val_accuracy"] ?? "") ?? 0)
    }

    /// The fold's epochs so far.
    var records: [EpochRecord] { metrics.records }

    /// Records a finished epoch and writes the fold's files; `averagedModel` is the moving average of the weights
    /// as validated in `record.average`.
    mutating func finished(
        _ record: EpochRecord, trainer: FoldTrainer, averagedModel: [(name: String, tensor: Tensor)]?,
        manifest: RunManifest
    ) throws {
        try metrics.append(record)
        var metadata = runMetadata(manifest).merging([
            "epoch": "\(record.epoch)", "train_loss": "\(record.trainLoss)", "val_loss": "\(record.validationLoss)",
            "val_accuracy": "\(record.validationAccuracy)",
        ]) { first, _ in first }
        if bestEpoch.improves(record.validation, on: best) {
            best = record.validation
            let tensors = trainer.persistentTensors(includingOptimizerState: false)
            try Checkpoint(tensors: tensors, metadata: metadata).save(to: folder.best(fold))
        }
        if let average = record.average, let averagedModel, bestEpoch.improves(average, on: bestAverage) {
            bestAverage = average
            var averageMetadata = metadata
            averageMetadata["val_loss"] = "\(average.loss)"
            averageMetadata["val_accuracy"] = "\(average.accuracy)"
            averageMetadata["weights"] = "ema"
            averageMetadata["ema_decay"] = manifest.averageDecay.map { "\($0)" }
            try Checkpoint(tensors: averagedModel, metadata: averageMetadata).save(to: folder.bestAverage(fold))
        }
        metadata.merge(counters(trainer)) { first, _ in first }
        let tensors = trainer.persistentTensors(includingOptimizerState: true)
        try Checkpoint(tensors: tensors, metadata: metadata).save(to: folder.last(fold))
    }

    /// Saves a fold stopped between two batches of an epoch in its last checkpoint; the best checkpoint and the
    /// metrics keep the last finished epoch.
    func paused(trainer: FoldTrainer, manifest: RunManifest) throws {
        let metadata = runMetadata(manifest).merging(counters(trainer)) { first, _ in first }.merging([
            "batches_done": "\(trainer.batchesDone)", "epoch_loss_sum": "\(trainer.epochLossSum)",
        ]) { first, _ in first }
        let tensors = trainer.persistentTensors(includingOptimizerState: true)
        try Checkpoint(tensors: tensors, metadata: metadata).save(to: folder.last(fold))
    }

    /// What every checkpoint of the fold says about the run: model, fold, seed and normalisation.
    private func runMetadata(_ manifest: RunManifest) -> [String: String] {
        [
            "format": "pt", "netc_model": manifest.model, "model_sha256": manifest.modelSHA256,
            "fold": "\(fold + 1)", "seed": "\(manifest.seed)",
        ].merging(manifest.normalization.metadata) { first, _ in first }
    }

    /// The counters a resumed fold goes on from.
    private func counters(_ trainer: FoldTrainer) -> [String: String] {
        var counters = ["step": "\(trainer.step)", "epochs_done": "\(trainer.epochsDone)"]
        for (prefix, validation) in [("best", best), ("best_ema", bestAverage)] {
            guard let validation else { continue }
            counters["\(prefix)_val_loss"] = "\(validation.loss)"
            counters["\(prefix)_val_accuracy"] = "\(validation.accuracy)"
        }
        return counters
    }
}

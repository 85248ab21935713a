import Foundation
import NetcGraph

/// What one fold has done so far, on disk: its metrics, its best checkpoint and its resumable last checkpoint.
///
/// After each epoch the fold's metrics are written first, then the best checkpoint (when the epoch is the
/// best), then the last checkpoint. A run killed between two of those writes resumes from the last checkpoint,
/// drops the metrics rows past it and repeats the epoch, which gives the same numbers again.
struct FoldProgress {
    let fold: Int
    let folder: RunFolder
    private var metrics: MetricsCSV
    private var bestLoss = Double.infinity
    private var bestEpoch = 0
    /// The tensors and counters to continue from, when resuming.
    private(set) var resumeState: (tensors: [String: Tensor], step: Int, epochs: Int)?

    init(fold: Int, folder: RunFolder, resume: Bool) throws {
        self.fold = fold
        self.folder = folder
        var records: [EpochRecord] = []
        if resume, FileManager.default.fileExists(atPath: folder.last(fold)) {
            let last = try Checkpoint.load(from: folder.last(fold))
            let epochs = Int(last.metadata["epochs_done"] ?? "") ?? 0
            resumeState = (
                Dictionary(last.tensors, uniquingKeysWith: { first, _ in first }),
                Int(last.metadata["step"] ?? "") ?? 0, epochs
            )
            bestLoss = Double(last.metadata["best_val_loss"] ?? "") ?? .infinity
            bestEpoch = Int(last.metadata["best_epoch"] ?? "") ?? 0
            records = try MetricsCSV.records(fromFileAt: folder.foldMetrics(fold)).filter { $0.epoch <= epochs }
        }
        metrics = MetricsCSV(path: folder.foldMetrics(fold), records: records)
    }

    /// The fold's epochs so far.
    var records: [EpochRecord] { metrics.records }

    /// Records a finished epoch and writes the fold's files.
    mutating func finished(_ record: EpochRecord, trainer: FoldTrainer, manifest: RunManifest) throws {
        try metrics.append(record)
        var metadata = [
            "format": "pt", "netc_model": manifest.model, "model_sha256": manifest.modelSHA256,
            "fold": "\(fold + 1)", "epoch": "\(record.epoch)", "train_loss": "\(record.trainLoss)",
            "val_loss": "\(record.validationLoss)", "val_accuracy": "\(record.validationAccuracy)",
            "seed": "\(manifest.seed)",
        ].merging(manifest.normalization.metadata) { first, _ in first }
        if record.validationLoss < bestLoss {
            bestLoss = record.validationLoss
            bestEpoch = record.epoch
            let tensors = trainer.persistentTensors(includingOptimizerState: false)
            try Checkpoint(tensors: tensors, metadata: metadata).save(to: folder.best(fold))
        }
        metadata["step"] = "\(trainer.step)"
        metadata["epochs_done"] = "\(trainer.epochsDone)"
        metadata["best_val_loss"] = "\(bestLoss)"
        metadata["best_epoch"] = "\(bestEpoch)"
        let tensors = trainer.persistentTensors(includingOptimizerState: true)
        try Checkpoint(tensors: tensors, metadata: metadata).save(to: folder.last(fold))
    }
}

import Foundation
import NetcGraph

/// Which of a fold's best checkpoints an ensemble uses: the raw weights', the moving average's, or per fold the
/// one that validated better.
public enum FoldWeights: String, Hashable, Sendable, CaseIterable {
    /// The raw weights at their best epoch (`fold-K/best.safetensors`).
    case raw
    /// The moving average of the weights at its best epoch (`fold-K/best-ema.safetensors`).
    case ema
    /// Per fold, whichever of the two validated better by the run's ``BestEpoch`` rule (from the validation loss
    /// and accuracy each checkpoint records), the raw weights among equals; the raw weights when the run keeps no
    /// average.
    case best

    /// The checkpoint of fold `fold` (0-based) of `folder` this choice names, with whether it holds the average;
    /// nil when the fold has no best checkpoint yet. `bestEpoch` is the run's rule.
    ///
    /// - Throws: `RunError.noAverage` when asked for the average of a fold that has none.
    public func checkpoint(
        ofFold fold: Int, in folder: RunFolder, bestEpoch: BestEpoch
    ) throws -> (path: String, isAverage: Bool)? {
        let files = FileManager.default
        let (raw, average) = (folder.best(fold), folder.bestAverage(fold))
        let hasRaw = files.fileExists(atPath: raw)
        let hasAverage = files.fileExists(atPath: average)
        switch self {
        case .raw:
            return hasRaw ? (raw, false) : nil
        case .ema:
            guard hasAverage else {
                if !hasRaw { return nil }
                throw RunError.noAverage(path: average)
            }
            return (average, true)
        case .best:
            guard hasAverage else { return hasRaw ? (raw, false) : nil }
            guard hasRaw else { return (average, true) }
            let averageIsBetter = bestEpoch.improves(try Self.validation(of: average), on: try Self.validation(of: raw))
            return averageIsBetter ? (average, true) : (raw, false)
        }
    }

    /// The validation loss and accuracy a checkpoint written by `netc train` records; +∞ and 0 when it records
    /// none.
    private static func validation(of path: String) throws -> EpochRecord.Validation {
        let metadata = try Checkpoint.load(from: path).metadata
        return EpochRecord.Validation(
            loss: Double(metadata["val_loss"] ?? "") ?? .infinity,
            accuracy: Double(metadata["val_accuracy"] ?? "") ?? 0)
    }
}

import Foundation

/// Which of a fold's best checkpoints an ensemble uses: the raw weights', the moving average's, or per fold the
/// one that validated better.
public enum FoldWeights: String, Hashable, Sendable, CaseIterable {
    /// The raw weights at their best epoch (`fold-K/best.safetensors`).
    case raw
    /// The moving average of the weights at its best epoch (`fold-K/best-ema.safetensors`).
    case ema
    /// Per fold, whichever of the two has the lower validation loss (recorded in each checkpoint); the raw
    /// weights when the run keeps no average.
    case best

    /// The checkpoint of fold `fold` (0-based) of `folder` this choice names, with whether it holds the average;
    /// nil when the fold has no best checkpoint yet.
    ///
    /// - Throws: `RunError.noAverage` when asked for the average of a fold that has none.
    public func checkpoint(ofFold fold: Int, in folder: RunFolder) throws -> (path: String, isAverage: Bool)? {
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
            let rawLoss = try Self.validationLoss(of: raw)
            let averageLoss = try Self.validationLoss(of: average)
            return averageLoss < rawLoss ? (average, true) : (raw, false)
        }
    }

    /// The validation loss a checkpoint written by `netc train` records; +∞ when it records none.
    private static func validationLoss(of path: String) throws -> Double {
        Double(try Checkpoint.load(from: path).metadata["val_loss"] ?? "") ?? .infinity
    }
}

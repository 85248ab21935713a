import Foundation

/// How far one fold of a run has got, as its files tell.
public enum FoldState: Hashable, Sendable {
    /// Every epoch trained; its best checkpoint is final.
    case finished
    /// Started but not finished: `epochs` epochs and `batches` batches of the next one saved (a fold that failed,
    /// was stopped, or is still training).
    case unfinished(epochs: Int, batches: Int)
    /// Nothing saved yet.
    case notStarted

    /// How a message names the state: `finished`, `2 of 5 epochs done`, `not started`.
    public func described(epochs total: Int) -> String {
        switch self {
        case .finished: "finished"
        case .unfinished(let epochs, let batches):
            "\(epochs) of \(total) epochs done" + (batches > 0 ? " and \(batches) batches of the next" : "")
        case .notStarted: "not started"
        }
    }
}

extension RunFolder {
    /// The state of fold `fold` (0-based) of a run of `epochs` epochs per fold, read from its last checkpoint.
    ///
    /// - Throws: ``CheckpointError`` when the last checkpoint is there but unreadable.
    public func state(ofFold fold: Int, epochs: Int) throws -> FoldState {
        let hasBest = FileManager.default.fileExists(atPath: best(fold))
        guard FileManager.default.fileExists(atPath: last(fold)) else {
            return hasBest ? .unfinished(epochs: 0, batches: 0) : .notStarted
        }
        let metadata = try Checkpoint.load(from: last(fold)).metadata
        let epochsDone = Int(metadata["epochs_done"] ?? "") ?? 0
        let batchesDone = Int(metadata["batches_done"] ?? "") ?? 0
        return epochsDone >= epochs && hasBest ? .finished : .unfinished(epochs: epochsDone, batches: batchesDone)
    }

    /// Every fold's state, in fold order (a time budget's plan sets the epochs of each fold).
    public func foldStates(of manifest: RunManifest) throws -> [FoldState] {
        try (0..<manifest.folds).map { try state(ofFold: $0, epochs: manifest.epochs(ofFold: $0)) }
    }
}

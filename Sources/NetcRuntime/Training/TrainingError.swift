import NetcGraph

/// Why training stopped.
public enum TrainingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The training part of a fold holds fewer images than one batch.
    case tooFewImages(count: Int, batchSize: Int)
    /// The loss became NaN or infinite; `firstNonFiniteTensor` names the first parameter or state tensor that did
    /// too, if any.
    case nonFiniteLoss(fold: Int, epoch: Int, step: Int, firstNonFiniteTensor: String?)
    /// With numerics checked, a kernel computed a NaN or an infinity during step `step` (or the validation after it).
    case numericalFault(fold: Int, epoch: Int, step: Int, NumericalFault)
    /// A time budget too short for one epoch of every fold, at the pace of the timed first epoch.
    case budgetTooShort(budget: TimeBudget, elapsed: Double, epochSeconds: Double, folds: Int)

    public var description: String {
        switch self {
        case .tooFewImages(let count, let batchSize):
            "error: a fold trains on \(count) images, fewer than one batch of \(batchSize); use fewer folds, a smaller "
                + "--batch-size or more data"
        case .nonFiniteLoss(let fold, let epoch, let step, let tensor):
            "error: the training loss became non-finite in fold \(fold + 1), epoch \(epoch), step \(step)"
                + (tensor.map { "; the first non-finite tensor is '\($0)'" } ?? "; every weight is still finite")
                + ". The last good checkpoint is kept; try a lower learning rate"
        case .numericalFault(let fold, let epoch, let step, let fault):
            "error: fold \(fold + 1), epoch \(epoch), step \(step): \(fault). The last good checkpoint is kept; try "
                + "a lower learning rate"
        case .budgetTooShort(let budget, let elapsed, let epochSeconds, let folds):
            "error: the time budget \(budget) does not fit one epoch of each of \(folds) fold(s): an epoch took "
                + "\(Int(epochSeconds.rounded())) s and \(Int(elapsed.rounded())) s are spent; give a longer "
                + "--time-budget, fewer --folds or a smaller --limit"
        }
    }
}

/// Why training stopped.
public enum TrainingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The training part of a fold holds fewer images than one batch.
    case tooFewImages(count: Int, batchSize: Int)
    /// The loss became NaN or infinite.
    case nonFiniteLoss(fold: Int, epoch: Int, step: Int)

    public var description: String {
        switch self {
        case .tooFewImages(let count, let batchSize):
            "a fold trains on \(count) images, fewer than one batch of \(batchSize); use fewer folds, a smaller "
                + "--batch-size or more data"
        case .nonFiniteLoss(let fold, let epoch, let step):
            "the training loss became non-finite in fold \(fold + 1), epoch \(epoch), step \(step); try a lower "
                + "learning rate"
        }
    }
}

import NetcGraph

/// The one rule for a fold's best epoch, applied by the best checkpoints (of the weights and of their moving
/// average), the choice between those two, the progress lines, the summaries and the loss plots alike. While no
/// epoch has a finite validation loss, none is best (and no best checkpoint is written).
extension BestEpoch {
    /// Whether an epoch validated as `candidate` becomes the best over the earlier ones, whose best is `best` (nil
    /// while there is none).
    public func improves(_ candidate: EpochRecord.Validation, on best: EpochRecord.Validation?) -> Bool {
        guard candidate.loss.isFinite else { return false }
        guard let best else { return true }
        switch self {
        case .loss:
            return candidate.loss < best.loss
        case .accuracy:
            return candidate.accuracy > best.accuracy
                || (candidate.accuracy == best.accuracy && candidate.loss < best.loss)
        }
    }

    /// The best of `epochs`, given in any order, or nil when none has a finite validation loss.
    public func best<Epochs: Sequence>(
        of epochs: Epochs, epoch: (Epochs.Element) -> Int, validation: (Epochs.Element) -> EpochRecord.Validation
    ) -> Epochs.Element? {
        var best: (element: Epochs.Element, validation: EpochRecord.Validation)?
        for element in epochs.sorted(by: { epoch($0) < epoch($1) })
        where improves(validation(element), on: best?.validation) {
            best = (element, validation(element))
        }
        return best?.element
    }
}

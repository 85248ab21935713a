/// The one rule for a fold's best epoch, used by the best checkpoint, the progress lines, the summaries and the
/// loss plots alike: the lowest finite validation loss wins, the earliest of equals; while no epoch has a finite
/// validation loss, none is best (and no best checkpoint is written).
public enum BestEpoch {
    /// Whether an epoch with validation loss `loss` becomes the best over the earlier ones, whose best loss is
    /// `best` (+∞ while there is none).
    public static func improves(_ loss: Double, on best: Double) -> Bool {
        loss.isFinite && loss < best
    }

    /// The best of `epochs`, given in any order, or nil when none has a finite validation loss.
    public static func best<Epochs: Sequence>(
        of epochs: Epochs, epoch: (Epochs.Element) -> Int, validationLoss: (Epochs.Element) -> Double
    ) -> Epochs.Element? {
        var best: (element: Epochs.Element, loss: Double)?
        for element in epochs.sorted(by: { epoch($0) < epoch($1) })
        where improves(validationLoss(element), on: best?.loss ?? .infinity) {
            best = (element, validationLoss(element))
        }
        return best?.element
    }
}

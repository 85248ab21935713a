/// How many epochs per fold fit in a time budget, planned from one timed epoch.
///
/// Every epoch of a run does the same work (the same images, the same validation), so the time of the first
/// gives the rest. The plan leaves `margin` of the budget unspent for the pace to vary, and the epoch it was
/// timed on is run again under the planned schedule (see `KFoldRun`), so it counts as spent.
public struct EpochPlan: Hashable, Sendable {
    /// Epochs each fold trains.
    public let epochs: Int
    /// The run's expected total time, from its start, in seconds.
    public let expectedSeconds: Double

    /// The share of the budget the plan leaves unspent.
    public static let margin = 0.03

    /// The most epochs per fold, up to `maximum`, such that `folds` folds of them, at `epochSeconds` each,
    /// fit in what is left of `budget` seconds after `elapsed` seconds, less the margin; nil when not even one
    /// epoch per fold fits.
    public init?(budget: Double, elapsed: Double, epochSeconds: Double, folds: Int, maximum: Int) {
        precondition(epochSeconds > 0 && folds > 0 && maximum > 0, "a plan needs a timed epoch and a fold")
        let available = budget * (1 - Self.margin) - elapsed
        let fitting = Int((available / (epochSeconds * Double(folds))).rounded(.down))
        guard fitting >= 1 else { return nil }
        epochs = min(fitting, maximum)
        expectedSeconds = elapsed + Double(epochs * folds) * epochSeconds
    }
}

/// What makes an epoch a fold's best, whose weights the fold's best checkpoint keeps (`bestBy(.accuracy)` in a
/// `Training { ... }` block, `--best-by accuracy` on the command line).
///
/// `loss`, the default, is what PyTorch and Keras users monitor; `accuracy` is for recipes whose loss is a poor guide
/// to accuracy, such as label smoothing, which holds the model's confidence down so that the plain cross-entropy of
/// its right answers rises while accuracy still climbs.
public enum BestEpoch: String, Hashable, Sendable, CaseIterable {
    /// The lowest validation loss wins, the earliest of equals.
    case loss
    /// The highest validation accuracy wins; among equal accuracies the lowest validation loss, then the earliest.
    case accuracy
}

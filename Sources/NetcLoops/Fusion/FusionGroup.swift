import NetcGraph

/// How a value is made available to the kernels that read it.
enum Placement: Hashable {
    /// A parameter, state tensor or input in its arena, or a constant read as a literal.
    case source
    /// Computed by its group's kernel and written to a buffer.
    case stored
    /// Recomputed wherever it is read (a cheap elementwise op, or one read exactly once).
    case inlined
    /// Computed inside its group's kernel and consumed there by the next link of an epilogue.
    case `internal`
    /// The same elements as another value (a reshape).
    case alias(ValueID)
}

/// The values one kernel computes.
struct FusionGroup: Hashable {
    /// What loop nest the kernel is built around.
    enum Kind: Hashable {
        /// A convolution, matrix product, pooling, reduction or loss, with its epilogue.
        case anchor
        /// Values computed element by element at the same index, each stored.
        case elementwise
        /// Per-channel batch statistics in one pass, with the running averages that read them.
        case moments
        /// BatchNorm's input gradient with its gamma and beta gradients (one reduction feeds all three).
        case batchNormBackward
        /// Every optimizer update, in one loop over the flat parameter arena.
        case flatOptimizer
    }

    /// The loop nest.
    var kind: Kind
    /// The value the loop nest is built around.
    var root: ValueID
    /// Every value the kernel computes, root first, then in graph order.
    var members: [ValueID]
    /// The elementwise chain applied to the root's result before it is stored; the last link is stored.
    var epilogue: [ValueID] = []
    /// Per-channel sums of the stored result (a bias gradient) computed in the same pass; they do not move the
    /// kernel later, since nothing before the optimizer reads them.
    var outputSums: [ValueID] = []
    /// A convolution weight gradient vectorised over pixels (`Lowering.vectorisesOverPixels`) whose only output
    /// gradient is this BatchNorm backward group's result: the group sums it in the same pass, so that result is
    /// never stored (like `outputSums`, it does not move the kernel later).
    var weightGradient: ValueID?

    /// Every value the kernel computes: members, epilogue, output sums and fused weight gradient.
    var values: [ValueID] { members + epilogue + outputSums + (weightGradient.map { [$0] } ?? []) }

    /// The position in the graph after which the kernel can run.
    var lastMember: ValueID { (members + epilogue).max() ?? root }
}

/// The flat layout that lets one loop update every parameter: gradients and each optimizer state laid out
/// exactly like the parameter arena.
struct FlatOptimizerLayout: Hashable {
    /// The parameters in declaration order.
    var parameters: [ValueID]
    /// Each parameter's gradient, in the same order.
    var gradients: [ValueID]
    /// For each state role (`exp_avg`, `exp_avg_sq`, `momentum_buffer`), each parameter's state tensor.
    var states: [[ValueID]]
    /// Parameter 0's optimizer nodes in graph order: the body of the loop.
    var template: [ValueID]
}

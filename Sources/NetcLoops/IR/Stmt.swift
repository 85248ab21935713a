/// One step of a kernel body.
public enum Stmt: Hashable, Sendable {
    /// A counted loop over a static range.
    case loop(Loop)
    /// Writes `value` to element `index` of a buffer.
    case store(BufferID, index: Expr, value: Expr)
    /// Sets a local.
    case assign(LocalID, Expr)
    /// Runs `body` only when the `bool` condition holds (padding, first iteration).
    case when(Expr, [Stmt])
}

/// `for variable in lower..<upper { body }` with static bounds, `lower < upper`.
///
/// A *parallel* loop's iterations touch disjoint memory and may run in any order on any thread: the caller
/// of the kernel splits its range into `[begin, end)` slices (see `Kernel.parallelExtent`). Each iteration
/// computes the same values whatever the split, so results do not depend on the number of threads.
public struct Loop: Hashable, Sendable {
    /// The variable counting through the range.
    public var variable: LoopVariable
    /// The first value.
    public var lower: Int
    /// One past the last value.
    public var upper: Int
    /// The statements run for each value.
    public var body: [Stmt]
    /// Whether the kernel's caller splits the range over threads.
    public var isParallel: Bool

    /// Creates a loop; the range must not be empty, and a parallel one starts at 0.
    public init(_ variable: LoopVariable, _ range: Range<Int>, isParallel: Bool = false, body: [Stmt]) {
        precondition(!range.isEmpty, "loops have at least one iteration")
        precondition(!isParallel || range.lowerBound == 0, "parallel loops start at 0")
        self.variable = variable
        (lower, upper) = (range.lowerBound, range.upperBound)
        self.isParallel = isParallel
        self.body = body
    }

    /// The number of iterations.
    public var tripCount: Int { upper - lower }
}

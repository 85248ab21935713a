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
public struct Loop: Hashable, Sendable {
    /// The variable counting through the range.
    public var variable: LoopVariable
    /// The first value.
    public var lower: Int
    /// One past the last value.
    public var upper: Int
    /// The statements run for each value.
    public var body: [Stmt]

    /// Creates a loop; the range must not be empty.
    public init(_ variable: LoopVariable, _ range: Range<Int>, body: [Stmt]) {
        precondition(!range.isEmpty, "loops have at least one iteration")
        self.variable = variable
        (lower, upper) = (range.lowerBound, range.upperBound)
        self.body = body
    }

    /// The number of iterations.
    public var tripCount: Int { upper - lower }
}

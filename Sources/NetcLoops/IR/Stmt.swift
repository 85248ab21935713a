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

/// How a loop's iterations may run.
public enum LoopKind: Hashable, Sendable {
    /// One after another, in order.
    case serial
    /// Split into `[begin, end)` slices by the kernel's caller and run on any threads (see `Loop`).
    case parallel
    /// `lanes` iterations at a time in the lanes of vector registers; the trip count is a multiple of `lanes`.
    ///
    /// The iterations are independent: none reads or writes memory another one writes, and each local it reads
    /// was set before the loop or earlier in the same iteration. Conditions (`when`) inside do not depend on the
    /// loop's variable. So the loop means exactly what a serial loop means, and any evaluator may run it as one;
    /// the code generator computes values that depend on the variable as vectors and the rest once per vector.
    case vector(lanes: Int)
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
    /// How the iterations run: in order, split over threads, or as vector lanes.
    public var kind: LoopKind

    /// Creates a loop; the range must not be empty, a parallel one starts at 0, and a vector one's trip count is
    /// a multiple of its lanes.
    public init(_ variable: LoopVariable, _ range: Range<Int>, kind: LoopKind, body: [Stmt]) {
        precondition(!range.isEmpty, "loops have at least one iteration")
        switch kind {
        case .serial: break
        case .parallel: precondition(range.lowerBound == 0, "parallel loops start at 0")
        case .vector(let lanes): precondition(lanes > 0 && range.count % lanes == 0, "whole vectors of lanes")
        }
        self.variable = variable
        (lower, upper) = (range.lowerBound, range.upperBound)
        self.kind = kind
        self.body = body
    }

    /// Creates a serial or parallel loop.
    public init(_ variable: LoopVariable, _ range: Range<Int>, isParallel: Bool = false, body: [Stmt]) {
        self.init(variable, range, kind: isParallel ? .parallel : .serial, body: body)
    }

    /// Whether the kernel's caller splits the range over threads.
    public var isParallel: Bool { kind == .parallel }

    /// The number of lanes of a vector loop, nil for other loops.
    public var vectorLanes: Int? {
        if case .vector(let lanes) = kind { lanes } else { nil }
    }

    /// The number of iterations.
    public var tripCount: Int { upper - lower }
}

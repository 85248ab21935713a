import NetcGraph

/// Builds one kernel's body: declares locals and loop variables and nests statements as loops are opened.
///
/// Lowering code describes loop nests with closures; the result is plain `Stmt` values.
struct KernelBuilder {
    private(set) var locals: [ScalarType] = []
    private(set) var variableCount = 0
    private var blocks: [[Stmt]] = [[]]
    /// Values already computed in the current iteration (group members, epilogue links), by graph value.
    var computed: [ValueID: Expr] = [:]
    /// Buffers the kernel writes with non-temporal stores (`Kernel.streamedBuffers`).
    var streamedBuffers: Set<BufferID> = []

    /// A new local of `type` set to `initial`.
    mutating func local(_ type: ScalarType, _ initial: Expr) -> Expr {
        let local = LocalID(locals.count)
        locals.append(type)
        append(.assign(local, initial))
        return .local(local)
    }

    /// Sets a local made by `local(_:_:)`.
    mutating func assign(_ local: Expr, _ value: Expr) {
        guard case .local(let id) = local else { preconditionFailure("only locals can be assigned") }
        append(.assign(id, value))
    }

    /// Writes `value` to element `index` of `buffer`.
    mutating func store(_ buffer: BufferID, _ index: Expr, _ value: Expr) {
        append(.store(buffer, index: index, value: value))
    }

    /// Runs `body` for each value of `range` (nothing when it is empty).
    mutating func loop(_ range: Range<Int>, _ body: (inout KernelBuilder, Expr) -> Void) {
        loop(range, kind: .serial, body)
    }

    /// Runs `body` for each value of `range`, `lanes` values at a time in vector registers: iterations must be
    /// independent (see `LoopKind.vector`), and the range's length a multiple of `lanes`.
    mutating func vectorLoop(_ range: Range<Int>, lanes: Int, _ body: (inout KernelBuilder, Expr) -> Void) {
        loop(range, kind: .vector(lanes: lanes), body)
    }

    /// Runs `body` for each value of `0..<extent`, split over threads by the kernel's caller: iterations
    /// must write disjoint memory, and every parallel loop of a kernel has the same extent.
    mutating func parallelLoop(_ extent: Int, _ body: (inout KernelBuilder, Expr) -> Void) {
        loop(0..<extent, kind: .parallel, body)
    }

    private mutating func loop(_ range: Range<Int>, kind: LoopKind, _ body: (inout KernelBuilder, Expr) -> Void) {
        guard !range.isEmpty else { return }
        let variable = LoopVariable(variableCount)
        variableCount += 1
        blocks.append([])
        body(&self, .variable(variable))
        let statements = blocks.removeLast()
        append(.loop(Loop(variable, range, kind: kind, body: statements)))
    }

    /// Runs `body` only when `condition` holds; always when there is no condition.
    mutating func when(_ condition: Expr?, _ body: (inout KernelBuilder) -> Void) {
        guard let condition else { return body(&self) }
        blocks.append([])
        body(&self)
        let statements = blocks.removeLast()
        append(.when(condition, statements))
    }

    /// `value` itself when it is cheap to repeat (a constant, variable, local or load), else a new local.
    mutating func bind(_ value: Expr, _ type: ScalarType) -> Expr {
        switch value {
        case .integer, .real, .variable, .local, .load: value
        default: local(type, value)
        }
    }

    /// The finished kernel.
    func kernel(name: String, computes: [String]) -> Kernel {
        precondition(blocks.count == 1, "every loop is closed")
        return Kernel(
            name: name, computes: computes, locals: locals, variableCount: variableCount, body: blocks[0],
            streamedBuffers: streamedBuffers)
    }

    private mutating func append(_ statement: Stmt) {
        blocks[blocks.count - 1].append(statement)
    }
}

/// Which element of a value a loop is at: its flat row-major index, and its channel (axis 1) when the loop
/// knows it without dividing.
struct Access {
    var flat: Expr
    var channel: Expr?

    init(_ flat: Expr, channel: Expr? = nil) {
        self.flat = flat
        self.channel = channel
    }
}

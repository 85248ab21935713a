extension Kernel {
    /// The range `0..<extent` the kernel's parallel loops share, which a caller may split into `[begin, end)`
    /// slices run on different threads; nil when the kernel has no parallel loop and runs as one piece.
    public var parallelExtent: Int? {
        var extents = Set<Int>()
        for statement in body { statement.collectParallelExtents(into: &extents) }
        precondition(extents.count <= 1, "\(name): parallel loops of one kernel share one extent")
        return extents.first
    }

    /// The floating-point operations one run performs, from the loop nest: each add, subtract, multiply,
    /// divide, minimum, maximum or unary function counts one, a multiply-add two; conditional statements
    /// count as if always taken, so padded convolutions are slightly overcounted.
    public var floatingPointOperations: Int {
        body.reduce(0) { $0 + $1.floatingPointOperations(locals: locals) }
    }
}

extension Kernel {
    /// Whether the kernel has a multiply-add (a convolution's compute-bound loops): what the code generator
    /// unrolls for registers, while memory-bound kernels are compiled for size.
    public var multipliesAndAdds: Bool {
        var found = false
        func visit(_ statement: Stmt) {
            switch statement {
            case .loop(let loop): loop.body.forEach(visit)
            case .when(_, let body): body.forEach(visit)
            case .store(_, _, let value), .assign(_, let value):
                if case .multiplyAdd = value { found = true }
            }
        }
        body.forEach(visit)
        return found
    }
}

extension Stmt {
    fileprivate func collectParallelExtents(into extents: inout Set<Int>) {
        switch self {
        case .loop(let loop):
            if loop.isParallel { extents.insert(loop.tripCount) }
            for statement in loop.body { statement.collectParallelExtents(into: &extents) }
        case .when(_, let body): for statement in body { statement.collectParallelExtents(into: &extents) }
        case .store, .assign: break
        }
    }

    fileprivate func floatingPointOperations(locals: [ScalarType]) -> Int {
        switch self {
        case .loop(let loop):
            loop.tripCount * loop.body.reduce(0) { $0 + $1.floatingPointOperations(locals: locals) }
        case .when(let condition, let body):
            condition.floatingPointOperations + body.reduce(0) { $0 + $1.floatingPointOperations(locals: locals) }
        case .store(_, let index, let value): index.floatingPointOperations + value.floatingPointOperations
        case .assign(_, let value): value.floatingPointOperations
        }
    }
}

extension Expr {
    /// Floating-point operations of one evaluation; integer index arithmetic is free (an operation counts
    /// when one of its operands is a real constant, a conversion to a float, or a float operation itself).
    fileprivate var floatingPointOperations: Int { floatCount.operations }

    /// (operations, whether the value is floating-point), judged without the kernel's type tables.
    private var floatCount: (operations: Int, isFloat: Bool) {
        switch self {
        case .integer, .variable, .philox: return (0, false)
        case .real: return (0, true)
        case .local, .load: return (0, true)
        case .unary(_, let a):
            let inner = a.floatCount
            return (inner.operations + 1, true)
        case .binary(let op, let a, let b):
            let (x, y) = (a.floatCount, b.floatCount)
            let isFloat = x.isFloat && y.isFloat && !Self.integerOnly.contains(op)
            return (x.operations + y.operations + (isFloat ? 1 : 0), isFloat)
        case .multiplyAdd(let a, let b, let c):
            return (a.floatCount.operations + b.floatCount.operations + c.floatCount.operations + 2, true)
        case .compare(_, let a, let b): return (a.floatCount.operations + b.floatCount.operations, false)
        case .select(let c, let a, let b):
            let value = a.floatCount
            return (c.floatCount.operations + value.operations + b.floatCount.operations, value.isFloat)
        case .convert(let a, let type): return (a.floatCount.operations, type.isFloatingPoint)
        }
    }

    private static let integerOnly: Set<BinaryOperator> = [.remainder, .and, .or, .xor, .shiftLeft, .shiftRight]
}

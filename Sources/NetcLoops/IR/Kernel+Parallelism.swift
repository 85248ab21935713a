extension Kernel {
    /// The range `0..<extent` the kernel's parallel loops share, which a caller may split into `[begin, end)`
    /// slices run on different threads; nil when the kernel has no parallel loop and runs as one piece.
    public var parallelExtent: Int? {
        var extents = Set<Int>()
        for statement in body { statement.collectParallelExtents(into: &extents) }
        precondition(extents.count <= 1, "\(name): parallel loops of one kernel share one extent")
        return extents.first
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
}

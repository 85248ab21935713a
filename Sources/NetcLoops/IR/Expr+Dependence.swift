/// What an expression depends on: which loop variables and locals it reads, and how an index moves with a loop.
extension Expr {
    /// Whether the expression reads `variable` (when given) or any local in `locals`.
    public func depends(on variable: LoopVariable?, orAnyOf locals: Set<LocalID> = []) -> Bool {
        switch self {
        case .integer, .real: false
        case .variable(let other): other == variable
        case .local(let local): locals.contains(local)
        case .load(_, let index): index.depends(on: variable, orAnyOf: locals)
        case .unary(_, let a), .convert(let a, _): a.depends(on: variable, orAnyOf: locals)
        case .binary(_, let a, let b), .compare(_, let a, let b):
            a.depends(on: variable, orAnyOf: locals) || b.depends(on: variable, orAnyOf: locals)
        case .multiplyAdd(let a, let b, let c), .select(let a, let b, let c):
            [a, b, c].contains { $0.depends(on: variable, orAnyOf: locals) }
        case .philox(let key, let step, _, let index):
            [key, step, index].contains { $0.depends(on: variable, orAnyOf: locals) }
        }
    }

    /// The index as `base + stride · variable` with `base` free of `variable`, or nil when it is not of that form
    /// (it divides, takes a remainder of, or multiplies two terms that depend on `variable`, or loads with it).
    ///
    /// Locals count as constants: a caller asking about the lanes of a vector loop first checks that the index reads
    /// no local that differs between lanes.
    public func linearForm(in variable: LoopVariable) -> (base: Expr, stride: Int)? {
        guard depends(on: variable) else { return (self, 0) }
        switch self {
        case .variable: return (0, 1)
        case .binary(.add, let a, let b):
            guard let x = a.linearForm(in: variable), let y = b.linearForm(in: variable) else { return nil }
            return (x.base + y.base, x.stride + y.stride)
        case .binary(.subtract, let a, let b):
            guard let x = a.linearForm(in: variable), let y = b.linearForm(in: variable) else { return nil }
            return (x.base - y.base, x.stride - y.stride)
        case .binary(.multiply, let a, let b):
            guard let x = a.linearForm(in: variable), let y = b.linearForm(in: variable) else { return nil }
            switch (x.stride, y.stride, x.base.integerValue, y.base.integerValue) {
            case (_, 0, _, let factor?): return (x.base * y.base, x.stride * factor)
            case (0, _, let factor?, _): return (x.base * y.base, y.stride * factor)
            default: return nil
            }
        default: return nil
        }
    }

    /// The index as `invariant + wrapped % modulus` with `invariant` free of `variable` and a constant modulus, or
    /// nil when it is not of that form: a per-channel read across planes, `(plane + lane) % channels`.
    public func wrappedForm(in variable: LoopVariable) -> (invariant: Expr, wrapped: Expr, modulus: Int)? {
        switch self {
        case .binary(.remainder, let wrapped, .integer(let modulus)): return (0, wrapped, modulus)
        case .binary(.add, let a, let b) where !a.depends(on: variable):
            return b.wrappedForm(in: variable).map { (a + $0.invariant, $0.wrapped, $0.modulus) }
        case .binary(.add, let a, let b) where !b.depends(on: variable):
            return a.wrappedForm(in: variable).map { ($0.invariant + b, $0.wrapped, $0.modulus) }
        default: return nil
        }
    }

    /// A number the expression is known to be a multiple of (0 when it is 0): constants are multiples of themselves,
    /// products of their factors' product, sums and differences of their terms' greatest common divisor; anything
    /// else of 1.
    public var knownFactor: Int {
        switch self {
        case .integer(let value): return abs(value)
        case .binary(.multiply, let a, let b): return a.knownFactor * b.knownFactor
        case .binary(.add, let a, let b), .binary(.subtract, let a, let b):
            var (x, y) = (a.knownFactor, b.knownFactor)
            while y != 0 { (x, y) = (y, x % y) }
            return x
        default: return 1
        }
    }

    /// Whether the expression is known not to be negative: constants that are not, variables whose loops start at
    /// 0 or later (`loopStarts`: each open loop's first value), and sums and products of such.
    public func isNonNegative(loopStarts: [LoopVariable: Int]) -> Bool {
        switch self {
        case .integer(let value): value >= 0
        case .variable(let variable): (loopStarts[variable] ?? -1) >= 0
        case .binary(.add, let a, let b), .binary(.multiply, let a, let b):
            a.isNonNegative(loopStarts: loopStarts) && b.isNonNegative(loopStarts: loopStarts)
        default: false
        }
    }
}

extension Stmt {
    /// The locals `loop`'s body assigns from values that differ between its iterations: directly from its
    /// variable, or from another such local (the values a vector loop keeps one per lane).
    public static func localsVarying(in loop: Loop) -> Set<LocalID> {
        var assignments: [(LocalID, Expr)] = []
        func collect(_ statement: Stmt) {
            switch statement {
            case .loop(let inner): inner.body.forEach(collect)
            case .when(_, let body): body.forEach(collect)
            case .assign(let local, let value): assignments.append((local, value))
            case .store: break
            }
        }
        loop.body.forEach(collect)
        var varying = Set<LocalID>()
        var changed = true
        while changed {
            changed = false
            for (local, value) in assignments where !varying.contains(local) {
                if value.depends(on: loop.variable, orAnyOf: varying) {
                    varying.insert(local)
                    changed = true
                }
            }
        }
        return varying
    }
}

import NetcLoops

/// Indices that wrap around a channel count: a vector loop across (image, channel) planes reads per-channel values
/// at `(plane + lane) % channels`. When the channels and lane 0's plane are multiples of the lanes, the lanes'
/// channels are neighbours and never wrap inside one vector, so the read is one vector load (which LLVM can hoist
/// out of the loops the channel does not depend on) instead of a gather of one element per lane.
extension KernelEmitter {
    /// The index of lane 0's element when `index` is `invariant + (base + v) % modulus` for the vector loop's
    /// variable v, with `invariant` and `base` the same in every lane, `base` a non-negative multiple of the lanes,
    /// `modulus` a multiple of the lanes and the loop starting at a multiple of the lanes: lane l then reads lane 0's
    /// element + l.
    func wrappedContiguousIndex(_ index: Expr, in module: borrowing IRModule) -> IRValue? {
        guard let vector, vector.lower >= 0, vector.lower % vector.count == 0,
            !index.depends(on: nil, orAnyOf: Set(vector.slots.keys)),
            let (invariant, wrapped, modulus) = Self.splitWrapped(index, variable: vector.variable),
            modulus > 0, modulus % vector.count == 0,
            let form = wrapped.linearForm(in: vector.variable), form.stride == 1,
            isNonNegative(form.base), Self.knownFactor(of: form.base) % vector.count == 0
        else { return nil }
        let lane0 = builder.binary(
            .signedRemainder, builder.binary(.add, emit(form.base, in: module), vector.base),
            module.constant(modulus, types.int64))
        return builder.binary(.add, emit(invariant, in: module), lane0)
    }

    /// `index` as `invariant + wrapped % modulus` with `invariant` free of `variable`, or nil.
    private static func splitWrapped(
        _ index: Expr, variable: LoopVariable
    ) -> (invariant: Expr, wrapped: Expr, modulus: Int)? {
        switch index {
        case .binary(.remainder, let wrapped, .integer(let modulus)): return (0, wrapped, modulus)
        case .binary(.add, let a, let b) where !a.depends(on: variable):
            return splitWrapped(b, variable: variable).map { (a + $0.invariant, $0.wrapped, $0.modulus) }
        case .binary(.add, let a, let b) where !b.depends(on: variable):
            return splitWrapped(a, variable: variable).map { ($0.invariant + b, $0.wrapped, $0.modulus) }
        default: return nil
        }
    }

    /// A number `expression` is known to be a multiple of (0 when it is 0): constants are multiples of themselves,
    /// products of their factors' product, sums of their terms' greatest common divisor; anything else of 1.
    static func knownFactor(of expression: Expr) -> Int {
        switch expression {
        case .integer(let value): return abs(value)
        case .binary(.multiply, let a, let b): return knownFactor(of: a) * knownFactor(of: b)
        case .binary(.add, let a, let b), .binary(.subtract, let a, let b):
            var (x, y) = (knownFactor(of: a), knownFactor(of: b))
            while y != 0 { (x, y) = (y, x % y) }
            return x
        default: return 1
        }
    }

    /// Whether `expression` is known not to be negative: constants that are not, variables of loops that start at 0
    /// or later, and sums and products of such.
    func isNonNegative(_ expression: Expr) -> Bool {
        switch expression {
        case .integer(let value): value >= 0
        case .variable(let variable): (loopStarts[variable] ?? -1) >= 0
        case .binary(.add, let a, let b), .binary(.multiply, let a, let b): isNonNegative(a) && isNonNegative(b)
        default: false
        }
    }
}

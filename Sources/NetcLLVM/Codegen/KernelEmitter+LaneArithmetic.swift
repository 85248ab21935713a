import NetcLoops

/// Straight-line `f64` arithmetic on a scalar or on every lane of a vector: the pieces the compiled functions of the C
/// library (`exponential`, `hyperbolicTangent`, `errorFunction`) are built from, so that the same code serves a
/// scalar loop and each lane of a vector loop and gives them the same bits.
extension KernelEmitter {
    /// The `f64` constant `value`, splatted across the lanes of `x` when `x` is a vector.
    func real(_ value: Double, like x: IRValue, in module: borrowing IRModule) -> IRValue {
        let scalar = module.constant(value, types.float64)
        guard let lanes = lanes(of: x) else { return scalar }
        return module.constantVector(Array(repeating: scalar, count: lanes))
    }

    /// The `i64` constant `value`, splatted across the lanes of `x` when `x` is a vector.
    func integer(_ value: Int, like x: IRValue, in module: borrowing IRModule) -> IRValue {
        let scalar = module.constant(value, types.int64)
        guard let lanes = lanes(of: x) else { return scalar }
        return module.constantVector(Array(repeating: scalar, count: lanes))
    }

    /// `a · b + c` rounded once (`llvm.fma`: always fused, unlike `multiplyAdd`, since these functions' error bounds
    /// count on it).
    func fused(_ a: IRValue, _ b: IRValue, _ c: IRValue, in module: borrowing IRModule) -> IRValue {
        builder.call(module.intrinsic(named: "llvm.fma", overloadedOn: [a.type]), [a, b, c])
    }

    /// c₀ + c₁s + … + cₙsⁿ by Horner's rule with fused steps; `coefficients` lowest degree first.
    func polynomial(_ coefficients: [Double], at s: IRValue, in module: borrowing IRModule) -> IRValue {
        guard let highest = coefficients.last else { preconditionFailure("a polynomial needs a coefficient") }
        var result = real(highest, like: s, in: module)
        for coefficient in coefficients.dropLast().reversed() {
            result = fused(result, s, real(coefficient, like: s, in: module), in: module)
        }
        return result
    }

    /// |x|.
    func magnitude(_ x: IRValue, in module: borrowing IRModule) -> IRValue {
        builder.call(module.intrinsic(named: "llvm.fabs", overloadedOn: [x.type]), [x])
    }

    /// `magnitude` with the sign of `x` (−0 keeps its sign, as the C library's odd functions do), by masking the bits.
    ///
    /// Not `llvm.copysign`: LLVM 14's x86 backend folds a vector `x` widened from `f32` into the copysign and then
    /// fails to select it ("Cannot select: f32 = extract_vector_elt ... v2f64") when the loop vectoriser has built that
    /// vector from one masked-in lane, as it does for a Tanh after a grouped convolution on 5×5 planes when compiling
    /// for Zen 3 (AVX2, `znver3`).
    func copyingSign(of x: IRValue, to magnitude: IRValue, in module: borrowing IRModule) -> IRValue {
        let integers = lanes(of: x).map { types.vector(.int64, $0) } ?? types.int64
        func bits(_ value: IRValue) -> IRValue { builder.convert(value, .bitCast, to: integers) }
        let sign = builder.binary(.and, bits(x), integer(Int.min, like: x, in: module))
        let rest = builder.binary(.and, bits(magnitude), integer(Int.max, like: x, in: module))
        return builder.convert(builder.binary(.or, rest, sign), .bitCast, to: x.type)
    }

    /// The integer nearest a · b, for |a · b| < 2⁵¹: adding 1.5 · 2⁵² in the same rounding leaves it in the low bits.
    func nearestInteger(toProductOf a: IRValue, _ b: IRValue, in module: borrowing IRModule) -> IRValue {
        let shifter = real(Self.roundingShifter, like: a, in: module)
        return builder.binary(.floatSubtract, fused(a, b, shifter, in: module), shifter)
    }

    /// 2ⁿ for an integral `n` within the normal exponents (−1022…1023), built in the exponent field.
    func powerOfTwo(_ n: IRValue, in module: borrowing IRModule) -> IRValue {
        let shifter = real(Self.roundingShifter, like: n, in: module)
        let integers = lanes(of: n).map { types.vector(.int64, $0) } ?? types.int64
        let bits = builder.convert(builder.binary(.floatAdd, n, shifter), .bitCast, to: integers)
        let field = builder.binary(
            .shiftLeft, builder.binary(.add, bits, integer(1023, like: n, in: module)),
            integer(52, like: n, in: module))
        return builder.convert(field, .bitCast, to: n.type)
    }

    /// The Cody and Waite reduction of eˣ: n, the integer nearest x · log₂ e, and r = x − n · ln 2 (|r| ≤ ln 2 / 2),
    /// taken off in two fused steps with ln 2 split into a high and a low part; |x| < 1,077.
    func exponentReduction(_ x: IRValue, in module: borrowing IRModule) -> (n: IRValue, r: IRValue) {
        let n = nearestInteger(toProductOf: x, real(1.4426950408889634, like: x, in: module), in: module)
        let negated = builder.floatNegate(n)
        let high = fused(negated, real(0.6931471803691238, like: x, in: module), x, in: module)
        return (n, fused(negated, real(1.9082149292705877e-10, like: x, in: module), high, in: module))
    }

    /// The lane count of `x` inside a vector loop, nil for a scalar.
    private func lanes(of x: IRValue) -> Int? {
        x.type == types.float64 || x.type == types.int64 ? nil : vector?.count
    }

    /// 1.5 · 2⁵²: an `f64` at or above 2⁵² has no fraction bits, so adding it rounds to an integer.
    private static let roundingShifter = 6_755_399_441_055_744.0

    /// 1 / k! for k = 0…13, the Taylor coefficients of eʳ to degree 13 (the first term left out, r¹⁴ / 14!, is below
    /// 5 · 10⁻¹⁸ for |r| ≤ ln 2 / 2).
    static let exponentialSeries: [Double] = (0...13).map { k in 1 / (1...max(k, 1)).reduce(1) { $0 * Double($1) } }
}

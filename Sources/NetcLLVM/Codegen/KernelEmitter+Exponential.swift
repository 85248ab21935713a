import NetcLoops

/// eˣ in `f64` as straight-line arithmetic, the same code for a scalar and for every lane of a vector, where LLVM 14
/// would call the C library's `exp` once per lane: a network's SiLU, sigmoid and GELU evaluate it for every element
/// (MobileNet's SiLU passes over 100 × 256 × 7 × 7 activations spent most of their time in those calls).
///
/// The classic reduction (Cody and Waite; Cephes, SLEEF): x = n · ln 2 + r with n the integer nearest x · log₂ e and
/// |r| ≤ ln 2 / 2, r taken off in two fused steps with ln 2 split into a high and a low part, e^r by its Taylor
/// series to degree 13 (the first term left out, r¹⁴ / 14!, is below 5 · 10⁻¹⁸), and 2ⁿ built in the exponent field
/// as two factors, so that results near the overflow threshold (n = 1024) and below the normal range are rounded once.
/// Within 1 unit in the last place of the C library's value (`ExponentialTests`); +∞ above 709.78, NaN for NaN, and 0
/// where the result is subnormal, since compiled code runs with denormals flushed to zero.
extension KernelEmitter {
    /// eˣ of an `f64` scalar or vector `x`.
    func exponential(_ x: IRValue, in module: borrowing IRModule) -> IRValue {
        let lanes = x.type == types.float64 ? nil : vector?.count
        func real(_ value: Double) -> IRValue {
            let scalar = module.constant(value, types.float64)
            guard let lanes else { return scalar }
            return module.constantVector(Array(repeating: scalar, count: lanes))
        }
        func integer(_ value: Int) -> IRValue {
            let scalar = module.constant(value, types.int64)
            guard let lanes else { return scalar }
            return module.constantVector(Array(repeating: scalar, count: lanes))
        }
        let integers = lanes.map { types.vector(.int64, $0) } ?? types.int64
        let fused = module.intrinsic(named: "llvm.fma", overloadedOn: [x.type])
        func fma(_ a: IRValue, _ b: IRValue, _ c: IRValue) -> IRValue { builder.call(fused, [a, b, c]) }
        func add(_ a: IRValue, _ b: IRValue) -> IRValue { builder.binary(.floatAdd, a, b) }
        func subtract(_ a: IRValue, _ b: IRValue) -> IRValue { builder.binary(.floatSubtract, a, b) }
        func multiply(_ a: IRValue, _ b: IRValue) -> IRValue { builder.binary(.floatMultiply, a, b) }

        // Arguments past the thresholds give the same ±∞ or 0 clamped; NaN (which equals nothing) goes through as 0
        // and is put back at the end.
        let isNumber = builder.compare(.floatEqual, x, x)
        let below = builder.select(builder.compare(.floatGreater, x, real(710)), then: real(710), else: x)
        let clamped = builder.select(
            isNumber,
            then: builder.select(builder.compare(.floatLess, below, real(-746)), then: real(-746), else: below),
            else: real(0))
        // Adding 1.5 · 2⁵² rounds to an integer (|x · log₂ e| < 1,077 here), which then sits in the low bits.
        let shifter = real(6_755_399_441_055_744)
        let n = subtract(fma(clamped, real(1.4426950408889634), shifter), shifter)
        let negated = builder.floatNegate(n)
        let r = fma(negated, real(1.9082149292705877e-10), fma(negated, real(0.6931471803691238), clamped))
        var series = real(1 / Self.factorials[13])
        for k in stride(from: 12, through: 0, by: -1) { series = fma(series, r, real(1 / Self.factorials[k])) }
        // 2ⁿ as 2^(n − h) · 2^h with h = n / 2 rounded: each within the normal exponents for every clamped x.
        let half = subtract(fma(n, real(0.5), shifter), shifter)
        func power(_ exponent: IRValue) -> IRValue {
            let bits = builder.convert(add(exponent, shifter), .bitCast, to: integers)
            let field = builder.binary(.shiftLeft, builder.binary(.add, bits, integer(1023)), integer(52))
            return builder.convert(field, .bitCast, to: x.type)
        }
        let result = multiply(multiply(series, power(subtract(n, half))), power(half))
        return builder.select(isNumber, then: result, else: x)
    }

    /// k! for k = 0…13, exact in `f64`.
    private static let factorials: [Double] = (0...13).map { k in (1...max(k, 1)).reduce(1) { $0 * Double($1) } }
}

import NetcLoops

/// eˣ in `f64` as straight-line arithmetic, the same code for a scalar and for every lane of a vector, where LLVM 14
/// would call the C library's `exp` once per lane: a network's SiLU, sigmoid and GELU evaluate it for every element
/// (MobileNet's SiLU passes over 100 × 256 × 7 × 7 activations spent most of their time in those calls).
///
/// The classic reduction (Cody and Waite; Cephes, SLEEF; `exponentReduction`): x = n · ln 2 + r, e^r by its Taylor
/// series to degree 13, and 2ⁿ built in the exponent field as two factors, so that results near the overflow
/// threshold (n = 1024) and below the normal range are rounded once. Within 1 unit in the last place of the C
/// library's value (`CompiledLibraryFunctionTests`); +∞ above 709.78, NaN for NaN, and 0 where the result is subnormal, since
/// compiled code runs with denormals flushed to zero.
extension KernelEmitter {
    /// eˣ of an `f64` scalar or vector `x`.
    func exponential(_ x: IRValue, in module: borrowing IRModule) -> IRValue {
        func real(_ value: Double) -> IRValue { self.real(value, like: x, in: module) }
        // Arguments past the thresholds give the same ±∞ or 0 clamped; NaN (which equals nothing) goes through as 0
        // and is put back at the end.
        let isNumber = builder.compare(.floatEqual, x, x)
        let below = builder.select(builder.compare(.floatGreater, x, real(710)), then: real(710), else: x)
        let clamped = builder.select(
            isNumber,
            then: builder.select(builder.compare(.floatLess, below, real(-746)), then: real(-746), else: below),
            else: real(0))
        let (n, r) = exponentReduction(clamped, in: module)
        let series = polynomial(Self.exponentialSeries, at: r, in: module)
        // 2ⁿ as 2^(n − h) · 2^h with h = n / 2 rounded: each within the normal exponents for every clamped x.
        let half = nearestInteger(toProductOf: n, real(0.5), in: module)
        let low = powerOfTwo(builder.binary(.floatSubtract, n, half), in: module)
        let result = builder.binary(
            .floatMultiply, builder.binary(.floatMultiply, series, low), powerOfTwo(half, in: module))
        return builder.select(isNumber, then: result, else: x)
    }
}

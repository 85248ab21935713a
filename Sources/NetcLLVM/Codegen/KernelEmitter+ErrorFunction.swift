import NetcLoops

/// erf x in `f64` as straight-line arithmetic, where LLVM 14 has no intrinsic and a vector's lanes would each call the
/// C library (GELU evaluates it for every element, forward and backward).
///
/// Three polynomials, all evaluated (57 fused steps) and one chosen per lane by |x|, since a vector's lanes fall in
/// different pieces: below 2, x · P(x² / 2 − 1); from 2 to 6, 1 − erfc(|x|) with erfc a polynomial in |x| − 3 on
/// [2, 4] and in |x| − 5 on [4, 6]; |x| clamped to 6, where erf already rounds to ±1 (erfc(5.92) < 2⁻⁵⁴); the sign
/// copied back, so erf(−0) = −0; NaN gives NaN. The coefficients are least-squares fits at Chebyshev nodes in 40-digit arithmetic, of the lowest degree
/// whose `f64` evaluation stays within 3.5 · 10⁻¹⁶ relative below 2 and 5 · 10⁻¹⁷ absolute above
/// (`tools/derive-erf-coefficients` prints them); within 2 units in the last place of the C library's value
/// (`CompiledLibraryFunctionTests`), 0 for arguments below the normal range (denormals are flushed to zero).
extension KernelEmitter {
    /// erf x of an `f64` scalar or vector `x`.
    func errorFunction(_ x: IRValue, in module: borrowing IRModule) -> IRValue {
        func real(_ value: Double) -> IRValue { self.real(value, like: x, in: module) }
        let magnitude = magnitude(x, in: module)
        let clamped = builder.select(builder.compare(.floatGreater, magnitude, real(6)), then: real(6), else: magnitude)
        let shifted = fused(builder.binary(.floatMultiply, clamped, real(0.5)), clamped, real(-1), in: module)
        var result = builder.binary(
            .floatMultiply, clamped, polynomial(Self.smallArgumentSeries, at: shifted, in: module))
        for piece in Self.complementPieces {
            let s = builder.binary(.floatSubtract, clamped, real(piece.centre))
            let value = builder.binary(.floatSubtract, real(1), polynomial(piece.series, at: s, in: module))
            result = builder.select(
                builder.compare(.floatLess, clamped, real(piece.lower)), then: result, else: value)
        }
        return copyingSign(of: x, to: result, in: module)
    }

    /// erfc on [lower, lower + 2] as a polynomial in s = |x| − centre (exact: Sterbenz's lemma).
    struct ComplementPiece {
        let lower: Double
        let centre: Double
        let series: [Double]
    }

    /// erf(x) / x as a polynomial in s = x² / 2 − 1, for |x| < 2.
    static let smallArgumentSeries: [Double] = [
        0.674933236039655, -0.2611118609312449, 0.11947913860985163, -0.048662777449178594, 0.017128344571823155,
        -0.005234875835829019, 0.0014050914235852877, -0.0003351435355973672, 7.180100878173158e-05,
        -1.3946266834092667e-05, 2.475801058128637e-06, -4.045225297207437e-07, 6.119735980430362e-08,
        -8.60362747515682e-09, 1.1331607171428763e-09, -1.4817692852849454e-10, 1.7218973582855107e-11,
    ]

    /// erfc(|x|) on [2, 4] and [4, 6] as polynomials in s = |x| − centre.
    static let complementPieces: [ComplementPiece] = [
        ComplementPiece(
            lower: 2, centre: 3,
            series: [
                2.2090496998581026e-05, -0.00013925305194668956, 0.00041775915584130137, -0.0007891006277033751,
                0.0010443978895588255, -0.0010165472790774472, 0.000738041175959376, -0.000390571656831355,
                0.00013477705596195505, -1.3906874721068527e-05, -1.561621227282908e-05, 1.0793574629709594e-05,
                -3.0307770024111033e-06, -1.2327083746109878e-07, 4.5264703764710164e-07, -1.6593652584024118e-07,
                9.233122468725448e-09, 1.5202370675044265e-08, -5.895911219512688e-09, 2.368163687127184e-10,
                4.2985889278284586e-10, -9.806820181068916e-11,
            ]),
        ComplementPiece(
            lower: 4, centre: 5,
            series: [
                1.5374604770315758e-12, -1.5670831216917702e-11, 7.835420461535412e-11, -2.5595958663473375e-10,
                6.137795990142795e-10, -1.1507274222031467e-09, 1.7542178612354287e-09, -2.232391568659725e-09,
                2.4145166138923617e-09, -2.2472176503504513e-09, 1.8181701008676589e-09, -1.2889603888152097e-09,
                7.983135347601149e-10, -4.2648290039633475e-10, 1.996951708420847e-10, -8.56351917118692e-11,
                3.004441545384015e-11, -5.583401391348866e-12,
            ]),
    ]
}

import NetcLoops

/// erf x in `f64` as straight-line arithmetic, where LLVM 14 has no intrinsic and a vector's lanes would each call the
/// C library (GELU evaluates it for every element, forward and backward).
///
/// Five polynomials, all evaluated and one chosen per lane by |x| (a vector's lanes fall in different pieces): below
/// 1, x · P(2x² − 1); from 1 to 6, 1 − erfc(|x|) with erfc a polynomial on [1, 2], [2, 3], [3, 4] and [4, 6]; |x|
/// clamped to 6, where erf already rounds to ±1 (erfc(5.92) < 2⁻⁵⁴); the sign copied back, so erf(−0) = −0; NaN
/// gives NaN. The coefficients are least-squares fits at Chebyshev nodes in 40-digit arithmetic, of the lowest degree
/// whose `f64` evaluation stays within 3.5 · 10⁻¹⁶ relative below 1 and 5 · 10⁻¹⁷ absolute above
/// (`tools/derive-erf-coefficients` prints them); within 2 units in the last place of the C library's value
/// (`CompiledLibraryFunctionTests`), 0 for arguments below the normal range (denormals are flushed to zero).
extension KernelEmitter {
    /// erf x of an `f64` scalar or vector `x`.
    func errorFunction(_ x: IRValue, in module: borrowing IRModule) -> IRValue {
        func real(_ value: Double) -> IRValue { self.real(value, like: x, in: module) }
        let magnitude = magnitude(x, in: module)
        let clamped = builder.select(builder.compare(.floatGreater, magnitude, real(6)), then: real(6), else: magnitude)
        let shifted = fused(builder.binary(.floatAdd, clamped, clamped), clamped, real(-1), in: module)
        var result = builder.binary(
            .floatMultiply, clamped, polynomial(Self.smallArgumentSeries, at: shifted, in: module))
        for piece in Self.complementPieces {
            let s = fused(clamped, real(1 / piece.halfWidth), real(-piece.centre / piece.halfWidth), in: module)
            let value = builder.binary(.floatSubtract, real(1), polynomial(piece.series, at: s, in: module))
            result = builder.select(
                builder.compare(.floatLess, clamped, real(piece.lower)), then: result, else: value)
        }
        return copyingSign(of: x, to: result, in: module)
    }

    /// erfc on [lower, lower + 2 · halfWidth] as a polynomial in s = (|x| − centre) / halfWidth, exact for these
    /// centres and widths (a multiplication by a power of two and a subtraction Sterbenz's lemma makes exact).
    struct ComplementPiece {
        let lower: Double
        let centre: Double
        let halfWidth: Double
        let series: [Double]
    }

    /// erf(x) / x as a polynomial in s = 2x² − 1, for |x| < 1.
    static let smallArgumentSeries: [Double] = [
        0.9654687386698673, -0.1405360890227171, 0.019852496688984218, -0.0022854855611441132, 0.00021751715603563404,
        -1.7537169441124826e-05, 1.2233827638116999e-06, -7.51156928660089e-08, 4.115751497588646e-09,
        -2.035228404899467e-10, 9.211251258348265e-12, -3.8078827395263415e-13,
    ]

    /// erfc(|x|) on [1, 2], [2, 3], [3, 4] and [4, 6] as polynomials in s = (|x| − centre) / half-width.
    static let complementPieces: [ComplementPiece] = [
        ComplementPiece(
            lower: 1, centre: 1.5, halfWidth: 0.5,
            series: [
                0.033894853524689274, -0.059465144611814694, 0.04459885845886054, -0.017344000511778916,
                0.0027874286536915312, 0.00046457144227333665, -0.00030197143761252646, 3.705510318607491e-05,
                9.229210128540484e-06, -3.3394915371293018e-06, 9.073466454880266e-08, 1.2424295609074606e-07,
                -1.896398315023479e-08, -2.192699900106983e-09, 8.568511735336291e-10, -1.734553287409881e-11,
                -2.1623735367035915e-11, 2.141736423953899e-12,
            ]),
        ComplementPiece(
            lower: 2, centre: 2.5, halfWidth: 0.5,
            series: [
                0.00040695201744495957, -0.0010891421151763103, 0.0013614276439703381, -0.0010437611937128063,
                0.0005388984424077833, -0.000191167131644436, 4.3726408674964124e-05, -4.237578790167075e-06,
                -1.0182427176563547e-06, 4.888392608610104e-07, -7.695485455658222e-08, -2.509454629438864e-09,
                3.4382386712115677e-09, -5.714075357932072e-10, -1.1801269645498535e-11, 1.8900686226818484e-11,
                -2.3403087326058464e-12,
            ]),
        ComplementPiece(
            lower: 3, centre: 3.5, halfWidth: 0.5,
            series: [
                7.430983723372522e-07, -2.6997133886415386e-06, 4.7244984307436685e-06, -5.286938721502835e-06,
                4.232363165908464e-06, -2.566133797415694e-06, 1.2147539389341187e-06, -4.5463097954144103e-07,
                1.33824554950509e-07, -2.994259589731275e-08, 4.532985484765444e-09, -2.17610854504278e-10,
                -1.0921371832718794e-10, 3.72235083099018e-11, -5.106401783227378e-12,
            ]),
        ComplementPiece(
            lower: 4, centre: 5, halfWidth: 1,
            series: [
                1.5374604770315758e-12, -1.5670831216917702e-11, 7.835420461535412e-11, -2.5595958663473375e-10,
                6.137795990142795e-10, -1.1507274222031467e-09, 1.7542178612354287e-09, -2.232391568659725e-09,
                2.4145166138923617e-09, -2.2472176503504513e-09, 1.8181701008676589e-09, -1.2889603888152097e-09,
                7.983135347601149e-10, -4.2648290039633475e-10, 1.996951708420847e-10, -8.56351917118692e-11,
                3.004441545384015e-11, -5.583401391348866e-12,
            ]),
    ]
}

/// One of Winograd's minimal filtering algorithms F(m×m, 3×3) (Lavin and Gray, "Fast Algorithms for Convolutional
/// Neural Networks", 2016): an m×m tile of output pixels from an α×α tile d of input, α = m + 2, as
/// Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, with α² products per pair of channels where direct convolution takes 9m².
///
/// Each transform is written as its one-dimensional form applied to the columns and then to the rows of a tile, with
/// the sums the rows of the matrices share computed once.
struct WinogradTile {
    /// The two algorithms.
    private enum Size {
        /// F(2×2, 3×3).
        case twoByTwo
        /// F(4×4, 3×3).
        case fourByFour
    }

    /// Which of the two this tile is.
    private let size: Size

    /// The tile of `algorithm`; nil for direct convolution in either tile.
    init?(_ algorithm: Schedule.Algorithm) {
        switch algorithm {
        case .direct, .directAcrossImages: return nil
        case .winograd2x2: size = .twoByTwo
        case .winograd4x4: size = .fourByFour
        }
    }

    /// Output pixels along each side of a tile: m = 2 or 4.
    var outputs: Int {
        switch size {
        case .twoByTwo: 2
        case .fourByFour: 4
        }
    }

    /// Input pixels along each side of a tile, α = m + 2.
    var inputs: Int { outputs + 2 }

    /// V = Bᵀ d B for the α×α tile `d` (row-major).
    func transformInput(_ d: [Expr], _ builder: inout KernelBuilder) -> [Expr] {
        Self.twoDimensional(d, side: inputs, transformInputColumn, &builder)
    }

    /// Y = Aᵀ m A for the α×α products `m` (row-major): the m×m pixels, row-major.
    func transformOutput(_ m: [Expr], _ builder: inout KernelBuilder) -> [Expr] {
        Self.twoDimensional(m, side: inputs, transformOutputColumn, &builder)
    }

    /// U = G g Gᵀ for the 3×3 kernel `g` (row-major): α×α values, row-major.
    func transformWeights(_ g: [Expr], _ builder: inout KernelBuilder) -> [Expr] {
        Self.twoDimensional(g, side: 3, transformWeightColumn, &builder)
    }

    /// A D Aᵀ for the m×m output gradients `d` (row-major): the gradient of a tile's α×α products, row-major.
    func transformGradient(_ d: [Expr], _ builder: inout KernelBuilder) -> [Expr] {
        Self.twoDimensional(d, side: outputs, transformGradientColumn, &builder)
    }

    /// Gᵀ m G for the α×α gradients `m` of a kernel's transformed weights (row-major): the 3×3 kernel's gradient.
    func transformWeightGradient(_ m: [Expr], _ builder: inout KernelBuilder) -> [Expr] {
        Self.twoDimensional(m, side: inputs, transformWeightGradientColumn, &builder)
    }

    /// `transform` applied to each column of the `side`×`side` values `d`, then to each row of the result.
    private static func twoDimensional(
        _ d: [Expr], side: Int, _ transform: ([Expr]) -> [Expr], _ builder: inout KernelBuilder
    ) -> [Expr] {
        let columns = (0..<side).map { j in
            transform((0..<side).map { d[side * $0 + j] }).map { builder.local(.float32, $0) }
        }
        return (0..<columns[0].count).flatMap { i in transform(columns.map { $0[i] }) }
    }

    /// Bᵀ times one column: for m = 2, Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]]; for m = 4,
    /// Bᵀ = [[4, 0, −5, 0, 1, 0], [0, −4, −4, 1, 1, 0], [0, 4, −4, −1, 1, 0], [0, −2, −1, 2, 1, 0],
    /// [0, 2, −1, −2, 1, 0], [0, 4, 0, −5, 0, 1]].
    private func transformInputColumn(_ d: [Expr]) -> [Expr] {
        switch size {
        case .twoByTwo: return [d[0] - d[2], d[1] + d[2], d[2] - d[1], d[1] - d[3]]
        case .fourByFour: break
        }
        let (d34, d12, d4m2, d3m1) = (d[3] + d[4], d[1] + d[2], d[4] - d[2], d[3] - d[1])
        return [
            .multiplyAdd(.f32(4), d[0], .multiplyAdd(.f32(-5), d[2], d[4])),
            .multiplyAdd(.f32(-4), d12, d34),
            .multiplyAdd(.f32(4), d[1] - d[2], d[4] - d[3]),
            .multiplyAdd(.f32(2), d3m1, d4m2),
            .multiplyAdd(.f32(-2), d3m1, d4m2),
            .multiplyAdd(.f32(4), d[1], .multiplyAdd(.f32(-5), d[3], d[5])),
        ]
    }

    /// Aᵀ times one column: for m = 2, Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]; for m = 4, Aᵀ = [[1, 1, 1, 1, 1, 0],
    /// [0, 1, −1, 2, −2, 0], [0, 1, 1, 4, 4, 0], [0, 1, −1, 8, −8, 1]].
    private func transformOutputColumn(_ m: [Expr]) -> [Expr] {
        switch size {
        case .twoByTwo: return [m[0] + m[1] + m[2], m[1] - m[2] - m[3]]
        case .fourByFour: break
        }
        let (sum12, sum34, difference12, difference34) = (m[1] + m[2], m[3] + m[4], m[1] - m[2], m[3] - m[4])
        return [
            m[0] + sum12 + sum34,
            .multiplyAdd(.f32(2), difference34, difference12),
            .multiplyAdd(.f32(4), sum34, sum12),
            .multiplyAdd(.f32(8), difference34, difference12) + m[5],
        ]
    }

    /// A times one column of m output gradients (A is the transpose of `transformOutputColumn`'s Aᵀ).
    private func transformGradientColumn(_ d: [Expr]) -> [Expr] {
        switch size {
        case .twoByTwo: return [d[0], d[0] + d[1], d[0] - d[1], .unary(.negate, d[1])]
        case .fourByFour: break
        }
        let (even, odd) = (d[0] + d[2] * .f32(4), d[1] * .f32(2) + d[3] * .f32(8))
        return [d[0], d[0] + d[1] + d[2] + d[3], d[0] - d[1] + d[2] - d[3], even + odd, even - odd, d[3]]
    }

    /// Gᵀ times one column of α gradients (G as in `transformWeightColumn`).
    private func transformWeightGradientColumn(_ u: [Expr]) -> [Expr] {
        switch size {
        case .twoByTwo:
            let (sum, difference) = ((u[1] + u[2]) * .f32(0.5), (u[1] - u[2]) * .f32(0.5))
            return [u[0] + sum, difference, sum + u[3]]
        case .fourByFour: break
        }
        let (sum12, difference12, sum34, difference34) = (u[1] + u[2], u[2] - u[1], u[3] + u[4], u[3] - u[4])
        return [
            u[0] * .f32(0.25) + sum12 * .f32(-1.0 / 6) + sum34 * .f32(1.0 / 24),
            difference12 * .f32(1.0 / 6) + difference34 * .f32(1.0 / 12),
            (sum34 - sum12) * .f32(1.0 / 6) + u[5],
        ]
    }

    /// G times one column (a, b, c) of a kernel: for m = 2, G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]]; for
    /// m = 4, G = [[¼, 0, 0], [−⅙, −⅙, −⅙], [−⅙, ⅙, −⅙], [1/24, 1/12, ⅙], [1/24, −1/12, ⅙], [0, 0, 1]].
    private func transformWeightColumn(_ g: [Expr]) -> [Expr] {
        let (a, b, c) = (g[0], g[1], g[2])
        switch size {
        case .twoByTwo: return [a, (a + b + c) * .f32(0.5), (a - b + c) * .f32(0.5), c]
        case .fourByFour: break
        }
        let twiceB = b * .f32(2)
        return [
            a * .f32(0.25), (a + b + c) * .f32(-1.0 / 6), (a - b + c) * .f32(-1.0 / 6),
            (a + twiceB + c * .f32(4)) * .f32(1.0 / 24), (a - twiceB + c * .f32(4)) * .f32(1.0 / 24), c,
        ]
    }
}

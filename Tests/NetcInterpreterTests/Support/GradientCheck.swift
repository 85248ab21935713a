import NetcGraph

/// The gradient of `f` at `x` by central differences: ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h.
///
/// Run `f` in float64 (`Interpreter(precision: .float64)`); with values of order one, h = 1e-6 balances
/// truncation (∝ h²) against rounding (∝ ε/h).
func numericGradient(
    of f: ([Double]) throws -> Double, at x: [Double], step h: Double = 1e-6
) rethrows
    -> [Double]
{
    var gradient = [Double](repeating: 0, count: x.count)
    var probe = x
    for i in x.indices {
        probe[i] = x[i] + h
        let above = try f(probe)
        probe[i] = x[i] - h
        let below = try f(probe)
        probe[i] = x[i]
        gradient[i] = (above - below) / (2 * h)
    }
    return gradient
}

/// How far an analytic gradient is from a numeric one.
struct GradientComparison: CustomStringConvertible {
    /// ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖, 1e-30), Euclidean norms.
    let relativeError: Double
    /// The first index with the largest absolute difference.
    let worstIndex: Int
    /// The analytic and numeric values at `worstIndex`.
    let worst: (analytic: Double, numeric: Double)

    /// Compares two gradients of the same length.
    init(analytic: [Double], numeric: [Double]) {
        precondition(analytic.count == numeric.count && !analytic.isEmpty, "gradients must match in length")
        func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let difference = zip(analytic, numeric).map { $0 - $1 }
        relativeError = norm(difference) / max(norm(analytic), norm(numeric), 1e-30)
        var worstIndex = 0
        for i in difference.indices where abs(difference[i]) > abs(difference[worstIndex]) { worstIndex = i }
        self.worstIndex = worstIndex
        worst = (analytic[worstIndex], numeric[worstIndex])
    }

    var description: String {
        "relative error \(relativeError); worst at index \(worstIndex): analytic \(worst.analytic), "
            + "numeric \(worst.numeric)"
    }
}

/// Reproducible test data from the counter-based generator.
enum TestData {
    /// `count` numbers uniform in [−1, 1), different for each `stream`.
    static func uniform(count: Int, stream: UInt32, seed: UInt64 = 2024) -> [Double] {
        let generator = Philox(seed: seed)
        return (0..<count).map { 2 * generator.uniform(stream: 0x7000 + stream, step: 0, index: UInt32($0)) - 1 }
    }

    /// Like `uniform`, but every value has magnitude at least 0.1, so no element sits near relu's kink.
    static func awayFromZero(count: Int, stream: UInt32) -> [Double] {
        uniform(count: count, stream: stream).map { $0 < 0 ? $0 - 0.1 : $0 + 0.1 }
    }

    /// A shuffled set of distinct values in [−1, 1), at least 2/count apart, so pooling windows have no ties.
    static func distinct(count: Int, stream: UInt32) -> [Double] {
        let order = uniform(count: count, stream: stream).enumerated().sorted { $0.element < $1.element }
        var values = [Double](repeating: 0, count: count)
        for (rank, entry) in order.enumerated() { values[entry.offset] = 2 * Double(rank) / Double(count) - 1 }
        return values
    }
}

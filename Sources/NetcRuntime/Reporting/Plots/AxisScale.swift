import Foundation

/// How data values along one axis map to the 0...1 span of a plot, and where its labelled ticks go.
///
/// Linear scales start at a "nice" bound (a multiple of 1, 2 or 5 × 10ⁿ) and step by one; logarithmic
/// scales put ticks on powers of ten, adding 2× and 5× ticks when the range spans two decades or fewer.
struct AxisScale: Equatable {
    /// The value at the start of the axis.
    let lower: Double
    /// The value at the end of the axis.
    let upper: Double
    /// Whether positions follow the logarithm of the value.
    let isLogarithmic: Bool
    /// The values that get a tick and a label, ascending, all within `lower...upper`.
    let ticks: [Double]

    /// Where `value` lies along the axis: 0 at `lower`, 1 at `upper`.
    func fraction(of value: Double) -> Double {
        if isLogarithmic { return (log10(value) - log10(lower)) / (log10(upper) - log10(lower)) }
        return (value - lower) / (upper - lower)
    }

    /// Whether `value` can be placed on this axis at all (finite, and positive on a log scale).
    func canPlace(_ value: Double) -> Bool {
        value.isFinite && (!isLogarithmic || value > 0)
    }

    /// The text under or beside a tick, with as many decimals as the tick spacing needs: `0.05`, `2`, `100`.
    func label(for tick: Double) -> String {
        let spacing = isLogarithmic ? tick : (ticks.count > 1 ? ticks[1] - ticks[0] : tick)
        let decimals = spacing > 0 ? max(0, Int(-floor(log10(spacing) + 1e-9))) : 0
        return String(format: "%.\(decimals)f", tick)
    }

    /// The scale for loss values: logarithmic when the largest is more than ten times the smallest positive
    /// one, otherwise linear from zero; 0...1 when there is nothing to show.
    static func forLosses(_ values: [Double]) -> AxisScale {
        let finite = values.filter(\.isFinite)
        guard let largest = finite.max(), largest > 0 else { return linear(from: 0, through: 1) }
        if let smallest = finite.filter({ $0 > 0 }).min(), largest / smallest > 10 {
            return logarithmic(from: smallest, through: largest)
        }
        return linear(from: 0, through: largest)
    }

    /// The scale for epochs 1...`lastEpoch`, with whole-number ticks.
    static func forEpochs(through lastEpoch: Int) -> AxisScale {
        let upper = Double(max(lastEpoch, 2))
        let step = max(1, niceStep(atLeast: (upper - 1) / 6))
        let ticks = stride(from: step, through: upper, by: step).map { $0 }
        return AxisScale(lower: 1, upper: upper, isLogarithmic: false, ticks: ticks)
    }

    /// A linear scale from `lower` to the first nice value at or above `largest`, about five ticks.
    static func linear(from lower: Double, through largest: Double) -> AxisScale {
        let step = niceStep(atLeast: (largest - lower) / 5)
        let upper = lower + (((largest - lower) / step) - 1e-9).rounded(.up) * step
        let ticks = stride(from: lower, through: upper + step / 2, by: step).map { $0 }
        return AxisScale(lower: lower, upper: max(upper, lower + step), isLogarithmic: false, ticks: ticks)
    }

    /// A logarithmic scale between the nice values (1, 2 or 5 × 10ⁿ) around `smallest` and `largest`.
    static func logarithmic(from smallest: Double, through largest: Double) -> AxisScale {
        let lower = niceValues(around: smallest).last { $0 <= smallest * (1 + 1e-9) } ?? smallest
        let upper = niceValues(around: largest).first { $0 >= largest * (1 - 1e-9) } ?? largest
        let everyNiceValue = upper / lower <= 100.0 * (1 + 1e-9)
        let firstDecade = Int(floor(log10(lower) + 1e-9))
        let lastDecade = Int(ceil(log10(upper) - 1e-9))
        var ticks: [Double] = []
        for decade in firstDecade...lastDecade {
            for multiple in everyNiceValue ? [1.0, 2, 5] : [1.0] {
                let tick = multiple * pow(10, Double(decade))
                if tick >= lower * (1 - 1e-9) && tick <= upper * (1 + 1e-9) { ticks.append(tick) }
            }
        }
        return AxisScale(lower: lower, upper: upper, isLogarithmic: true, ticks: ticks)
    }

    /// The smallest of 1, 2, 5 × 10ⁿ that is at least `minimum` (which must be positive to matter).
    static func niceStep(atLeast minimum: Double) -> Double {
        guard minimum > 0, minimum.isFinite else { return 1 }
        return niceValues(around: minimum).first { $0 >= minimum * (1 - 1e-9) } ?? minimum
    }

    /// The values 1, 2, 5 × 10ⁿ from one decade below `value` to one above, ascending.
    private static func niceValues(around value: Double) -> [Double] {
        let decade = floor(log10(value))
        return (-1...1).flatMap { offset in
            [1.0, 2, 5].map { $0 * pow(10, decade + Double(offset)) }
        } + [pow(10, decade + 2)]
    }
}

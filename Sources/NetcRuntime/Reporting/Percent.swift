import Foundation

/// A fraction printed as a percentage with two decimals, `97.22%`: the one way netc prints an accuracy, in
/// progress lines, summaries, plots and the `evaluate` and `predict` reports alike.
public struct Percent: CustomStringConvertible, Sendable {
    /// The fraction, 0...1 for an accuracy.
    public let fraction: Double

    /// Wraps a fraction.
    public init(_ fraction: Double) { self.fraction = fraction }

    /// `97.22%`.
    public var description: String { String(format: "%.2f%%", fraction * 100) }
}

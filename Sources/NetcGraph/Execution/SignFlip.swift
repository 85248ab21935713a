/// An element of an input of a sign-branching op (`Op.branchesOnSign`: ReLU, LeakyReLU and their gradients) that
/// compiled code and the reference computed within tolerance of each other but on opposite sides of zero, so that
/// each took a different branch.
///
/// One such element changes a gradient by a whole element's worth of it, far beyond the tolerance, while both
/// backends are right to within rounding: at batch 100 the ResNet example's training step has one among 627,200
/// (6.5e-7 compiled, −8.3e-8 interpreted), which moved six weight gradients by up to 6e-5 (`netc check` now lets
/// its reference take the compiled side there, and they agree to 2e-8).
public struct SignFlip: Hashable, Sendable {
    /// The op's input.
    public var value: ValueID
    /// The element's index.
    public var element: Int
    /// The compiled code's value.
    public var compiled: Double
    /// The reference's value.
    public var reference: Double

    /// Creates a flip.
    public init(value: ValueID, element: Int, compiled: Double, reference: Double) {
        self.value = value
        self.element = element
        self.compiled = compiled
        self.reference = reference
    }

    /// The elements of `value` that `compiled` and `reference` put on opposite sides of zero (one of them > 0, the
    /// other not) while `tolerance` accepts the difference; elements further apart are not flips but divergences,
    /// which a comparison reports.
    public static func flips(
        of value: ValueID, compiled: Tensor, reference: Tensor, tolerance: Tolerance = Tolerance()
    )
        -> [SignFlip]
    {
        zip(compiled.scalars, reference.scalars).enumerated().compactMap { element, pair in
            let (x, y) = pair
            guard (x > 0) != (y > 0), tolerance.accepts(x, y) else { return nil }
            return SignFlip(value: value, element: element, compiled: x, reference: y)
        }
    }

    /// The compiled values by value and element, for `InterpreterExecutable.run(_:replacing:)`.
    public static func replacements(_ flips: [SignFlip]) -> [ValueID: [Int: Double]] {
        var replacements: [ValueID: [Int: Double]] = [:]
        for flip in flips { replacements[flip.value, default: [:]][flip.element] = flip.compiled }
        return replacements
    }
}

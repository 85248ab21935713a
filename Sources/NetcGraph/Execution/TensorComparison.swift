/// How close a compiled result must be to the reference: |actual − reference| ≤ absolute + relative·|reference|
/// for every element.
public struct Tolerance: Hashable, Sendable {
    /// The absolute part.
    public var absolute: Double
    /// The part proportional to the reference's magnitude.
    public var relative: Double

    /// Creates a tolerance; the defaults are `netc check`'s (float32 code against the float32 interpreter).
    public init(absolute: Double = 1e-5, relative: Double = 1e-4) {
        self.absolute = absolute
        self.relative = relative
    }

    /// Whether `actual` is close enough to `reference`.
    public func accepts(_ actual: Double, _ reference: Double) -> Bool {
        abs(actual - reference) <= absolute + relative * abs(reference)
    }
}

/// How one tensor of a backend differs from the reference's.
public struct TensorComparison: Hashable, Sendable {
    /// The tensor's name: an output (`loss`, `conv1.0.weight.grad`) or a persistent tensor.
    public var name: String
    /// The largest |actual − reference| over the elements.
    public var maxAbsoluteError: Double
    /// The largest |actual − reference| / |reference| over the elements whose reference is not zero.
    public var maxRelativeError: Double
    /// Whether every element is within the tolerance (and the types match).
    public var passes: Bool
    /// The indices of the elements that missed the tolerance but were excused: parameter elements whose update
    /// is undetermined because their gradient is rounding noise (see
    /// `init(updatedParameter:actual:reference:update:tolerance:)`); empty for plain comparisons.
    public var excusedElements: [Int] = []

    /// Compares two tensors element by element.
    public init(name: String, actual: Tensor, reference: Tensor, tolerance: Tolerance = Tolerance()) {
        self.name = name
        guard actual.type == reference.type else {
            (maxAbsoluteError, maxRelativeError, passes) = (.infinity, .infinity, false)
            return
        }
        var (absolute, relative, passes) = (0.0, 0.0, true)
        for (a, r) in zip(actual.scalars, reference.scalars) {
            let error = abs(a - r)
            absolute = max(absolute, error.isNaN ? .infinity : error)
            if r != 0 { relative = max(relative, error / abs(r)) }
            passes = passes && tolerance.accepts(a, r)
        }
        (maxAbsoluteError, maxRelativeError, self.passes) = (absolute, relative, passes)
    }
}

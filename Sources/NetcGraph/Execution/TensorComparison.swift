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
    /// Elements held to a looser bound because their value is not determined at the tolerance (see
    /// `init(updatedParameter:actual:reference:referenceGradient:stepBound:tolerance:)`); 0 for plain comparisons.
    public var undeterminedElements = 0

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

/// Comparing parameters after an optimizer step, where float32 rounding may legitimately flip an update.
///
/// A gradient that is mathematically zero — the bias of a convolution followed directly by BatchNorm, whose
/// mean subtraction cancels it — comes out of any float32 code as rounding noise of either sign, and Adam
/// divides the gradient by its own magnitude: such an element moves by about ±lr whatever the noise. So an
/// element whose *reference gradient* would pass the tolerance against zero (`tolerance.accepts(0, g)`: the
/// tolerance cannot tell its sign) has an undetermined update direction. Those elements are held only to the
/// largest move one step can make in either direction (`stepBound`, e.g. Adam's lr·(1 − β₁)/√(1 − β₂), so
/// at most twice that apart) and counted in `undeterminedElements`; every other element must pass the
/// tolerance as usual.
extension TensorComparison {
    /// Compares parameter `name` after an update, given the reference gradient it was updated with.
    public init(
        updatedParameter name: String, actual: Tensor, reference: Tensor, referenceGradient gradient: Tensor,
        stepBound: Double, tolerance: Tolerance = Tolerance()
    ) {
        precondition(gradient.type.elementCount == reference.type.elementCount, "one gradient per parameter")
        let undetermined = gradient.scalars.map { tolerance.accepts(0, $0) }
        let determined = { (tensor: Tensor) in
            Tensor(
                TensorType(tensor.type.dtype, [undetermined.count { !$0 }]),
                zip(tensor.scalars, undetermined).filter { !$0.1 }.map(\.0))
        }
        guard actual.type == reference.type else {
            self.init(name: name, actual: actual, reference: reference, tolerance: tolerance)
            return
        }
        self.init(name: name, actual: determined(actual), reference: determined(reference), tolerance: tolerance)
        let withinStep = zip(zip(actual.scalars, reference.scalars), undetermined).allSatisfy { pair, isUndetermined in
            !isUndetermined || abs(pair.0 - pair.1) <= 2 * stepBound * (1 + tolerance.relative) + tolerance.absolute
        }
        undeterminedElements = undetermined.count { $0 }
        passes = passes && withinStep
    }
}

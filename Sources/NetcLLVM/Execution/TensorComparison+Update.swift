import NetcGraph

/// What the reference saw when it updated one parameter: the optimizer, the values before the step, the gradient,
/// the learning rate and the step number, from which a comparison can tell how far an element may land.
public struct ReferenceUpdate: Sendable {
    /// The optimizer that made the step.
    public var optimizer: Optimizer
    /// The parameter before the step.
    public var parameter: Tensor
    /// The optimizer's state tensors of the parameter before the step, in the order of `Optimizer.stateNames(of:)`.
    public var state: [Tensor]
    /// The gradient the reference updated the parameter with.
    public var gradient: Tensor
    /// The step's learning rate.
    public var learningRate: Double
    /// The 1-based step number.
    public var step: Int
    /// The fraction of the parameter's update that reaches the compared tensor: 1 for the parameter itself, and
    /// for its moving average (see `Graph.averagedParameter(of:)`) 1 at step 1, where it copies the parameter,
    /// else 1 − decay.
    public var reach: Double

    /// Creates the record of one reference update.
    public init(
        optimizer: Optimizer, parameter: Tensor, state: [Tensor], gradient: Tensor, learningRate: Double, step: Int,
        reach: Double = 1
    ) {
        precondition(
            ([parameter] + state).allSatisfy { $0.type == gradient.type }, "one state element per parameter element")
        self.optimizer = optimizer
        self.parameter = parameter
        self.state = state
        self.gradient = gradient
        self.learningRate = learningRate
        self.step = step
        self.reach = reach
    }
}

/// Comparing parameters after an optimizer step, where float32 rounding may legitimately flip an update.
///
/// An element whose reference gradient passes the tolerance against zero (`tolerance.accepts(0, g)`: the
/// tolerance cannot tell its sign) has an undetermined update. When such an element misses the tolerance it is
/// held instead to the spread the optimizer allows at that step (`Optimizer.updateSpread`: for Adam the largest
/// step it can take from the element's moments plus the reference's own step; for SGD lr times the gradient's
/// noise), and its index is listed in `excusedElements`. Every other element must pass the tolerance as usual.
extension TensorComparison {
    /// Compares parameter `name` after an update with the reference's, given what the reference saw.
    public init(
        updatedParameter name: String, actual: Tensor, reference: Tensor, update: ReferenceUpdate,
        tolerance: Tolerance = Tolerance()
    ) {
        self.init(name: name, actual: actual, reference: reference, tolerance: tolerance)
        guard actual.type == reference.type, !passes else { return }
        precondition(update.gradient.type == reference.type, "one gradient element per parameter element")
        // The largest |g| that `tolerance.accepts(0, g)`: |g| ≤ absolute + relative·|g|.
        let gradientBound = tolerance.absolute / (1 - tolerance.relative)
        var passes = true
        for (index, (a, r)) in zip(actual.scalars, reference.scalars).enumerated() where !tolerance.accepts(a, r) {
            let gradient = update.gradient.scalars[index]
            guard tolerance.accepts(0, gradient) else {
                passes = false
                continue
            }
            let spread =
                update.optimizer.updateSpread(
                    parameter: update.parameter.scalars[index], state: update.state.map { $0.scalars[index] },
                    referenceGradient: gradient, gradientBound: gradientBound, learningRate: update.learningRate,
                    step: update.step) * update.reach
            if abs(a - r) <= spread * (1 + tolerance.relative) + tolerance.absolute {
                excusedElements.append(index)
            } else {
                passes = false
            }
        }
        self.passes = passes
    }
}

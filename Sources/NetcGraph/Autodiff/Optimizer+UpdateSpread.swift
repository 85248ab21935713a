import Foundation

/// How far apart two float32 runs of one optimizer step may legitimately put a parameter element whose gradient
/// is rounding noise.
///
/// A gradient that is mathematically zero (the bias of a convolution followed directly by BatchNorm, whose mean
/// subtraction cancels it) comes out of any float32 code as noise of either sign. SGD moves the parameter by
/// lr times that noise, which stays within any tolerance; Adam divides the gradient by its own running magnitude,
/// so on a fresh moment the noise moves the parameter by up to a full step in a direction nobody can predict.
/// Comparisons between backends hold such elements to this spread instead of the tolerance.
extension Optimizer {
    /// The names of the state tensors the optimizer keeps for `parameter`, in the order `updateSpread` takes them.
    public func stateNames(of parameter: String) -> [String] {
        switch self {
        case .adam: ["\(parameter).exp_avg", "\(parameter).exp_avg_sq"]
        case .sgd: ["\(parameter).momentum_buffer"]
        }
    }

    /// The most by which one update of a parameter element may differ from the reference's update when its
    /// gradient is undetermined, i.e. anywhere within `gradientBound` of zero.
    ///
    /// - Adam: the step can be any size up to its largest at step number `step` from the element's moments
    ///   (m, v) before it, so the two updates differ by at most that plus the reference's own step. With
    ///   u = g + λ·p (λ Adam's L2 decay; 0 for AdamW, whose decoupled p·(1 − lr·λ) is the same on both sides)
    ///   and a = β₁m, b = 1 − β₁, c = β₂v, d = 1 − β₂, the step is
    ///   lr/(1 − β₁ᵗ) · |a + b·u| / (√(c + d·u²)/√(1 − β₂ᵗ) + ε), and by Cauchy–Schwarz
    ///   |a + b·u| ≤ √(c + d·u²) · √(a²/c + b²/d) for every u. On fresh moments (step 1) the bound is lr.
    /// - SGD: the update is lr·(μ·buffer + g + λ·p), linear in g, so two gradients within the bound differ by at
    ///   most lr·(gradientBound + |reference gradient|).
    ///
    /// - Parameters:
    ///   - parameter: The element's value before the step.
    ///   - state: The element's optimizer state before the step, in the order of `stateNames(of:)`.
    ///   - referenceGradient: The gradient the reference updated the element with.
    ///   - learningRate: The step's learning rate.
    ///   - step: The 1-based step number (Adam's bias correction).
    public func updateSpread(
        parameter: Double, state: [Double], referenceGradient: Double, gradientBound: Double, learningRate: Double,
        step: Int
    ) -> Double {
        switch self {
        case .adam(let adam):
            precondition(state.count == 2, "Adam keeps two moments per element")
            let t = Double(step)
            let stepSize = learningRate / (1 - pow(adam.beta1, t))
            let secondCorrection = (1 - pow(adam.beta2, t)).squareRoot()
            let (a, b) = (adam.beta1 * state[0], 1 - adam.beta1)
            let (c, d) = (adam.beta2 * state[1], 1 - adam.beta2)
            let largestStep =
                c > 0
                ? stepSize * secondCorrection * (a * a / c + b * b / d).squareRoot()
                : stepSize * (abs(a) / adam.epsilon + secondCorrection * b / d.squareRoot())
            let u = referenceGradient + adam.gradientWeightDecay * parameter
            let referenceStep =
                stepSize * abs(a + b * u) / ((c + d * u * u).squareRoot() / secondCorrection + adam.epsilon)
            return largestStep + referenceStep
        case .sgd:
            return learningRate * (gradientBound + abs(referenceGradient))
        }
    }
}

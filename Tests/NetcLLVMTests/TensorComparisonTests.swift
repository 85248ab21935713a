import NetcGraph
import NetcLLVM
import Testing

/// Comparisons of updated parameters: which elements are excused, and how far they may be off.
@Suite struct TensorComparisonTests {
    /// Four elements after Adam's first step (lr 0.01, fresh moments): the first two have gradients the tolerance
    /// cannot tell from zero, the last two clear gradients.
    static func adamFirstStep(actual: [Double], reference: [Double]) -> TensorComparison {
        let parameter = Tensor(.float(4), [0.5, -0.5, 1, 2])
        let update = ReferenceUpdate(
            optimizer: .adam(AdamAttributes()), parameter: parameter,
            state: [Tensor(.float(4), [0, 0, 0, 0]), Tensor(.float(4), [0, 0, 0, 0])],
            gradient: Tensor(.float(4), [5e-6, -2e-6, 0.3, -0.2]), learningRate: 0.01, step: 1)
        return TensorComparison(
            updatedParameter: "block.0.bias", actual: Tensor(.float(4), actual),
            reference: Tensor(.float(4), reference),
            update: update)
    }

    /// The references: each element moved against its gradient's sign, by lr·|g|/(|g| + ε/√(1 − β₂)).
    static let reference = [0.5 - 0.00998, -0.5 + 0.00995, 0.99, 2.01]

    @Test func anUndeterminedElementThatFlippedIsExcusedAndListed() {
        var actual = Self.reference
        actual[0] = 0.5 + 0.0099
        let flipped = Self.adamFirstStep(actual: actual, reference: Self.reference)
        #expect(flipped.passes)
        #expect(flipped.excusedElements == [0])
    }

    /// Adam's first step from fresh moments is at most lr, so the results are at most lr + 0.00998 apart.
    @Test func anUndeterminedElementBeyondTheLargestStepFails() {
        var actual = Self.reference
        actual[0] += 0.0201
        let tooFar = Self.adamFirstStep(actual: actual, reference: Self.reference)
        #expect(!tooFar.passes)
    }

    @Test func aDeterminedElementIsHeldToTheTolerance() {
        var actual = Self.reference
        actual[2] += 0.001
        let wrong = Self.adamFirstStep(actual: actual, reference: Self.reference)
        #expect(!wrong.passes)
        #expect(wrong.excusedElements.isEmpty)
    }

    /// SGD moves by lr·g, so noise in a gradient never moves a parameter beyond the tolerance: nothing is excused.
    @Test func sgdExcusesNothingBeyondTheGradientsNoise() {
        let update = ReferenceUpdate(
            optimizer: .sgd(SGDAttributes(momentum: 0.9)), parameter: Tensor(.float(1), [0.5]),
            state: [Tensor(.float(1), [0])], gradient: Tensor(.float(1), [1e-7]), learningRate: 0.01, step: 1)
        let moved = TensorComparison(
            updatedParameter: "p", actual: Tensor(.float(1), [0.5 - 0.01]), reference: Tensor(.float(1), [0.5]),
            update: update)
        #expect(!moved.passes)
    }
}

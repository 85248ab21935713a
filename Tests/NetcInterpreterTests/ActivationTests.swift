import NetcGraph
import Testing

@Suite("Activations")
struct ActivationTests {
    static let activations: [Activation] = [.leakyReLU(slope: 0.2), .sigmoid, .tanh, .gelu, .silu]

    /// Each activation's gradient against finite differences, on inputs at least 0.1 away from LeakyReLU's kink.
    @Test(arguments: activations)
    func gradient(activation: Activation) throws {
        var problem = GradientProblem()
        let x = problem.variable("x", [3, 4, 5], values: TestData.awayFromZero(count: 60, stream: 12).map { 2 * $0 })
        let y = problem.graph.add(.activation(activation), [x], name: "y")
        let dy = problem.lossWeights(for: y)
        problem.expectGradient(of: "x", at: problem.graph.add(.activationBackward(activation), [x, dy], name: "dx"))
        try problem.check()
    }

    /// Values and derivatives at x = −3, −0.5, 0, 0.75, 2 as PyTorch 2 computes them in float64 (printed by
    /// `F.leaky_relu(x, 0.2)`, `torch.sigmoid`, `torch.tanh`, `F.gelu`, `F.silu` and `autograd.grad` of their sum),
    /// an independent reference for the formulas, PyTorch's choice at LeakyReLU's kink (the slope at 0) included.
    @Test(arguments: [
        (
            Activation.leakyReLU(slope: 0.2), [-0.6000000000000001, -0.1, 0, 0.75, 2],
            [0.2, 0.2, 0.2, 1, 1]
        ),
        (
            .sigmoid, [0.04742587317756678, 0.3775406687981454, 0.5, 0.679178699175393, 0.8807970779778823],
            [0.04517665973091214, 0.2350037122015945, 0.25, 0.21789499376181404, 0.10499358540350662]
        ),
        (
            .tanh, [-0.9950547536867305, -0.4621171572600098, 0, 0.6351489523872873, 0.9640275800758169],
            [0.009866037165440166, 0.7864477329659274, 1, 0.5965858082813315, 0.07065082485316443]
        ),
        (
            .gelu, [-0.00404969409489031, -0.15426876936299344, 0, 0.5800294857173489, 1.9544997361036416],
            [-0.01194564720418392, 0.13250487534383712, 0.5, 0.9992257217392352, 1.085231801078197]
        ),
        (
            .silu, [-0.14227761953270035, -0.1887703343990727, 0, 0.5093840243815447, 1.7615941559557646],
            [-0.08810410601516962, 0.2600388126973482, 0.5, 0.8425999444967536, 1.0907842487848955]
        ),
    ])
    func matchesPyTorch(activation: Activation, values: [Double], derivatives: [Double]) throws {
        var fixture = GraphFixture()
        let x = fixture.tensor("x", [5], [-3, -0.5, 0, 0.75, 2])
        let ones = fixture.tensor("ones", [5], Array(repeating: 1, count: 5))
        let y = fixture.graph.add(.activation(activation), [x], name: "y")
        let dx = fixture.graph.add(.activationBackward(activation), [x, ones], name: "dx")
        for (actual, expected) in zip(try fixture.evaluate(y), values) { #expect(abs(actual - expected) <= 1e-15) }
        for (actual, expected) in zip(try fixture.evaluate(dx), derivatives) {
            #expect(abs(actual - expected) <= 1e-15)
        }
    }
}

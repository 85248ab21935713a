import Foundation
import NetcGraph
import Testing

@Suite("Softmax cross-entropy")
struct LossTests {
    /// The gradient of the mean cross-entropy with respect to the logits against finite differences, plain and
    /// with label smoothing.
    @Test(arguments: [(1, 2, 0.0), (4, 10, 0.0), (3, 5, 0.0), (4, 10, 0.1), (3, 5, 0.35), (2, 3, 1.0)])
    func gradient(batch: Int, classes: Int, labelSmoothing: Double) throws {
        var problem = GradientProblem()
        let labels = problem.fixture.input(
            .labels, Tensor(TensorType(.int32, [batch]), (0..<batch).map { Double(($0 * 7 + 1) % classes) }))
        let logits = problem.variable(
            "logits", [batch, classes], values: TestData.uniform(count: batch * classes, stream: 5).map { 3 * $0 })
        let loss = problem.graph.add(
            .softmaxCrossEntropy(labelSmoothing: labelSmoothing), [logits, labels], name: "loss")
        let dloss = problem.lossWeights(for: loss)
        let dlogits = problem.graph.add(
            .softmaxCrossEntropyBackward(labelSmoothing: labelSmoothing), [logits, labels, dloss], name: "dlogits")
        problem.expectGradient(of: "logits", at: dlogits)
        try problem.check()
    }

    /// logits [[1, 2, 3], [1, 1, 1]], labels [2, 0].
    /// Row 0: log-sum-exp = 3 + log(1 + e⁻¹ + e⁻²) = 3 + log 1.5032147 = 3.4076060, minus logit 3: 0.4076060.
    /// Row 1: log-sum-exp = 1 + log 3 = 2.0986123, minus logit 1: log 3 = 1.0986123.
    /// Mean: (0.4076060 + 1.0986123) / 2 = 0.7531091.
    ///
    /// With label smoothing 0.1 the targets are 0.1/3 for every class plus 0.9 for the label. Row 0: Σ q·logit =
    /// (1 + 2 + 3)/30 + 0.9·3 = 2.9, so 3.4076060 − 2.9 = 0.5076060; row 1: Σ q·logit = 1, so 1.0986123 again.
    /// Mean: 0.8031091 (PyTorch's `cross_entropy(..., label_smoothing=0.1)` gives 0.8031091266).
    @Test(arguments: [(0.0, 0.7531091), (0.1, 0.8031091)])
    func knownBatch(labelSmoothing: Double, expected: Double) throws {
        var fixture = GraphFixture()
        let logits = fixture.tensor("logits", [2, 3], [1, 2, 3, 1, 1, 1])
        let labels = fixture.input(.labels, Tensor(TensorType(.int32, [2]), [2, 0]))
        let loss = fixture.graph.add(
            .softmaxCrossEntropy(labelSmoothing: labelSmoothing), [logits, labels], name: "loss")
        let value = try #require(try fixture.evaluate(loss).first)
        #expect(abs(value - expected) < 1e-7)
    }

    /// Logits of 1000 do not overflow: the loss of [1000, 0, 0] with label 0 is log(1 + 2e⁻¹⁰⁰⁰) ≈ 0, and with
    /// label 1 it is 1000.
    @Test func largeLogitsStayFinite() throws {
        var fixture = GraphFixture()
        let logits = fixture.tensor("logits", [2, 3], [1000, 0, 0, 1000, 0, 0])
        let labels = fixture.input(.labels, Tensor(TensorType(.int32, [2]), [0, 1]))
        let loss = fixture.graph.add(.softmaxCrossEntropy(labelSmoothing: 0), [logits, labels], name: "loss")
        #expect(try fixture.evaluate(loss) == [500])
    }
}

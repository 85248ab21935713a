import Foundation
import NetcGraph
import Testing

@Suite("Softmax cross-entropy")
struct LossTests {
    /// The gradient of the mean cross-entropy with respect to the logits against finite differences.
    @Test(arguments: [(1, 2), (4, 10), (3, 5)])
    func gradient(batch: Int, classes: Int) throws {
        var problem = GradientProblem()
        let labels = problem.fixture.input(
            .labels, Tensor(TensorType(.int32, [batch]), (0..<batch).map { Double(($0 * 7 + 1) % classes) }))
        let logits = problem.variable(
            "logits", [batch, classes], values: TestData.uniform(count: batch * classes, stream: 5).map { 3 * $0 })
        let loss = problem.graph.add(.softmaxCrossEntropy, [logits, labels], name: "loss")
        let dloss = problem.lossWeights(for: loss)
        let dlogits = problem.graph.add(.softmaxCrossEntropyBackward, [logits, labels, dloss], name: "dlogits")
        problem.expectGradient(of: "logits", at: dlogits)
        try problem.check()
    }

    /// logits [[1, 2, 3], [1, 1, 1]], labels [2, 0].
    /// Row 0: log-sum-exp = 3 + log(1 + e⁻¹ + e⁻²) = 3 + log 1.5032147 = 3.4076060, minus logit 3: 0.4076060.
    /// Row 1: log-sum-exp = 1 + log 3 = 2.0986123, minus logit 1: log 3 = 1.0986123.
    /// Mean: (0.4076060 + 1.0986123) / 2 = 0.7531091.
    @Test func knownBatch() throws {
        var fixture = GraphFixture()
        let logits = fixture.tensor("logits", [2, 3], [1, 2, 3, 1, 1, 1])
        let labels = fixture.input(.labels, Tensor(TensorType(.int32, [2]), [2, 0]))
        let loss = fixture.graph.add(.softmaxCrossEntropy, [logits, labels], name: "loss")
        let value = try #require(try fixture.evaluate(loss).first)
        #expect(abs(value - 0.7531091) < 1e-7)
    }

    /// Logits of 1000 do not overflow: the loss of [1000, 0, 0] with label 0 is log(1 + 2e⁻¹⁰⁰⁰) ≈ 0, and with
    /// label 1 it is 1000.
    @Test func largeLogitsStayFinite() throws {
        var fixture = GraphFixture()
        let logits = fixture.tensor("logits", [2, 3], [1000, 0, 0, 1000, 0, 0])
        let labels = fixture.input(.labels, Tensor(TensorType(.int32, [2]), [0, 1]))
        let loss = fixture.graph.add(.softmaxCrossEntropy, [logits, labels], name: "loss")
        #expect(try fixture.evaluate(loss) == [500])
    }
}

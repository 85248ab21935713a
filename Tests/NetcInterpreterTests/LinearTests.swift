import NetcGraph
import Testing

@Suite("Linear")
struct LinearTests {
    /// Input, weight and bias gradients against finite differences.
    @Test(arguments: [(1, 1, 1), (3, 5, 4), (2, 7, 10)])
    func gradients(batch: Int, features: Int, outputs: Int) throws {
        var problem = GradientProblem()
        let x = problem.variable("x", [batch, features])
        let w = problem.variable("w", [outputs, features])
        let b = problem.variable("b", [outputs])
        let y = problem.graph.add(.linear, [x, w, b], name: "y")
        let dy = problem.lossWeights(for: y)
        problem.expectGradient(of: "x", at: problem.graph.add(.linearBackwardInput, [dy, w], name: "dx"))
        problem.expectGradient(of: "w", at: problem.graph.add(.linearBackwardWeight, [x, dy], name: "dw"))
        problem.expectGradient(of: "b", at: problem.graph.add(.sumToChannels, [dy], name: "db"))
        try problem.check()
    }

    /// x = [[1, 2, 3], [4, 5, 6]], w = [[1, 0, −1], [2, 1, 0]], b = [0.5, −1]:
    /// y[0] = [1 − 3 + 0.5, 2 + 2 − 1] = [−1.5, 3], y[1] = [4 − 6 + 0.5, 8 + 5 − 1] = [−1.5, 12].
    @Test func byHand() throws {
        var fixture = GraphFixture()
        let x = fixture.tensor("x", [2, 3], [1, 2, 3, 4, 5, 6])
        let w = fixture.tensor("w", [2, 3], [1, 0, -1, 2, 1, 0])
        let b = fixture.tensor("b", [2], [0.5, -1])
        let y = fixture.graph.add(.linear, [x, w, b], name: "y")
        #expect(try fixture.evaluate(y) == [-1.5, 3, -1.5, 12])
    }
}

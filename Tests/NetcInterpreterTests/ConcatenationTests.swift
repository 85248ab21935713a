import NetcGraph
import Testing

@Suite("Concatenation")
struct ConcatenationTests {
    /// Each input's gradient is its channels of the output gradient, against finite differences; input 0 is
    /// read twice, so its gradient is the sum of two slices.
    @Test func gradients() throws {
        var problem = GradientProblem()
        let a = problem.variable("a", [2, 3, 4, 5])
        let b = problem.variable("b", [2, 1, 4, 5])
        let y = problem.graph.add(.concat, [a, b, a], name: "y")
        #expect(problem.graph.type(of: y).shape == [2, 7, 4, 5])
        let dy = problem.lossWeights(for: y)
        let first = problem.graph.add(.channelSlice(start: 0, count: 3), [dy], name: "da0")
        let last = problem.graph.add(.channelSlice(start: 4, count: 3), [dy], name: "da2")
        problem.expectGradient(of: "a", at: problem.graph.add(.add, [first, last], name: "da"))
        problem.expectGradient(of: "b", at: problem.graph.add(.channelSlice(start: 3, count: 1), [dy], name: "db"))
        try problem.check()
    }

    /// Two images of [a0 a1] and [b0]: the output holds a's channels then b's, image by image; slicing channel
    /// 1 of it gives a1 of each image back.
    @Test func byHand() throws {
        var fixture = GraphFixture()
        let a = fixture.tensor("a", [2, 2, 1, 2], [1, 2, 3, 4, 5, 6, 7, 8])
        let b = fixture.tensor("b", [2, 1, 1, 2], [-1, -2, -3, -4])
        let y = fixture.graph.add(.concat, [a, b], name: "y")
        let slice = fixture.graph.add(.channelSlice(start: 1, count: 1), [y], name: "slice")
        #expect(try fixture.evaluate(y) == [1, 2, 3, 4, -1, -2, 5, 6, 7, 8, -3, -4])
        #expect(try fixture.evaluate(slice) == [3, 4, 7, 8])
    }
}

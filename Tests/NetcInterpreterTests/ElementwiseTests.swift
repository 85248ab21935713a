import NetcGraph
import Testing

@Suite("Elementwise ops")
struct ElementwiseTests {
    /// relu's gradient against finite differences, on inputs at least 0.1 away from the kink.
    @Test func reluGradient() throws {
        var problem = GradientProblem()
        let x = problem.variable("x", [3, 4, 5], values: TestData.awayFromZero(count: 60, stream: 11))
        let y = problem.graph.add(.relu, [x], name: "y")
        let dy = problem.lossWeights(for: y)
        problem.expectGradient(of: "x", at: problem.graph.add(.reluBackward, [x, dy], name: "dx"))
        try problem.check()
    }

    /// reshape's gradient is the incoming gradient reshaped back.
    @Test func reshapeGradient() throws {
        var problem = GradientProblem()
        let x = problem.variable("x", [2, 3, 2, 2])
        let y = problem.graph.add(.reshape, [x], type: .float(2, 12), name: "y")
        let dy = problem.lossWeights(for: y)
        let dx = problem.graph.add(.reshape, [dy], type: problem.graph.type(of: x), name: "dx")
        problem.expectGradient(of: "x", at: dx)
        try problem.check()
    }

    /// relu, add, sumToChannels and increment on small known values.
    @Test func byHand() throws {
        var fixture = GraphFixture()
        let x = fixture.tensor("x", [2, 2, 1, 1], [-1, 2, 3, -4])
        let z = fixture.tensor("z", [2, 2, 1, 1], [10, 20, 30, 40])
        let relu = fixture.graph.add(.relu, [x], name: "relu")
        let sum = fixture.graph.add(.add, [x, z], name: "sum")
        // Channel 0 holds x[0, 0] and x[1, 0]: −1 + 3 = 2; channel 1: 2 − 4 = −2.
        let channels = fixture.graph.add(.sumToChannels, [x], name: "channels")
        let count = fixture.graph.add(.constant(41), [], type: .scalar(.int64), name: "count")
        let next = fixture.graph.add(.increment, [count], name: "next")
        #expect(try fixture.evaluate(relu) == [0, 2, 3, 0])
        #expect(try fixture.evaluate(sum) == [9, 22, 33, 36])
        #expect(try fixture.evaluate(channels) == [2, -2])
        #expect(try fixture.evaluate(next) == [42])
    }
}

import NetcGraph
import Testing

@Suite("Dropout")
struct DropoutTests {
    /// Dropout's gradient against finite differences for a fixed seed and step (the mask is a constant of x).
    @Test(arguments: [0.25, 0.5])
    func gradient(probability: Double) throws {
        let dropout = DropoutAttributes(probability: probability, stream: 3)
        var problem = GradientProblem()
        let key = problem.fixture.dropoutKey(seed: 7, step: 12)
        let x = problem.variable("x", [4, 3, 5, 5])
        let y = problem.graph.add(.dropout(dropout), [x, key.seed, key.step], name: "y")
        let dy = problem.lossWeights(for: y)
        problem.expectGradient(
            of: "x", at: problem.graph.add(.dropoutBackward(dropout), [dy, key.seed, key.step], name: "dx"))
        try problem.check()
    }

    /// The elements of dropout(1) over 10,000 elements with p = 0.5, for a seed and step.
    private func mask(seed: Double, step: Double, stream: UInt64 = 0) throws -> [Double] {
        var fixture = GraphFixture()
        let key = fixture.dropoutKey(seed: seed, step: step)
        let x = fixture.tensor("x", [100, 100], Array(repeating: 1, count: 10_000))
        let y = fixture.graph.add(
            .dropout(DropoutAttributes(probability: 0.5, stream: stream)), [x, key.seed, key.step], name: "y")
        return try fixture.evaluate(y)
    }

    /// About half the elements are kept (within four standard deviations, √(10,000·¼) = 50), and kept ones are
    /// scaled by 1/(1 − 0.5) = 2.
    @Test func keepsAboutHalfAndScalesByTwo() throws {
        let values = try mask(seed: 42, step: 1)
        let kept = values.filter { $0 != 0 }
        #expect(abs(kept.count - 5_000) < 200)
        #expect(kept.allSatisfy { $0 == 2 })
    }

    /// The same seed and step give the same mask; another step, seed or layer a different one (about half the
    /// elements differ).
    @Test func maskIsAFunctionOfSeedStepAndLayer() throws {
        let reference = try mask(seed: 42, step: 1)
        #expect(try mask(seed: 42, step: 1) == reference)
        for other in [try mask(seed: 42, step: 2), try mask(seed: 43, step: 1), try mask(seed: 42, step: 1, stream: 1)]
        {
            let differing = zip(reference, other).filter { $0 != $1 }.count
            #expect(differing > 4_000 && differing < 6_000)
        }
    }

    /// Element i is kept exactly when the Philox draw for (seed, layer stream, step, i) is at least p.
    @Test func maskFollowsTheGenerator() throws {
        let values = try mask(seed: 42, step: 1)
        let generator = Philox(seed: 42)
        for index in [0, 1, 2, 3, 777, 9_999] {
            let draw = generator.uniform(stream: RandomStream.dropout(layer: 0), step: 1, index: UInt32(index))
            #expect((values[index] != 0) == (draw >= 0.5), "element \(index)")
        }
    }
}

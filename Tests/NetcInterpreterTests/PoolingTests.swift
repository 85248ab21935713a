import NetcGraph
import Testing

@Suite("Pooling")
struct PoolingTests {
    /// Windows that tile (2, 2), overlap (3, 1), (3, 2), and leave a remainder the floor drops (2, 2 on 7×6);
    /// and padded ones, half their window (3, 1, 1), (3, 2, 1), (2, 2, 1), (4, 3, 2).
    static let windows = [
        PoolAttributes(size: 2, stride: 2), PoolAttributes(size: 3, stride: 1),
        PoolAttributes(size: 3, stride: 2), PoolAttributes(size: 3, stride: 1, padding: 1),
        PoolAttributes(size: 3, stride: 2, padding: 1), PoolAttributes(size: 2, stride: 2, padding: 1),
        PoolAttributes(size: 4, stride: 3, padding: 2),
    ]

    /// Max-pool gradients against finite differences, on distinct inputs so no window has a tie.
    @Test(arguments: windows)
    func maxPoolGradient(pool: PoolAttributes) throws {
        var problem = GradientProblem()
        let x = problem.variable("x", [2, 3, 7, 6], values: TestData.distinct(count: 2 * 3 * 7 * 6, stream: 9))
        let y = problem.graph.add(.maxPool(pool), [x], name: "y")
        let dy = problem.lossWeights(for: y)
        problem.expectGradient(of: "x", at: problem.graph.add(.maxPoolBackward(pool), [x, dy], name: "dx"))
        try problem.check()
    }

    /// Average-pool gradients against finite differences.
    @Test(arguments: windows)
    func avgPoolGradient(pool: PoolAttributes) throws {
        var problem = GradientProblem()
        let x = problem.variable("x", [2, 3, 7, 6])
        let y = problem.graph.add(.avgPool(pool), [x], name: "y")
        let dy = problem.lossWeights(for: y)
        let dx = problem.graph.add(.avgPoolBackward(pool), [dy], type: problem.graph.type(of: x), name: "dx")
        problem.expectGradient(of: "x", at: dx)
        try problem.check()
    }

    /// x = 1…16 in a 4×4 image. 2×2 windows: max of {1, 2, 5, 6} is 6, mean 3.5; and so on. 3×3 windows with
    /// stride 1: the window at (0, 0) holds {1, 2, 3, 5, 6, 7, 9, 10, 11}, max 11, mean 6; each step right adds
    /// 1, each step down 4.
    @Test(arguments: [
        (PoolAttributes(size: 2, stride: 2), [6.0, 8, 14, 16], [3.5, 5.5, 11.5, 13.5]),
        (PoolAttributes(size: 3, stride: 1), [11.0, 12, 15, 16], [6.0, 7, 10, 11]),
    ])
    func byHand(pool: PoolAttributes, maxima: [Double], means: [Double]) throws {
        var fixture = GraphFixture()
        let x = fixture.tensor("x", [1, 1, 4, 4], (1...16).map(Double.init))
        let maxPool = fixture.graph.add(.maxPool(pool), [x], name: "max")
        let avgPool = fixture.graph.add(.avgPool(pool), [x], name: "avg")
        #expect(try fixture.evaluate(maxPool) == maxima)
        #expect(try fixture.evaluate(avgPool) == means)
    }

    /// A 5×5 image with 2×2 windows of stride 2 has a 2×2 output: the last row and column are dropped (floor).
    @Test func floorDropsTheRemainder() throws {
        var fixture = GraphFixture()
        let x = fixture.tensor("x", [1, 1, 5, 5], (1...25).map(Double.init))
        let y = fixture.graph.add(.maxPool(PoolAttributes(size: 2, stride: 2)), [x], name: "y")
        #expect(try fixture.evaluate(y) == [7, 9, 17, 19])
    }

    /// Ties go to the first maximum in row-major window order, and overlapping windows accumulate.
    /// x = [[1, 4, 4], [0, 4, 2]] with 2×2 windows of stride 1: window 0 {1, 4, 0, 4} and window 1 {4, 4, 4, 2}
    /// both pick x[0, 1], so dx there is dy0 + dy1 = 1 + 10 = 11 and every other element gets nothing.
    @Test func tiesGoToTheFirstMaximum() throws {
        var fixture = GraphFixture()
        let pool = PoolAttributes(size: 2, stride: 1)
        let x = fixture.tensor("x", [1, 1, 2, 3], [1, 4, 4, 0, 4, 2])
        let dy = fixture.tensor("dy", [1, 1, 1, 2], [1, 10])
        let dx = fixture.graph.add(.maxPoolBackward(pool), [x, dy], name: "dx")
        #expect(try fixture.evaluate(dx) == [0, 11, 0, 0, 0, 0])
    }

    /// Padding by hand, x = 1…16 in a 4×4 image, 3×3 windows of stride 2 padded by 1: output (0, 0)'s window
    /// holds rows −1…1 and columns −1…1, i.e. {1, 2, 5, 6} and five padded zeros; max 6, mean 14/9 (PyTorch's
    /// count_include_pad counts the padding). Output (0, 1): columns 1…3 of rows 0…1, {2, 3, 4, 6, 7, 8}: max 8,
    /// mean 30/9. Output (1, 0): rows 1…3, columns 0…1: {5, 6, 9, 10, 13, 14}: max 14, mean 57/9. Output (1, 1):
    /// rows 1…3, columns 1…3: max 16, mean (6 + 7 + 8 + 10 + 11 + 12 + 14 + 15 + 16)/9 = 11.
    @Test func paddingByHand() throws {
        var fixture = GraphFixture()
        let pool = PoolAttributes(size: 3, stride: 2, padding: 1)
        let x = fixture.tensor("x", [1, 1, 4, 4], (1...16).map(Double.init))
        let maxPool = fixture.graph.add(.maxPool(pool), [x], name: "max")
        let avgPool = fixture.graph.add(.avgPool(pool), [x], name: "avg")
        #expect(try fixture.evaluate(maxPool) == [6, 8, 14, 16])
        let means = try fixture.evaluate(avgPool)
        for (mean, expected) in zip(means, [14.0 / 9, 30.0 / 9, 57.0 / 9, 11]) {
            #expect(abs(mean - expected) < 1e-12)
        }
    }

    /// Global average pooling against finite differences, on a non-square plane.
    @Test func globalAvgPoolGradient() throws {
        var problem = GradientProblem()
        let x = problem.variable("x", [2, 3, 5, 4])
        let y = problem.graph.add(.globalAvgPool, [x], name: "y")
        let dy = problem.lossWeights(for: y)
        let dx = problem.graph.add(.globalAvgPoolBackward, [dy], type: problem.graph.type(of: x), name: "dx")
        problem.expectGradient(of: "x", at: dx)
        try problem.check()
    }

    /// Each plane's mean: planes 1…6 and 7…12 of a [1, 2, 2, 3] input give 3.5 and 9.5, shaped [1, 2, 1, 1].
    @Test func globalAvgPoolByHand() throws {
        var fixture = GraphFixture()
        let x = fixture.tensor("x", [1, 2, 2, 3], (1...12).map(Double.init))
        let y = fixture.graph.add(.globalAvgPool, [x], name: "y")
        #expect(fixture.graph.type(of: y).shape == [1, 2, 1, 1])
        #expect(try fixture.evaluate(y) == [3.5, 9.5])
    }
}

import NetcGraph
import Testing

@Suite("Convolution")
struct ConvolutionTests {
    /// Kernels 2 and 3, strides 1 and 2, padding 0, 1 and 2.
    static let convolutions = [2, 3].flatMap { kernel in
        [1, 2].flatMap { stride in
            [0, 1, 2].map { ConvolutionAttributes(kernel: kernel, stride: stride, padding: $0) }
        }
    }

    /// Input, weight and bias gradients of a convolution on an odd, non-square input against finite differences.
    @Test(arguments: convolutions)
    func gradients(convolution: ConvolutionAttributes) throws {
        let kernel = convolution.kernel
        var problem = GradientProblem()
        let x = problem.variable("x", [2, 3, 7, 6])
        let w = problem.variable("w", [4, 3, kernel, kernel])
        let b = problem.variable("b", [4])
        let y = problem.graph.add(.conv2D(convolution), [x, w, b], name: "y")
        let dy = problem.lossWeights(for: y)
        let dx = problem.graph.add(
            .conv2DBackwardInput(convolution), [dy, w], type: problem.graph.type(of: x), name: "dx")
        problem.expectGradient(of: "x", at: dx)
        problem.expectGradient(of: "w", at: problem.graph.add(.conv2DBackwardWeight(convolution), [x, dy], name: "dw"))
        problem.expectGradient(of: "b", at: problem.graph.add(.sumToChannels, [dy], name: "db"))
        try problem.check()
    }

    /// A 2×2 kernel with stride 2 and padding 1 on a 3×3 image, worked by hand on the zero-padded 5×5 image:
    /// w = [[1, 0], [0, −1]] picks x[top-left] − x[bottom-right] of each window, plus the bias 0.5.
    /// Window (0,0) covers padded rows −1…0, cols −1…0: 0 − x[0,0] = −1 → −0.5.
    /// Window (0,1) rows −1…0, cols 1…2: 0 − x[0,2] = −3 → −2.5. Window (1,0) rows 1…2, cols −1…0: 0 − x[2,0] = −7
    /// → −6.5. Window (1,1) rows 1…2, cols 1…2: x[1,1] − x[2,2] = 5 − 9 → −3.5.
    @Test func strideAndPaddingByHand() throws {
        var fixture = GraphFixture()
        let x = fixture.tensor("x", [1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let w = fixture.tensor("w", [1, 1, 2, 2], [1, 0, 0, -1])
        let b = fixture.tensor("b", [1], [0.5])
        let y = fixture.graph.add(
            .conv2D(ConvolutionAttributes(kernel: 2, stride: 2, padding: 1)), [x, w, b], name: "y")
        #expect(fixture.graph.type(of: y).shape == [1, 1, 2, 2])
        #expect(try fixture.evaluate(y) == [-0.5, -2.5, -6.5, -3.5])
    }

    /// A 1×1 convolution mixes channels: out0 = 1·in0 + 10·in1, out1 = −1·in0 (no bias).
    @Test func channelMixingByHand() throws {
        var fixture = GraphFixture()
        let x = fixture.tensor("x", [1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8])
        let w = fixture.tensor("w", [2, 2, 1, 1], [1, 10, -1, 0])
        let y = fixture.graph.add(.conv2D(ConvolutionAttributes(kernel: 1)), [x, w], name: "y")
        #expect(try fixture.evaluate(y) == [51, 62, 73, 84, -1, -2, -3, -4])
    }
}

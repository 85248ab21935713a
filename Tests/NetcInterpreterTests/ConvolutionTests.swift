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

    /// Grouped, depthwise (groups = input channels, here with a channel multiplier of 2) and dilated ones, alone
    /// and together, with and without padding.
    static let generalConvolutions = [
        ConvolutionAttributes(kernel: 3, padding: 1, groups: 2),
        ConvolutionAttributes(kernel: 3, stride: 2, padding: 1, groups: 6),
        ConvolutionAttributes(kernel: 2, padding: 0, groups: 6),
        ConvolutionAttributes(kernel: 3, padding: 2, dilation: 2),
        ConvolutionAttributes(kernel: 2, stride: 2, padding: 1, dilation: 3),
        ConvolutionAttributes(kernel: 3, padding: 1, dilation: 2, groups: 3),
    ]

    /// Input, weight and bias gradients of a convolution on an odd, non-square input against finite differences.
    @Test(arguments: convolutions + generalConvolutions)
    func gradients(convolution: ConvolutionAttributes) throws {
        let kernel = convolution.kernel
        let (inChannels, outChannels) = convolution.groups == 1 ? (3, 4) : (6, 12)
        var problem = GradientProblem()
        let x = problem.variable("x", [2, inChannels, 7, 6])
        let w = problem.variable("w", [outChannels, inChannels / convolution.groups, kernel, kernel])
        let b = problem.variable("b", [outChannels])
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

    /// A depthwise convolution (groups = 2 = input channels) keeps channels apart: output 0 sees only input 0
    /// through w0 = [[1, 1], [1, 1]] (window sums of 1…9: 12, 16, 24, 28), output 1 only input 1 through
    /// w1 = [[0, 0], [0, 2]] (twice the bottom-right of each window of 10…18: 28, 30, 34, 36).
    @Test func depthwiseByHand() throws {
        var fixture = GraphFixture()
        let x = fixture.tensor("x", [1, 2, 3, 3], (1...18).map(Double.init))
        let w = fixture.tensor("w", [2, 1, 2, 2], [1, 1, 1, 1, 0, 0, 0, 2])
        let y = fixture.graph.add(.conv2D(ConvolutionAttributes(kernel: 2, groups: 2)), [x, w], name: "y")
        #expect(try fixture.evaluate(y) == [12, 16, 24, 28, 28, 30, 34, 36])
    }

    /// Dilation 2 spreads a 2×2 kernel over a 3×3 window: on x = 1…16 (4×4) with w = [[1, 0], [0, 1]] each output
    /// is x[i, j] + x[i + 2, j + 2]: 1 + 11, 2 + 12, 5 + 15, 6 + 16.
    @Test func dilationByHand() throws {
        var fixture = GraphFixture()
        let x = fixture.tensor("x", [1, 1, 4, 4], (1...16).map(Double.init))
        let w = fixture.tensor("w", [1, 1, 2, 2], [1, 0, 0, 1])
        let y = fixture.graph.add(.conv2D(ConvolutionAttributes(kernel: 2, dilation: 2)), [x, w], name: "y")
        #expect(fixture.graph.type(of: y).shape == [1, 1, 2, 2])
        #expect(try fixture.evaluate(y) == [12, 14, 20, 22])
    }
}

import NetcGraph
import NetcInterpreter
import NetcLLVM
import NetcLoops
import Testing

/// The BatchNorm statistics a convolution sums as it stores its result (`ChannelStatistics`) keep a channel's variance
/// when its mean is large against its spread: for outputs of 1000 ± a few (a bias of 1000), under every candidate
/// schedule of a pixel-vectorised, a direct strided and a Winograd convolution, the compiled mean and variance are
/// within 1e-6 of the interpreter's two passes in `f64` over the values the convolution stored. Widening every value
/// to `f64` before it is squared and added, they agree exactly here. Summing the values in `f32` first, as a faster
/// epilogue might, loses the variance: tried, runs of up to 32 values were off by 0.6-1.6 %, and a first layer's
/// column summed over a whole image by 11 %. Σx² is then off by `f32` roundings of about 10⁶ per value where the
/// variance is about 1 to 10; sums of deviations from a value of the run kept it within 1.2e-7.
@Suite struct ChannelStatisticsTests {
    /// (input, output channels, convolution): the first layer's pixel loop (tiles of up to 6 rows), a stride-2
    /// direct convolution and a 3×3 stride-1 one that Winograd candidates compute too.
    static let shapes: [([Int], Int, ConvolutionAttributes)] = [
        ([2, 1, 14, 12], 5, ConvolutionAttributes(kernel: 3, stride: 1, padding: 1)),
        ([2, 6, 11, 10], 9, ConvolutionAttributes(kernel: 3, stride: 2, padding: 1)),
        ([2, 8, 10, 12], 8, ConvolutionAttributes(kernel: 3, stride: 1, padding: 1)),
    ]

    @Test(arguments: 0..<shapes.count)
    func varianceAroundALargeMeanMatchesTheInterpreter(index: Int) throws {
        let (input, outChannels, attributes) = Self.shapes[index]
        let signature = KernelSignature(
            convolution: .forward, input: input, outChannels: outChannels, attributes, sumsStatistics: true)
        let graph = Self.graph(input: input, outChannels: outChannels, attributes)
        let candidates = ScheduleCandidateTests.candidates(for: signature)
        #expect(!candidates.isEmpty)
        for schedule in candidates {
            let options = CompilationOptions(threads: 2, schedules: ScheduleTable(tuned: [signature: schedule]))
            let actual = try JITBackend(options: options).prepare(graph, seed: 4).run([:])
            let y = try #require(actual["y"])
            let expected = try #require(
                try Interpreter(precision: .float32).prepare(Self.moments(of: y.type), seed: 4).run([.images: y])[
                    "moments"])
            let comparison = TensorComparison(
                name: "moments", actual: try #require(actual["moments"]), reference: expected,
                tolerance: Tolerance(absolute: 0, relative: 1e-6))
            #expect(comparison.passes, "\(signature) with \(schedule): \(comparison)")
        }
    }

    /// The `batchMoments` of images of `type`: the interpreter's two passes in `f64` over the very values the
    /// compiled convolution stored.
    static func moments(of type: TensorType) -> Graph {
        var graph = Graph()
        let y = graph.add(.input(.images), [], type: type, name: "y")
        graph.outputs = [GraphOutput("moments", graph.add(.batchMoments, [y], name: "moments"))]
        return graph
    }

    /// y = conv(x, w) + 1000 with x and w uniform in [−1, 1] (the output `y`) and its `batchMoments` (`moments`).
    static func graph(input: [Int], outChannels: Int, _ attributes: ConvolutionAttributes) -> Graph {
        var graph = Graph()
        let weight = [outChannels, input[1], attributes.kernel, attributes.kernel]
        let (x, w, b) = (
            graph.add(.state(.uniform(bound: 1)), [], type: TensorType(.float32, input), name: "x"),
            graph.add(.state(.uniform(bound: 1)), [], type: TensorType(.float32, weight), name: "w"),
            graph.add(.state(.constant(1000)), [], type: TensorType(.float32, [outChannels]), name: "b")
        )
        let output = [
            input[0], outChannels, attributes.outputLength(input[2]), attributes.outputLength(input[3]),
        ]
        let y = graph.add(.conv2D(attributes), [x, w, b], type: TensorType(.float32, output), name: "y")
        graph.outputs = [GraphOutput("y", y), GraphOutput("moments", graph.add(.batchMoments, [y], name: "moments"))]
        return graph
    }
}

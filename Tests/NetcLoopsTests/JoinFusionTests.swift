import NetcGraph
import Testing

@testable import NetcLoops

/// Fusion across the joins of a residual network, counted so it cannot silently regress: the residual add runs
/// in the kernel applying the BatchNorm that produces one side (in inference, the epilogue of the convolution
/// before it), and a value read by both sides of a block gets its two gradients summed in the epilogue of the
/// convolution computing the second.
@Suite struct JoinFusionTests {
    /// A stem, a residual block with an identity shortcut and one with a projection shortcut.
    static let spec = NetworkSpec(
        name: "blocks", input: ImageShape(channels: 3, height: 8, width: 8), classes: 4,
        layers: [
            LayerSpec(.conv2D(outChannels: 8, kernel: 3, stride: 1, padding: 1, bias: false)),
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)), LayerSpec(.relu),
            LayerSpec(.residual(name: "res1", body: body(8, stride: 1), shortcut: [])), LayerSpec(.relu),
            LayerSpec(
                .residual(
                    name: "res2", body: body(16, stride: 2),
                    shortcut: [
                        LayerSpec(.conv2D(outChannels: 16, kernel: 1, stride: 2, padding: 0, bias: false)),
                        LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
                    ])), LayerSpec(.relu),
            LayerSpec(.globalAvgPool), LayerSpec(.flatten), LayerSpec(.linear(outFeatures: 4, bias: true)),
        ])

    static func body(_ channels: Int, stride: Int) -> [LayerSpec] {
        [
            LayerSpec(.conv2D(outChannels: channels, kernel: 3, stride: stride, padding: 1, bias: false)),
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)), LayerSpec(.relu),
            LayerSpec(.conv2D(outChannels: channels, kernel: 3, stride: 1, padding: 1, bias: false)),
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
        ]
    }

    @Test func inferenceAddsInTheConvolutionsEpilogue() throws {
        let model = try NetworkModel(Self.spec, batchSize: 2, mode: .inference)
        let program = LoopPipeline(target: .haswell).program(for: model.graph)
        let kernels = program.kernels.filter { !$0.name.hasSuffix("_pack") && !$0.name.hasSuffix("_pad") }
        #expect(
            kernels.map(\.computes) == [
                ["0", "1", "2"], ["res1.body.0", "res1.body.1", "res1.body.2"],
                ["res1.body.3", "res1.body.4", "res1", "4"], ["res2.body.0", "res2.body.1", "res2.body.2"],
                ["res2.shortcut.0", "res2.shortcut.1"], ["res2.body.3", "res2.body.4", "res2", "6"], ["7"],
                ["9"],
            ])
    }

    @Test func trainingAddsWhereTheBatchNormIsAppliedAndSumsGradientsInEpilogues() throws {
        let model = try NetworkModel(Self.spec, batchSize: 2, mode: .training)
        let program = LoopPipeline(target: .haswell).program(for: model.trainingStep(optimizer: .adam(AdamAttributes())))
        let stored = Set(program.storedValues.map(\.name))
        // Neither join is stored: each is recomputed (BatchNorm applied to its body's last convolution, plus the
        // shortcut) inside the kernel of the ReLU after it, which reads the two convolutions' outputs.
        #expect(!stored.contains("res1") && !stored.contains("res2"))
        let join = try #require(program.kernels.first { $0.computes == ["4"] })
        let read = Set(join.buffers.map { program.buffers[$0.index].name })
        #expect(read.isSuperset(of: ["res1.body.3", "2"]), "\(read)")
        // The block inputs' two gradients are summed (and run through the ReLU gradient) by the convolution
        // input gradient computed second, with no kernel of their own.
        let sums = program.kernels.filter { $0.computes.contains { $0.hasSuffix(".grad.sum") } }
        #expect(
            sums.map(\.computes) == [
                ["res2.shortcut.0.dx", "4.grad.sum", "4.dx"], ["res1.body.0.dx", "2.grad.sum", "2.dx"],
            ])
    }
}

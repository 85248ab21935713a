import NetcGraph
import NetcInterpreter
import NetcLLVM
import NetcLoops
import NetcTestSupport
import Testing

/// Forward passes and input gradients tiled across images (`Schedule.Algorithm.directAcrossImages`): every such
/// candidate computes what the interpreter computes (forward passes with and without the BatchNorm statistics summed as
/// the result is stored) on planes of 1×1 to 8×8, strides 1 and 2 (input gradients with rows whose phases are tiled
/// together, and rows no kernel row reaches), batches that leave a smaller last block of images and channels that leave
/// narrower vectors; and since a tile across images sums each result in the order a tile along the row does, both give
/// the same bits. Only kernels whose tiles along a row would hold at most 4 pixels are offered the tiling.
@Suite struct AcrossImagesTests {
    /// (input, output channels, attributes): 2×2 planes (the reference network's conv3_0, smaller), 7×7 and 8×8 at
    /// stride 2 (outputs 4×4), 3×3 to 1×1 and 4×4 to 3×3 without padding, and a 1×1 stride-2 shortcut on 4×4.
    static let shapes: [([Int], Int, ConvolutionAttributes)] = [
        ([7, 20, 2, 2], 19, ConvolutionAttributes(kernel: 3, stride: 1, padding: 1)),
        ([5, 9, 7, 7], 24, ConvolutionAttributes(kernel: 3, stride: 2, padding: 1)),
        ([3, 7, 8, 8], 12, ConvolutionAttributes(kernel: 3, stride: 2, padding: 1)),
        ([11, 6, 3, 3], 40, ConvolutionAttributes(kernel: 3, stride: 1, padding: 0)),
        ([3, 5, 4, 4], 8, ConvolutionAttributes(kernel: 2, stride: 1, padding: 0)),
        ([4, 10, 4, 4], 6, ConvolutionAttributes(kernel: 1, stride: 2, padding: 0)),
    ]

    static func acrossImages(_ signature: KernelSignature) -> [Schedule] {
        ScheduleCandidateTests.candidates(for: signature).filter { $0.algorithm == .directAcrossImages }
    }

    @Test(arguments: 0..<shapes.count)
    func everyCandidateMatchesTheInterpreterAndTheRowTileToTheBit(index: Int) throws {
        let (input, outChannels, attributes) = Self.shapes[index]
        for (role, statistics) in [(KernelSignature.Role.forward, false), (.forward, true), (.inputGradient, false)] {
            let signature = KernelSignature(
                convolution: role, input: input, outChannels: outChannels, attributes, sumsStatistics: statistics)
            let schedules = Self.acrossImages(signature)
            #expect(!schedules.isEmpty, "\(signature) is offered tiles across images")
            try ScheduleCandidateTests.expectEveryCandidateMatches(signature, among: schedules)
            let graph = signature.graph
            func run(_ schedule: Schedule) throws -> [String: Tensor] {
                let options = CompilationOptions(threads: 2, schedules: ScheduleTable(tuned: [signature: schedule]))
                return try JITBackend(options: options).prepare(graph, seed: 3).run([:])
            }
            // Any tile along the row sums in the same order; the statistics are summed in other parts.
            let alongTheRow = try run(
                ScheduleSpace.heuristic(for: signature, on: TargetName.haswell.target.description))
            for schedule in schedules {
                #expect(
                    try run(schedule)["result"]?.scalars == alongTheRow["result"]?.scalars,
                    "\(signature): \(schedule) and a tile along the row differ")
            }
        }
    }

    @Test func onlyKernelsWithShortRowsAreTiledAcrossImages() {
        let narrow = ConvolutionAttributes(kernel: 3, stride: 1, padding: 1)
        let reference = [100, 64, 2, 2]
        for role in [KernelSignature.Role.forward, .inputGradient] {
            #expect(
                !Self.acrossImages(KernelSignature(convolution: role, input: reference, outChannels: 128, narrow))
                    .isEmpty)
        }
        #expect(
            Self.acrossImages(KernelSignature(convolution: .weightGradient, input: reference, outChannels: 128, narrow))
                .isEmpty)
        // Rows of 5 pixels; a single image; one input channel (vectorised over pixels).
        for input in [[100, 64, 5, 5], [1, 64, 2, 2], [100, 1, 2, 2]] {
            #expect(
                Self.acrossImages(KernelSignature(convolution: .forward, input: input, outChannels: 32, narrow)).isEmpty
            )
        }
    }

    /// Two training steps of a small network on 4×4 and 2×2 planes, every convolution kernel offered it tiled across
    /// images (inputs read through BatchNorm and ReLU, results through the epilogue; a 1×1 stride-2 convolution whose
    /// input gradient has rows no kernel row reaches), on two threads with memory reused, on every target this machine
    /// runs.
    @Test(arguments: WinogradConvolutionTests.targets)
    func trainingStepMatchesInterpreter(target: TargetName) throws {
        let layers = [
            LayerSpec(.conv2D(outChannels: 8, kernel: 3, stride: 1, padding: 1, bias: false)),
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)), LayerSpec(.relu),
            LayerSpec(.conv2D(outChannels: 12, kernel: 1, stride: 2, padding: 0, bias: false)),
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)), LayerSpec(.relu),
            LayerSpec(.conv2D(outChannels: 6, kernel: 3, stride: 1, padding: 1, bias: true)), LayerSpec(.relu),
            LayerSpec(.flatten), LayerSpec(.linear(outFeatures: 3, bias: true)),
        ]
        let spec = NetworkSpec(
            name: "across", input: ImageShape(channels: 2, height: 4, width: 4), classes: 3, layers: layers)
        let model = try NetworkModel(spec, batchSize: 7, mode: .training)
        let optimizer = Optimizer.adam(AdamAttributes())
        let graph = model.trainingStep(optimizer: optimizer, exposingGradients: true)
        var tuned: [KernelSignature: Schedule] = [:]
        for signature in KernelSignature.all(in: graph) {
            let candidates = ScheduleSpace.candidates(for: signature, on: target.target.description)
            tuned[signature] = candidates.first { $0.algorithm == .directAcrossImages }
        }
        // The first convolution, of 2 input channels, is vectorised over pixels.
        #expect(tuned.count == 4, "the last two convolutions' forward passes and input gradients tile across images")
        let comparisons = try BackendAgreement.comparisons(
            of: graph, optimizer: optimizer, steps: [1, 2].map { RandomNetworkTests.inputs(for: model, step: $0) },
            options: CompilationOptions(
                reusesMemory: true, threads: 2, target: target.target, schedules: ScheduleTable(tuned: tuned)))
        #expect(comparisons.failures.isEmpty, "\(target.rawValue): \(comparisons.failures)")
    }
}

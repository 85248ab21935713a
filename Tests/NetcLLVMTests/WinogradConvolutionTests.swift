import NetcGraph
import NetcLLVM
import NetcLoops
import NetcTestSupport
import Testing

/// 3×3 stride-1 convolutions by Winograd's F(2×2, 3×3) (`Schedule.Algorithm.winograd`) against the float32
/// interpreter, at `netc check`'s tolerance: every Winograd candidate `netc tune` times, on shapes whose results take
/// whole and partial 2×2 tiles (odd heights and widths, paddings 0 to 2, a single pixel) and narrower vectors of
/// channels, forward (with and without the BatchNorm statistics summed as the result is stored) and input gradient;
/// and two training steps of a small network with every convolution kernel that allows it computed this way (inputs
/// read through BatchNorm and ReLU, results through the epilogue), on two threads, on every target this machine runs.
@Suite struct WinogradConvolutionTests {
    static let targets = TargetName.allCases.filter { $0.featuresMissingOnHost.isEmpty }

    /// (input, output channels, padding).
    static let shapes: [([Int], Int, Int)] = [
        ([2, 5, 8, 10], 7, 1),
        ([1, 20, 7, 9], 17, 1),
        ([2, 6, 9, 6], 40, 0),
        ([1, 4, 5, 5], 9, 2),
        ([1, 8, 3, 3], 5, 0),
    ]

    @Test(arguments: 0..<shapes.count)
    func everyWinogradCandidateMatchesTheInterpreter(index: Int) throws {
        let (input, outChannels, padding) = Self.shapes[index]
        let attributes = ConvolutionAttributes(kernel: 3, stride: 1, padding: padding)
        for signature in [
            KernelSignature(convolution: .forward, input: input, outChannels: outChannels, attributes),
            KernelSignature(
                convolution: .forward, input: input, outChannels: outChannels, attributes, sumsStatistics: true),
            KernelSignature(convolution: .inputGradient, input: input, outChannels: outChannels, attributes),
        ] {
            let winograd = ScheduleCandidateTests.candidates(for: signature).filter { $0.algorithm == .winograd }
            #expect(!winograd.isEmpty, "\(signature) has Winograd candidates")
            try ScheduleCandidateTests.expectEveryCandidateMatches(signature, among: winograd)
        }
    }

    @Test(arguments: targets)
    func trainingStepMatchesInterpreter(target: TargetName) throws {
        let layers = [
            LayerSpec(.conv2D(outChannels: 8, kernel: 3, stride: 1, padding: 1, bias: false)),
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)), LayerSpec(.relu),
            LayerSpec(.conv2D(outChannels: 12, kernel: 3, stride: 1, padding: 1, bias: false)),
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)), LayerSpec(.relu),
            LayerSpec(.conv2D(outChannels: 6, kernel: 3, stride: 1, padding: 0, bias: true)), LayerSpec(.relu),
            LayerSpec(.flatten), LayerSpec(.linear(outFeatures: 3, bias: true)),
        ]
        let spec = NetworkSpec(
            name: "winograd", input: ImageShape(channels: 2, height: 9, width: 8), classes: 3, layers: layers)
        let model = try NetworkModel(spec, batchSize: 3, mode: .training)
        let optimizer = Optimizer.adam(AdamAttributes())
        let graph = model.trainingStep(optimizer: optimizer, exposingGradients: true)
        var winograd: [KernelSignature: Schedule] = [:]
        for signature in KernelSignature.all(in: graph) {
            let candidates = ScheduleSpace.candidates(for: signature, on: target.target.description)
            winograd[signature] = candidates.first { $0.algorithm == .winograd }
        }
        #expect(winograd.count == 4, "the second and third convolutions and their input gradients run as Winograd's")
        let comparisons = try BackendAgreement.comparisons(
            of: graph, optimizer: optimizer, steps: [1, 2].map { RandomNetworkTests.inputs(for: model, step: $0) },
            options: CompilationOptions(
                reusesMemory: true, threads: 2, target: target.target, schedules: ScheduleTable(tuned: winograd)))
        #expect(comparisons.failures.isEmpty, "\(target.rawValue): \(comparisons.failures)")
    }
}

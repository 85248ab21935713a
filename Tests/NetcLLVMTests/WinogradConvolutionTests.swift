import NetcGraph
import NetcLLVM
import NetcLoops
import NetcTestSupport
import Testing

/// 3×3 stride-1 convolutions by Winograd's F(2×2, 3×3) and F(4×4, 3×3) (`WinogradTile`) against the float32
/// interpreter, at `netc check`'s tolerance: every Winograd candidate `netc tune` times, on shapes whose results take
/// whole tiles and tiles cut short by 1, 2 or 3 rows and columns (paddings 0 to 2, a single pixel) and narrower
/// vectors of channels, forward (with and without the BatchNorm statistics summed as the result is stored), input
/// gradient and weight gradient (summed in chunks of whole images and of rows of tiles); and two training steps of a
/// small network with every convolution kernel that allows it computed by each algorithm (inputs read through
/// BatchNorm and ReLU, results through the epilogue), on two threads, on every target this machine runs.
@Suite struct WinogradConvolutionTests {
    static let targets = TargetName.allCases.filter { $0.featuresMissingOnHost.isEmpty }

    /// (input, output channels, padding).
    static let shapes: [([Int], Int, Int)] = [
        ([2, 5, 8, 10], 7, 1),
        ([1, 20, 7, 9], 17, 1),
        ([2, 6, 9, 6], 40, 0),
        ([1, 4, 5, 5], 9, 2),
        ([1, 8, 3, 3], 5, 0),
        // Weight gradients summed over chunks of whole images and of rows of tiles (256 tiles at most): 9 rows, 8,
        // then 1 cut short under F(2×2, 3×3).
        ([3, 6, 11, 10], 5, 1),
        ([1, 4, 35, 34], 6, 1),
        // Forward passes and input gradients in steps of several rows of tiles (`WinogradGeometry.stepRows`): under
        // F(2×2, 3×3) four steps of 3 rows of 5 tiles, then one of 2; two steps of 5 rows of 3 tiles (the last
        // column cut short by one), the second's last row cut short by one. Under F(4×4, 3×3) one step of 4 rows of
        // 3 tiles (the last column cut short by 2), then one of 3; one step of 5 rows of 2 tiles, the last row cut
        // short by 3.
        ([1, 5, 28, 10], 5, 1),
        ([2, 6, 19, 5], 4, 1),
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
            KernelSignature(convolution: .weightGradient, input: input, outChannels: outChannels, attributes),
        ] {
            let winograd = ScheduleCandidateTests.candidates(for: signature).filter {
                [.winograd2x2, .winograd4x4].contains($0.algorithm)
            }
            #expect(Set(winograd.map(\.algorithm)).count == 2, "\(signature) has candidates of both Winograd tiles")
            try ScheduleCandidateTests.expectEveryCandidateMatches(
                signature, among: winograd, tolerance: Self.tolerance)
        }
    }

    /// `netc check`'s tolerance, except that F(4×4, 3×3)'s absolute part is 5e-6 of the result's largest magnitude:
    /// its transforms scale inputs by up to 25 and products by up to 64 before the sums cancel, so its rounding error
    /// grows with a tile's inputs rather than with each result (here up to 2.6e-6 of the largest result, against 3e-7
    /// for F(2×2, 3×3); numpy's float32 F(4×4, 3×3) over 32 channels of normal inputs gives 1.6e-6).
    static func tolerance(_ schedule: Schedule, _ reference: Tensor) -> Tolerance {
        switch schedule.algorithm {
        case .direct, .directAcrossImages, .winograd2x2: Tolerance()
        case .winograd4x4:
            Tolerance(absolute: max(1e-5, 5e-6 * reference.scalars.map(abs).max()!), relative: Tolerance().relative)
        }
    }

    /// `netc tune` times F(2×2, 3×3) by default and F(4×4, 3×3), which rounds several times worse, only when asked.
    @Test func theLooserTileIsTimedOnlyWhenAskedFor() {
        let signature = KernelSignature(
            convolution: .forward, input: [100, 32, 28, 28], outChannels: 32,
            ConvolutionAttributes(kernel: 3, stride: 1, padding: 1))
        let target = TargetName.haswell.target.description
        let strict = Set(ScheduleSpace.candidates(for: signature, on: target).map(\.algorithm))
        #expect(strict == [.direct, .winograd2x2])
        let every = ScheduleSpace.candidates(for: signature, on: target, algorithms: Set(Schedule.Algorithm.allCases))
        #expect(Set(every.map(\.algorithm)) == [.direct, .winograd2x2, .winograd4x4])
    }

    @Test(arguments: targets, [Schedule.Algorithm.winograd2x2, .winograd4x4])
    func trainingStepMatchesInterpreter(target: TargetName, algorithm: Schedule.Algorithm) throws {
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
            let candidates = ScheduleSpace.candidates(
                for: signature, on: target.target.description, algorithms: [algorithm])
            winograd[signature] = candidates.first { $0.algorithm == algorithm }
        }
        #expect(
            winograd.count == 6,
            "the second and third convolutions and their input and weight gradients run as Winograd's")
        let table = ScheduleTable(tuned: winograd)
        for (signature, schedule) in winograd {
            #expect(table.schedule(for: signature, on: target.target.description) == schedule, "compiled as tuned")
        }
        let comparisons = try BackendAgreement.comparisons(
            of: graph, optimizer: optimizer, steps: [1, 2].map { RandomNetworkTests.inputs(for: model, step: $0) },
            options: CompilationOptions(
                reusesMemory: true, threads: 2, target: target.target, schedules: table))
        #expect(comparisons.failures.isEmpty, "\(target.rawValue), \(algorithm): \(comparisons.failures)")
    }
}

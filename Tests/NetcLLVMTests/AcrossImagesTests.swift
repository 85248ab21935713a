import NetcGraph
import NetcInterpreter
import NetcLLVM
import NetcLoops
import Testing

/// Forward convolutions tiled across images (`Schedule.Algorithm.directAcrossImages`): every such candidate computes
/// what the interpreter computes, with and without the BatchNorm statistics summed as the result is stored, on output
/// planes of 1×1 to 4×4 with batches that leave a smaller last block of images and channels that leave narrower
/// vectors; and since a tile across images sums each result in the order a tile along the row does, both give the
/// same bits. Only forward passes with output rows of at most 4 pixels are offered the tiling.
@Suite struct AcrossImagesTests {
    /// (input, output channels, attributes): outputs 2×2 (the reference network's conv3_0, smaller), 4×4 at stride
    /// 2, 1×1 and 3×4 without padding.
    static let shapes: [([Int], Int, ConvolutionAttributes)] = [
        ([7, 20, 2, 2], 19, ConvolutionAttributes(kernel: 3, stride: 1, padding: 1)),
        ([5, 9, 7, 7], 24, ConvolutionAttributes(kernel: 3, stride: 2, padding: 1)),
        ([11, 6, 3, 3], 40, ConvolutionAttributes(kernel: 3, stride: 1, padding: 0)),
        ([3, 5, 4, 5], 8, ConvolutionAttributes(kernel: 2, stride: 1, padding: 0)),
    ]

    static func acrossImages(_ signature: KernelSignature) -> [Schedule] {
        ScheduleCandidateTests.candidates(for: signature).filter { $0.algorithm == .directAcrossImages }
    }

    @Test(arguments: 0..<shapes.count)
    func everyCandidateMatchesTheInterpreterAndTheRowTileToTheBit(index: Int) throws {
        let (input, outChannels, attributes) = Self.shapes[index]
        for statistics in [false, true] {
            let signature = KernelSignature(
                convolution: .forward, input: input, outChannels: outChannels, attributes, sumsStatistics: statistics)
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

    @Test func onlyForwardPassesWithShortRowsAreTiledAcrossImages() {
        let narrow = ConvolutionAttributes(kernel: 3, stride: 1, padding: 1)
        let reference = [100, 64, 2, 2]
        #expect(
            !Self.acrossImages(KernelSignature(convolution: .forward, input: reference, outChannels: 128, narrow))
                .isEmpty)
        for role in [KernelSignature.Role.inputGradient, .weightGradient] {
            #expect(
                Self.acrossImages(KernelSignature(convolution: role, input: reference, outChannels: 128, narrow))
                    .isEmpty)
        }
        // Rows of 5 pixels; a single image; one input channel (vectorised over pixels).
        for input in [[100, 64, 5, 5], [1, 64, 2, 2], [100, 1, 2, 2]] {
            #expect(
                Self.acrossImages(KernelSignature(convolution: .forward, input: input, outChannels: 32, narrow)).isEmpty
            )
        }
    }
}

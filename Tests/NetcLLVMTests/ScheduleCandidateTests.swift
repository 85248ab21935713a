import NetcGraph
import NetcInterpreter
import NetcLLVM
import NetcLoops
import Testing

/// Every schedule `netc tune` may pick computes what the interpreter computes: for random convolution shapes (one
/// to twenty input channels, so both the pixel- and channel-vectorised loops, channel counts that leave narrower
/// vectors, kernels 1–4, strides 1–2, every padding) and linear layers, each of the three kernels under every
/// candidate schedule of the fixed targets (256- and 512-bit vectors, 16 and 32 registers) and its streaming twin where
/// it has one, and the forward pass again with the BatchNorm statistics it sums as it stores its result, at `netc
/// check`'s tolerance.
@Suite struct ScheduleCandidateTests {
    /// A random convolution (batch, channels, sizes, kernel, stride, padding) from `seed`.
    static func convolution(seed: UInt64) -> (input: [Int], outChannels: Int, ConvolutionAttributes) {
        var draws = Draws(seed: seed + 500)
        let kernel = draws.pick(1...4)
        let attributes = ConvolutionAttributes(
            kernel: kernel, stride: draws.pick(1...2), padding: draws.pick(0...kernel - 1))
        let inChannels = seed % 3 == 0 ? draws.pick(1...3) : draws.pick(4...20)
        let size = draws.pick(kernel...kernel + 9)
        return ([draws.pick(1...3), inChannels, size, size + draws.pick(0...3)], draws.pick(1...40), attributes)
    }

    /// The candidates of every algorithm on every fixed target that this machine runs, each followed by its
    /// streaming twin where it has one (`ScheduleSpace.streamingTwin`), without repeats.
    static func candidates(for signature: KernelSignature) -> [Schedule] {
        var all: [Schedule] = []
        for name in [TargetName.haswell, .icelakeServer, .znver4] where name.featuresMissingOnHost.isEmpty {
            for candidate in ScheduleSpace.candidates(
                for: signature, on: name.target.description, algorithms: Set(Schedule.Algorithm.allCases))
            {
                let twin = ScheduleSpace.streamingTwin(of: candidate, for: signature)
                for schedule in [candidate] + (twin.map { [$0] } ?? []) where !all.contains(schedule) {
                    all.append(schedule)
                }
            }
        }
        return all
    }

    @Test(arguments: 0..<6 as Range<UInt64>)
    func everyCandidateMatchesTheInterpreter(seed: UInt64) throws {
        let (input, outChannels, attributes) = Self.convolution(seed: seed)
        var draws = Draws(seed: seed + 900)
        let (batch, features, outputs) = (draws.pick(1...9), draws.pick(1...70), draws.pick(1...40))
        for role in KernelSignature.Role.allCases {
            let statistics =
                role == .forward
                ? [
                    KernelSignature(
                        convolution: role, input: input, outChannels: outChannels, attributes, sumsStatistics: true)
                ] : []
            for signature in [
                KernelSignature(convolution: role, input: input, outChannels: outChannels, attributes),
                KernelSignature(linear: role, batch: batch, inFeatures: features, outFeatures: outputs),
            ] + statistics {
                try Self.expectEveryCandidateMatches(signature)
            }
        }
    }

    /// Linear sums long enough to take several `f32` blocks of 32 steps and a shorter last one before their `f64`
    /// total, in each kernel: the sum runs over the features (forward, 103 = 3 · 32 + 7), the outputs (input gradient,
    /// 69 = 2 · 32 + 5) or the batch (weight gradient, 71 = 2 · 32 + 7).
    @Test func linearSumsOfSeveralBlocksMatchTheInterpreter() throws {
        for role in KernelSignature.Role.allCases {
            try Self.expectEveryCandidateMatches(
                KernelSignature(linear: role, batch: 71, inFeatures: 103, outFeatures: 69))
        }
    }

    /// Compiles `signature`'s kernel under each of `schedules` (every candidate when nil) and compares its outputs
    /// (the result, and the batch statistics the forward convolution's epilogue sums) with the interpreter's, within
    /// the tolerance `tolerance` gives for a schedule and a reference tensor (`netc check`'s by default).
    static func expectEveryCandidateMatches(
        _ signature: KernelSignature, among schedules: [Schedule]? = nil,
        tolerance: (Schedule, Tensor) -> Tolerance = { _, _ in Tolerance() }
    ) throws {
        let graph = signature.graph
        let expected = try Interpreter(precision: .float32).prepare(graph, seed: 9).run([:])
        for schedule in schedules ?? Self.candidates(for: signature) {
            let options = CompilationOptions(threads: 2, schedules: ScheduleTable(tuned: [signature: schedule]))
            let actual = try JITBackend(options: options).prepare(graph, seed: 9).run([:])
            for output in graph.outputs {
                let reference = try #require(expected[output.name])
                let comparison = TensorComparison(
                    name: output.name, actual: try #require(actual[output.name]), reference: reference,
                    tolerance: tolerance(schedule, reference))
                #expect(comparison.passes, "\(signature) with \(schedule): \(comparison)")
            }
        }
    }
}

/// Input gradients of strided convolutions whose rows split into phases of equal length take the same pixels of every
/// phase in one tile (`Lowering.interleavesPhases`), and those of odd widths one phase at a time: every candidate
/// schedule of both computes what the interpreter computes.
@Suite struct InterleavedPhaseTests {
    @Test(arguments: [
        ([2, 5, 8, 10], 7, ConvolutionAttributes(kernel: 3, stride: 2, padding: 1)),
        ([1, 20, 6, 12], 9, ConvolutionAttributes(kernel: 4, stride: 2, padding: 1)),
        ([2, 6, 9, 9], 5, ConvolutionAttributes(kernel: 3, stride: 3, padding: 0)),
        ([2, 17, 7, 7], 6, ConvolutionAttributes(kernel: 3, stride: 2, padding: 1)),
        ([1, 4, 6, 6], 18, ConvolutionAttributes(kernel: 1, stride: 2, padding: 0)),
    ])
    func everyCandidateMatchesTheInterpreter(input: [Int], outChannels: Int, attributes: ConvolutionAttributes) throws {
        try ScheduleCandidateTests.expectEveryCandidateMatches(
            KernelSignature(convolution: .inputGradient, input: input, outChannels: outChannels, attributes))
    }
}

/// Compilation takes a tuned schedule only while it is among the candidates `netc tune` times: one the space does not
/// offer (as caches written by an older netc may hold: a 14-pixel, 2-vector tile of the reference network's stride-2
/// input gradient, which fitted 32 registers when a tile took one phase and would need 56 sums now that it takes both)
/// gives way to the heuristic, and a cached candidate is used.
@Suite struct TunedScheduleValidityTests {
    @Test func aScheduleOutsideTheSpaceGivesWayToTheHeuristic() {
        let target = TargetName.znver4.target.description
        let signature = KernelSignature(
            convolution: .inputGradient, input: [100, 32, 28, 28], outChannels: 32,
            ConvolutionAttributes(kernel: 3, stride: 2, padding: 1))
        let stale = Schedule(vectorBits: 512, rows: 14, vectors: 2)
        let candidates = ScheduleSpace.candidates(for: signature, on: target)
        #expect(!candidates.contains(stale))
        #expect(
            ScheduleTable(tuned: [signature: stale]).schedule(for: signature, on: target)
                == ScheduleSpace.heuristic(for: signature, on: target))
        let tuned = candidates.last!
        #expect(ScheduleTable(tuned: [signature: tuned]).schedule(for: signature, on: target) == tuned)
    }

    /// A forward convolution's tuned streaming twin of a candidate is used; the twin of a tile outside the space
    /// is not.
    @Test func aStreamingTwinIsUsedOnlyForACandidate() throws {
        let target = TargetName.znver4.target.description
        let signature = KernelSignature(
            convolution: .forward, input: [100, 1, 28, 28], outChannels: 32,
            ConvolutionAttributes(kernel: 3, stride: 1, padding: 1), sumsStatistics: true)
        let candidates = ScheduleSpace.candidates(for: signature, on: target)
        let twin = try #require(ScheduleSpace.streamingTwin(of: candidates[0], for: signature))
        #expect(ScheduleTable(tuned: [signature: twin]).schedule(for: signature, on: target) == twin)
        let outside = Schedule(vectorBits: 512, rows: 40, vectors: 1, streamsOutput: true)
        #expect(!candidates.contains { $0.rows == outside.rows && $0.vectorBits == outside.vectorBits })
        #expect(
            ScheduleTable(tuned: [signature: outside]).schedule(for: signature, on: target)
                == ScheduleSpace.heuristic(for: signature, on: target))
    }
}

import NetcGraph
import NetcLLVM
import NetcLoops
import Testing

/// A forward convolution whose schedule streams its output (`Schedule.streamsOutput`) writes it with non-temporal
/// stores and ends with a store fence, in the machine code of every target, for rows whose length is a multiple of 4
/// and rows of odd length; with the same tile cached, it makes none. Streaming schedules compute what the interpreter
/// does, and only pixel-vectorised forward convolutions have them.
@Suite struct StreamingStoreTests {
    /// x86 stores that bypass the caches: whole vectors, and the 4- and 8-byte pieces the backend splits a vector
    /// into when it cannot prove it aligned to its size.
    static let nonTemporalStores: Set<String> = [
        "movntps", "vmovntps", "movntdq", "vmovntdq", "movntpd", "vmovntpd", "movnti", "movntss", "movntsd",
    ]

    @Test(arguments: TargetName.allCases.filter { $0 != .native })
    func streamingSchedulesStoreAroundTheCaches(target: TargetName) throws {
        let description = target.target.description
        for (input, outChannels) in [([4, 1, 12, 12], 8), ([2, 3, 9, 9], 16)] {
            let signature = KernelSignature(
                convolution: .forward, input: input, outChannels: outChannels,
                ConvolutionAttributes(kernel: 3, stride: 1, padding: 1))
            let cached = ScheduleSpace.heuristic(for: signature, on: description)
            let streaming = try #require(ScheduleSpace.streamingTwin(of: cached, for: signature))
            for schedule in [cached, streaming] {
                let mnemonics = try Self.forwardMnemonics(signature, schedule, target)
                let stores = mnemonics.filter(Self.nonTemporalStores.contains)
                let fenced = mnemonics.contains("sfence")
                if schedule.streamsOutput {
                    #expect(!stores.isEmpty && fenced, "\(target.rawValue) \(signature) \(schedule): \(stores)")
                } else {
                    #expect(stores.isEmpty && !fenced, "\(target.rawValue) \(signature) \(schedule): \(stores)")
                }
            }
        }
    }

    /// Streaming twins of every candidate compute what the interpreter computes, with the BatchNorm sums and without,
    /// for rows of 13 and 9 floats (whose vectors are only 4-byte aligned: a twin that claimed more would fault) and
    /// of 12 (16-byte aligned).
    @Test(arguments: [([2, 1, 13, 13], 8), ([3, 2, 12, 12], 5), ([2, 3, 9, 11], 4)])
    func streamingSchedulesMatchTheInterpreter(input: [Int], outChannels: Int) throws {
        for sums in [false, true] {
            let signature = KernelSignature(
                convolution: .forward, input: input, outChannels: outChannels,
                ConvolutionAttributes(kernel: 3, stride: 1, padding: 1), sumsStatistics: sums)
            let twins = ScheduleCandidateTests.candidates(for: signature).filter(\.streamsOutput)
            #expect(!twins.isEmpty)
            try ScheduleCandidateTests.expectEveryCandidateMatches(signature, among: twins)
        }
    }

    /// Only a forward convolution vectorised over pixels has a streaming twin: not one vectorised over channels, not
    /// the Winograd form, not the gradients, not a twin of a twin.
    @Test func onlyPixelVectorisedForwardConvolutionsStream() throws {
        let attributes = ConvolutionAttributes(kernel: 3, stride: 1, padding: 1)
        let forward = KernelSignature(convolution: .forward, input: [4, 2, 8, 8], outChannels: 8, attributes)
        let direct = Schedule(vectorBits: 256, rows: 4, vectors: 1)
        let twin = try #require(ScheduleSpace.streamingTwin(of: direct, for: forward))
        #expect(twin.streamsOutput && twin.description == "256b 4x1 images streaming")
        #expect(ScheduleSpace.streamingTwin(of: twin, for: forward) == nil)
        let winograd = Schedule(vectorBits: 256, rows: 2, vectors: 1, algorithm: .winograd2x2)
        let channels = KernelSignature(convolution: .forward, input: [4, 8, 8, 8], outChannels: 8, attributes)
        #expect(ScheduleSpace.streamingTwin(of: winograd, for: forward) == nil)
        #expect(ScheduleSpace.streamingTwin(of: direct, for: channels) == nil)
        for role in [KernelSignature.Role.inputGradient, .weightGradient] {
            let gradient = KernelSignature(convolution: role, input: [4, 2, 8, 8], outChannels: 8, attributes)
            #expect(ScheduleSpace.streamingTwin(of: direct, for: gradient) == nil)
        }
        let linear = KernelSignature(linear: .forward, batch: 4, inFeatures: 8, outFeatures: 8)
        #expect(ScheduleSpace.streamingTwin(of: direct, for: linear) == nil)
    }

    /// The instruction mnemonics of the kernel computing `signature`'s forward convolution under `schedule`.
    static func forwardMnemonics(
        _ signature: KernelSignature, _ schedule: Schedule, _ target: TargetName
    ) throws -> [String] {
        let program = LoopPipeline(
            target: target.target.description, schedules: ScheduleTable(tuned: [signature: schedule])
        ).program(for: signature.graph)
        let kernel = try #require(program.kernels.first { $0.name.hasSuffix("_fwd") })
        #expect(kernel.streamedBuffers.isEmpty != schedule.streamsOutput, "\(kernel.name): \(kernel.streamedBuffers)")
        return try KernelMnemonics.of(kernel, in: program, target: target)
    }
}

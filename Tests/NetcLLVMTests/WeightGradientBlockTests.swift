import NetcGraph
import NetcInterpreter
import NetcLLVM
import Testing

@testable import NetcLoops

/// A convolution's weight gradient whose channel-last dy does not fit the target's second-level cache sums blocks of
/// input channels per task: it must match the interpreter, and equal bit for bit the gradient summed one input
/// channel per task (every total sees the same additions in the same order).
@Suite struct WeightGradientBlockTests {
    @Test func blocksAreChosenOnlyWhenDyOutgrowsTheCache() {
        let target = TargetDescription.haswell
        let large = target.cacheBytes.level2
        #expect(
            Lowering.weightGradientChannelBlock(inChannels: 32, tile: 1, gradientBytes: large / 2, target: target) == 1)
        #expect(Lowering.weightGradientChannelBlock(inChannels: 32, tile: 1, gradientBytes: large, target: target) == 8)
        #expect(Lowering.weightGradientChannelBlock(inChannels: 12, tile: 1, gradientBytes: large, target: target) == 3)
        #expect(Lowering.weightGradientChannelBlock(inChannels: 7, tile: 1, gradientBytes: large, target: target) == 1)
        #expect(Lowering.weightGradientChannelBlock(inChannels: 3, tile: 1, gradientBytes: large, target: target) == 1)
        // Tiles of several input channels (1×1 kernels): blocks are whole tiles.
        #expect(Lowering.weightGradientChannelBlock(inChannels: 32, tile: 4, gradientBytes: large, target: target) == 8)
        #expect(Lowering.weightGradientChannelBlock(inChannels: 12, tile: 4, gradientBytes: large, target: target) == 4)
        #expect(Lowering.weightGradientChannelBlock(inChannels: 12, tile: 2, gradientBytes: 1, target: target) == 2)
    }

    @Test(arguments: [
        (input: [3, 8, 9, 11], outChannels: 20, ConvolutionAttributes(kernel: 3, stride: 2, padding: 1)),
        (input: [2, 12, 7, 7], outChannels: 33, ConvolutionAttributes(kernel: 3, stride: 1, padding: 1)),
        (input: [2, 16, 6, 5], outChannels: 8, ConvolutionAttributes(kernel: 2, stride: 1, padding: 0)),
        (input: [2, 12, 5, 7], outChannels: 20, ConvolutionAttributes(kernel: 1, stride: 1, padding: 0)),
        (input: [3, 16, 6, 6], outChannels: 9, ConvolutionAttributes(kernel: 1, stride: 2, padding: 0)),
    ])
    func blockedSumsMatchTheInterpreterAndTheUnblockedOnes(
        input: [Int], outChannels: Int, attributes: ConvolutionAttributes
    ) throws {
        let signature = KernelSignature(
            convolution: .weightGradient, input: input, outChannels: outChannels, attributes)
        let graph = signature.graph
        let reference = try #require(
            try Interpreter(precision: .float32).prepare(graph, seed: 4).run([:])["result"])
        let host = HostTarget.current
        var small = host.description
        small.cacheBytes.level2 = 0
        let blocking = HostTarget(
            triple: host.triple, cpuName: host.cpuName, features: host.features, description: small)
        var large = host.description
        large.cacheBytes.level2 = Int.max / 2
        let unblocked = HostTarget(
            triple: host.triple, cpuName: host.cpuName, features: host.features, description: large)
        #expect(Lowering.weightGradientChannelBlock(inChannels: input[1], tile: 1, gradientBytes: 1, target: small) > 1)

        // Winograd's sums (3×3 kernels at stride 1) come in chunks sized from the cache, which is what this test
        // varies; it is about the blocks of direct summation.
        for schedule in ScheduleCandidateTests.candidates(for: signature) where schedule.algorithm == .direct {
            func gradient(on target: HostTarget) throws -> Tensor {
                let options = CompilationOptions(
                    threads: 2, target: target, schedules: ScheduleTable(tuned: [signature: schedule]))
                return try #require(try JITBackend(options: options).prepare(graph, seed: 4).run([:])["result"])
            }
            let blocked = try gradient(on: blocking)
            let comparison = TensorComparison(name: "result", actual: blocked, reference: reference)
            #expect(comparison.passes, "\(signature) with \(schedule): \(comparison)")
            #expect(blocked == (try gradient(on: unblocked)), "\(signature) with \(schedule): blocked ≠ unblocked")
        }
    }

    /// A 1×1 kernel's tiles of several input channels add the same products in the same order to each sum as tiles
    /// of one, so every candidate (the space offers both: 7 input channels take tiles of 7 or 1 whatever the
    /// registers, where 12 offered no tile of one among the first five on a Zen 3's 16 registers) gives the same
    /// gradient, bit for bit.
    @Test func oneByOneTilesOfSeveralInputChannelsGiveTheSameBits() throws {
        let signature = KernelSignature(
            convolution: .weightGradient, input: [3, 7, 5, 7], outChannels: 20,
            ConvolutionAttributes(kernel: 1, stride: 1, padding: 0))
        let candidates = ScheduleCandidateTests.candidates(for: signature)
        #expect(candidates.contains { $0.rows > 1 } && candidates.contains { $0.rows == 1 })
        let gradients = try candidates.map { schedule in
            let options = CompilationOptions(threads: 2, schedules: ScheduleTable(tuned: [signature: schedule]))
            return try #require(try JITBackend(options: options).prepare(signature.graph, seed: 4).run([:])["result"])
        }
        for (schedule, gradient) in zip(candidates, gradients) {
            #expect(gradient == gradients[0], "\(schedule) against \(candidates[0])")
        }
    }
}

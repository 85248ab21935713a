import NetcGraph
import NetcInterpreter
import NetcLLVM
import NetcLoops
import Testing

/// Every schedule `netc tune` may pick computes what the interpreter computes: for random convolution shapes (one
/// to twenty input channels, so both the pixel- and channel-vectorised loops, channel counts that leave narrower
/// vectors, kernels 1–4, strides 1–2, every padding) and linear layers, each of the three kernels under every
/// candidate schedule of the fixed targets (256- and 512-bit vectors, 16 and 32 registers), and the forward pass
/// again with the BatchNorm statistics it sums as it stores its result, at `netc check`'s tolerance.
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

    /// The candidates of every fixed target that this machine runs, without repeats.
    static func candidates(for signature: KernelSignature) -> [Schedule] {
        var all: [Schedule] = []
        for name in [TargetName.haswell, .icelakeServer, .znver4] where name.featuresMissingOnHost.isEmpty {
            for schedule in ScheduleSpace.candidates(for: signature, on: name.target.description)
            where !all.contains(schedule) {
                all.append(schedule)
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

    /// Compiles `signature`'s kernel under each candidate and compares its outputs (the result, and the batch
    /// statistics the forward convolution's epilogue sums) with the interpreter's.
    static func expectEveryCandidateMatches(_ signature: KernelSignature) throws {
        let graph = signature.graph
        let expected = try Interpreter(precision: .float32).prepare(graph, seed: 9).run([:])
        for schedule in Self.candidates(for: signature) {
            let options = CompilationOptions(threads: 2, schedules: ScheduleTable(tuned: [signature: schedule]))
            let actual = try JITBackend(options: options).prepare(graph, seed: 9).run([:])
            for output in graph.outputs {
                let comparison = TensorComparison(
                    name: output.name, actual: try #require(actual[output.name]),
                    reference: try #require(expected[output.name]))
                #expect(comparison.passes, "\(signature) with \(schedule): \(comparison)")
            }
        }
    }
}

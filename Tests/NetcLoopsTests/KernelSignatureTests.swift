import Foundation
import NetcGraph
import NetcTestSupport
import Testing

@testable import NetcLoops

/// The signatures `netc tune` times are the kernels compilation builds: a training forward convolution that BatchNorm
/// reads says it sums the batch statistics, and schedule caches written before that flag existed still read.
@Suite struct KernelSignatureTests {
    static func signatures(mode: GraphMode) throws -> [KernelSignature] {
        let model = try NetworkModel(ReferenceNetwork.spec, batchSize: 4, mode: mode)
        return KernelSignature.all(
            in: mode == .training ? model.trainingStep(optimizer: .adam(AdamAttributes())) : model.graph)
    }

    /// The reference network's five convolutions each feed a BatchNorm (through a ReLU): in training all five forward
    /// passes sum statistics, and nothing else does; in inference (running statistics) none does.
    @Test func trainingForwardConvolutionsSumStatistics() throws {
        let training = try Self.signatures(mode: .training)
        let summing = training.filter(\.sumsStatistics)
        #expect(summing.count == 5)
        #expect(summing.allSatisfy { $0.operation == "conv2d" && $0.role == .forward })
        #expect(training.filter { $0.operation == "conv2d" && $0.role == .forward }.count == 5)
        #expect(try Self.signatures(mode: .inference).allSatisfy { !$0.sumsStatistics })
        #expect(summing[0].description == "conv2d.forward 4x1x28x28 -> 32 k3 s1 p1 +statistics")
    }

    /// The statistics' sums are part of the graph the tuner times: an output of their own.
    @Test func tuningGraphIncludesTheStatistics() throws {
        let attributes = ConvolutionAttributes(kernel: 3, stride: 1, padding: 1)
        let plain = KernelSignature(convolution: .forward, input: [2, 1, 8, 8], outChannels: 4, attributes)
        var summing = plain
        summing.sumsStatistics = true
        #expect(plain.graph.outputs.map(\.name) == ["result"])
        #expect(summing.graph.outputs.map(\.name) == ["result", "moments"])
        #expect(plain != summing)
    }

    /// A cache entry written before the flag existed reads as a signature that sums nothing; one that has it keeps it.
    @Test func signaturesWithoutTheFlagDecodeAsNotSumming() throws {
        let old = #"{"operation": "conv2d", "role": "dw", "sizes": [100, 1, 28, 28, 32, 3, 1, 1]}"#
        let decoded = try JSONDecoder().decode(KernelSignature.self, from: Data(old.utf8))
        #expect(decoded.sumsStatistics == false)
        #expect(decoded.role == .weightGradient && decoded.sizes == [100, 1, 28, 28, 32, 3, 1, 1])
        var summing = decoded
        summing.sumsStatistics = true
        let encoded = try JSONEncoder().encode(summing)
        #expect(try JSONDecoder().decode(KernelSignature.self, from: encoded) == summing)
    }

    /// A schedule cached before there was a choice of algorithm (no `algorithm` key) decodes as direct convolution,
    /// one cached as `winograd` before F(4×4, 3×3) existed as F(2×2, 3×3), and Winograd and streaming schedules
    /// survive the cache's round trip (one cached before streaming existed caches its output).
    @Test func schedulesWithoutAnAlgorithmDecodeAsDirect() throws {
        let old = #"{"vectorBits": 512, "rows": 7, "vectors": 2, "parallelism": "images"}"#
        let decoded = try JSONDecoder().decode(Schedule.self, from: Data(old.utf8))
        #expect(decoded == Schedule(vectorBits: 512, rows: 7, vectors: 2, parallelism: .images, algorithm: .direct))
        let twoByTwo =
            #"{"vectorBits": 256, "rows": 4, "vectors": 4, "parallelism": "images", "algorithm": "winograd"}"#
        #expect(
            try JSONDecoder().decode(Schedule.self, from: Data(twoByTwo.utf8))
                == Schedule(vectorBits: 256, rows: 4, vectors: 4, algorithm: .winograd2x2))
        for algorithm in [Schedule.Algorithm.winograd2x2, .winograd4x4] {
            let winograd = Schedule(vectorBits: 256, rows: 4, vectors: 4, algorithm: algorithm)
            #expect(try JSONDecoder().decode(Schedule.self, from: JSONEncoder().encode(winograd)) == winograd)
        }
        #expect(!decoded.streamsOutput)
        let streaming = Schedule(vectorBits: 256, rows: 4, vectors: 2, streamsOutput: true)
        #expect(try JSONDecoder().decode(Schedule.self, from: JSONEncoder().encode(streaming)) == streaming)
    }
}

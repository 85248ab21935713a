import NetcGraph
import NetcInterpreter
import Testing

@testable import NetcRuntime

/// The BatchNorm statistics recomputed for averaged weights follow PyTorch's `update_bn`: the running mean and
/// variance are the means over the batches of each batch's mean and unbiased variance, and `num_batches_tracked`
/// counts the batches.
@Suite struct AveragedModelStatisticsTests {
    /// BatchNorm straight on 2×2 one-channel images, so its batch statistics are those of the pixels.
    static let spec = NetworkSpec(
        name: "input-norm", input: ImageShape(channels: 1, height: 2, width: 2), classes: 2,
        layers: [
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)), LayerSpec(.flatten),
            LayerSpec(.linear(outFeatures: 2, bias: true)),
        ])

    /// Batch 1 holds the pixels 0...7: mean 3.5, Σ(x − 3.5)² = 42, unbiased variance 42/7 = 6. Batch 2 holds eight
    /// ones: mean 1, variance 0. So running_mean = (3.5 + 1)/2 = 2.25, running_var = (6 + 0)/2 = 3, 2 batches.
    @Test func statisticsAreTheMeanOverBatchesOfEachBatchsOwn() throws {
        let model = try NetworkModel(Self.spec, batchSize: 2, mode: .training)
        let statistics = try AveragedModelStatistics(
            pass: model.batchStatisticsPass(), backend: Interpreter(precision: .float64))
        let images = [Array(0..<8).map(Double.init), Array(repeating: 1.0, count: 8)].map {
            [InputKind.images: Tensor(.float(2, 1, 2, 2), $0)]
        }
        let parameters = [("0.weight", Tensor(.float(1), [2])), ("0.bias", Tensor(.float(1), [-1]))]
        let result = try statistics.statistics(parameters: parameters, batches: images)
        #expect(result["0.running_mean"]?.scalars == [2.25])
        #expect(result["0.running_var"]?.scalars == [3])
        #expect(result["0.num_batches_tracked"] == .scalar(2, .int64))
        #expect(result.count == 3)
    }
}

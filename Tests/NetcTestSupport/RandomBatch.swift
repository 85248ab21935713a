import NetcGraph

/// A training batch for `network`: `batchSize` images uniform in [−1, 1) (exact in float32, the same for every
/// network of the same input size) and labels cycling through the classes.
public func randomBatch(
    _ batchSize: Int, for network: NetworkSpec, step: Int = 1, learningRate: Double = 1e-2
) -> [InputKind: Tensor] {
    let generator = Philox(seed: 2025)
    let input = network.input
    let count = batchSize * input.channels * input.height * input.width
    let images = (0..<count).map {
        Double(Float(2 * generator.uniform(stream: 0x7000 + 101, step: 0, index: UInt32($0)) - 1))
    }
    return [
        .images: Tensor(.float(batchSize, input.channels, input.height, input.width), images),
        .labels: Tensor(TensorType(.int32, [batchSize]), (0..<batchSize).map { Double($0 % network.classes) }),
        .learningRate: .scalar(learningRate),
        .step: .scalar(Double(step), .int64),
        .seed: .scalar(1, .int64),
    ]
}

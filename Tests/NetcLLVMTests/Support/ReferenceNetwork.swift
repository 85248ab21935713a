import NetcGraph

/// The reference network of `Examples/mnist-cnn.swift-dsl` (140,778 parameters), built in code so these tests do
/// not depend on the front end.
enum ReferenceNetwork {
    /// Conv-ReLU-BatchNorm blocks (the first two with a second, stride-2 convolution), each ending in 2×2
    /// max-pooling and dropout 0.25, then a linear classifier.
    static let spec = NetworkSpec(
        name: "MnistCNN", input: ImageShape(channels: 1, height: 28, width: 28), classes: 10,
        layers: [
            block("conv1", channels: 32, downsampling: true),
            block("conv2", channels: 64, downsampling: true),
            block("conv3", channels: 128, downsampling: false),
            LayerSpec(.flatten),
            LayerSpec(.sequential(name: "fc", layers: [LayerSpec(.linear(outFeatures: 10, bias: true))])),
        ])

    private static func block(_ name: String, channels: Int, downsampling: Bool) -> LayerSpec {
        func convolution(stride: Int) -> [LayerSpec] {
            [
                LayerSpec(.conv2D(outChannels: channels, kernel: 3, stride: stride, padding: 1, bias: true)),
                LayerSpec(.relu), LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
            ]
        }
        let convolutions = convolution(stride: 1) + (downsampling ? convolution(stride: 2) : [])
        let tail = [LayerSpec(.maxPool(size: 2, stride: 2)), LayerSpec(.dropout(probability: 0.25))]
        return LayerSpec(.sequential(name: name, layers: convolutions + tail))
    }

    /// A batch of `batchSize` random images (uniform in [−1, 1)) and labels cycling through the classes.
    static func batch(_ batchSize: Int, step: Int = 1, learningRate: Double = 1e-3) -> [InputKind: Tensor] {
        [
            .images: Tensor(.float(batchSize, 1, 28, 28), RandomValues.uniform(count: batchSize * 784, stream: 100)),
            .labels: Tensor(TensorType(.int32, [batchSize]), (0..<batchSize).map { Double($0 % 10) }),
            .learningRate: .scalar(learningRate),
            .step: .scalar(Double(step), .int64),
            .seed: .scalar(1, .int64),
        ]
    }
}

/// Seeded test values from the counter-based generator.
enum RandomValues {
    /// `count` numbers uniform in [−1, 1), rounded to float, different for each `stream`.
    static func uniform(count: Int, stream: UInt32, seed: UInt64 = 2024) -> [Double] {
        let generator = Philox(seed: seed)
        return (0..<count).map {
            Double(Float(2 * generator.uniform(stream: 0x7000 + stream, step: 0, index: UInt32($0)) - 1))
        }
    }
}

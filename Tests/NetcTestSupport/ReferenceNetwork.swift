import NetcGraph

/// The reference network of `Examples/mnist-cnn.swift-dsl` (140,778 parameters), built in code so tests of the
/// layers below the front end do not depend on it.
public enum ReferenceNetwork {
    /// Conv-ReLU-BatchNorm blocks (the first two with a second, stride-2 convolution), each ending in 2×2
    /// max-pooling and dropout 0.25, then a linear classifier.
    public static let spec = NetworkSpec(
        name: "mnist-cnn", input: ImageShape(channels: 1, height: 28, width: 28), classes: 10,
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

    /// A batch of `batchSize` images uniform in [−1, 1) (exact in float32) and labels cycling through the classes,
    /// with the given step and learning rate and seed 1.
    public static func batch(_ batchSize: Int, step: Int = 1, learningRate: Double = 1e-3) -> [InputKind: Tensor] {
        let generator = Philox(seed: 2024)
        let images = (0..<batchSize * 784).map {
            Double(Float(2 * generator.uniform(stream: 0x7000 + 100, step: 0, index: UInt32($0)) - 1))
        }
        return [
            .images: Tensor(.float(batchSize, 1, 28, 28), images),
            .labels: Tensor(TensorType(.int32, [batchSize]), (0..<batchSize).map { Double($0 % 10) }),
            .learningRate: .scalar(learningRate),
            .step: .scalar(Double(step), .int64),
            .seed: .scalar(1, .int64),
        ]
    }
}

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
}

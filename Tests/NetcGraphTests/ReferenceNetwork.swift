import NetcGraph

/// The reference network of `Examples/mnist-cnn.swift-dsl`, built in code so graph tests do not depend on the
/// front end.
enum ReferenceNetwork {
    static func block(_ name: String, _ channels: Int, pairs: Int) -> LayerSpec {
        var layers: [LayerSpec] = []
        for pair in 0..<pairs {
            layers += [
                LayerSpec(.conv2D(outChannels: channels, kernel: 3, stride: 1, padding: 1, bias: true)),
                LayerSpec(.relu), LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
            ]
            if pair == 0 && pairs == 2 {
                layers += [
                    LayerSpec(.conv2D(outChannels: channels, kernel: 3, stride: 2, padding: 1, bias: true)),
                    LayerSpec(.relu), LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
                ]
                break
            }
        }
        layers += [LayerSpec(.maxPool(size: 2, stride: 2)), LayerSpec(.dropout(probability: 0.25))]
        return LayerSpec(.sequential(name: name, layers: layers))
    }

    static let spec = NetworkSpec(
        name: "mnist-cnn", input: ImageShape(channels: 1, height: 28, width: 28), classes: 10,
        layers: [
            block("conv1", 32, pairs: 2), block("conv2", 64, pairs: 2), block("conv3", 128, pairs: 1),
            LayerSpec(.flatten),
            LayerSpec(.sequential(name: "fc", layers: [LayerSpec(.linear(outFeatures: 10, bias: true))])),
        ])
}

import NetcGraph

/// A small network that is a DAG and uses every layer the general-networks work added, built in code so the
/// tests below the front end can share it: a residual block with an identity shortcut, one with a projection
/// shortcut and a dilated depthwise convolution, a concatenation of four branches (one of them empty, so the
/// block's input is read twice by the join), padded pooling, each activation, global average pooling and
/// BatchNorm after a Linear layer. No bias feeds a BatchNorm through linear layers alone (its true gradient would
/// be 0, and Adam moves such a parameter by ±lr on rounding noise), so every parameter is determined.
public enum GeneralNetwork {
    /// Input 2×9×10, 3 classes, about 1,500 parameters.
    public static let spec = NetworkSpec(
        name: "general", input: ImageShape(channels: 2, height: 9, width: 10), classes: 3,
        layers: [
            LayerSpec(.conv2D(outChannels: 4, kernel: 3, stride: 1, padding: 1, bias: false)),
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
            LayerSpec(.relu),
            LayerSpec(
                .residual(
                    name: "res1",
                    body: [
                        LayerSpec(.conv2D(outChannels: 4, kernel: 3, stride: 1, padding: 1, bias: false)),
                        LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
                        LayerSpec(.activation(.gelu)),
                        LayerSpec(.conv2D(outChannels: 4, kernel: 3, stride: 1, padding: 1, bias: true)),
                    ],
                    shortcut: [])),
            LayerSpec(.activation(.leakyReLU(slope: 0.1))),
            LayerSpec(
                .residual(
                    name: "res2",
                    body: [
                        LayerSpec(.conv2D(outChannels: 8, kernel: 3, stride: 2, padding: 1, bias: false)),
                        LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
                        LayerSpec(.activation(.silu)),
                        LayerSpec(
                            .conv2D(
                                outChannels: 8, kernel: 3, stride: 1, padding: 2, dilation: 2, groups: 8, bias: false)),
                        LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
                    ],
                    shortcut: [
                        LayerSpec(.conv2D(outChannels: 8, kernel: 1, stride: 2, padding: 0, bias: false)),
                        LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
                    ])),
            LayerSpec(.relu),
            LayerSpec(
                .concat(
                    name: "mix",
                    branches: [
                        [LayerSpec(.conv2D(outChannels: 3, kernel: 1, stride: 1, padding: 0, bias: false))],
                        [
                            LayerSpec(.conv2D(outChannels: 2, kernel: 3, stride: 1, padding: 1, groups: 2, bias: true)),
                            LayerSpec(.activation(.tanh)),
                        ],
                        [
                            LayerSpec(.maxPool(size: 3, stride: 1, padding: 1)),
                            LayerSpec(.conv2D(outChannels: 2, kernel: 1, stride: 1, padding: 0, bias: true)),
                            LayerSpec(.activation(.sigmoid)),
                        ],
                        [],
                    ])),
            LayerSpec(.avgPool(size: 2, stride: 2, padding: 1)),
            LayerSpec(.globalAvgPool),
            LayerSpec(.flatten),
            LayerSpec(.linear(outFeatures: 6, bias: false)),
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)),
            LayerSpec(.relu),
            LayerSpec(.linear(outFeatures: 3, bias: true)),
        ])

    /// A batch of `batchSize` random images for this network (see `randomBatch`).
    public static func batch(_ batchSize: Int, step: Int = 1, learningRate: Double = 1e-2) -> [InputKind: Tensor] {
        randomBatch(batchSize, for: spec, step: step, learningRate: learningRate)
    }
}

import NetcGraph

/// A small network drawn from a seed, to check every op forward and backward against the interpreter on shapes
/// nobody chose by hand.
///
/// One `Sequential("block")`: a convolution (kernel 1–5, stride 1–3, padding 0–2, with or without bias),
/// ReLU and BatchNorm each often, half the time a second convolution of up to 20 channels, max or average
/// pooling of size 1–3 and stride 1–3 (half the time tiling its input when it can), dropout of probability
/// 0.1–0.7, then Flatten, half the time a hidden Linear layer with ReLU, BatchNorm on [N, C] and dropout of its
/// own, and a Linear classifier of 3 classes. Images are odd-sized and wider than tall, with 1–3 channels; the
/// batch is 2–5 seven times in eight (the compiled code splits a batch over threads by image) and 1 otherwise;
/// the optimizer is Adam (with or without weight decay) or SGD with momentum.
struct RandomNetwork {
    let spec: NetworkSpec
    /// The layers of the block, in order.
    let layers: [LayerKind]
    let batchSize: Int
    let optimizer: Optimizer
    /// The parameters whose true gradient is zero: the bias of a convolution or Linear layer that feeds
    /// BatchNorm directly (BatchNorm subtracts the batch mean, which cancels any bias). Their float32 gradients
    /// are rounding noise, so these are the only parameters whose updates a comparison may excuse.
    let zeroGradientParameters: Set<String>
    /// Whether the pooling's windows cover its input exactly once (size = stride ≥ 2, dividing height and width).
    let poolingTilesItsInput: Bool

    init(seed: UInt64) {
        var draws = Draws(seed: seed)
        batchSize = draws.pick(0...7) == 0 ? 1 : draws.pick(2...5)
        let height = 2 * draws.pick(2...5) + 1
        let shape = ImageShape(channels: draws.pick(1...3), height: height, width: height + 2)
        var layers: [LayerSpec] = []
        var (side, sideWidth) = (height, height + 2)
        func convolution(channels: ClosedRange<Int>, strides: ClosedRange<Int>, bias: Bool) {
            let kernel = draws.pick(1...min(5, side + 4))
            let padding = draws.pick(max(0, (kernel - side + 1) / 2)...min(2, kernel - 1))
            let stride = draws.pick(strides)
            layers.append(
                LayerSpec(
                    .conv2D(
                        outChannels: draws.pick(channels), kernel: kernel, stride: stride, padding: padding,
                        bias: bias)))
            side = (side + 2 * padding - kernel) / stride + 1
            sideWidth = (sideWidth + 2 * padding - kernel) / stride + 1
        }
        convolution(channels: 1...5, strides: 1...3, bias: draws.pick(0...3) > 0)
        if draws.pick(0...3) > 0 { layers.append(LayerSpec(.relu)) }
        if draws.pick(0...2) > 0 { layers.append(LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5))) }
        // The second convolution's input gradient is computed too; up to 20 channels give the compiled loops one
        // to three vectors of channels and tiles with and without a remainder.
        if draws.pick(0...1) > 0 {
            convolution(channels: 1...20, strides: 1...2, bias: draws.pick(0...1) > 0)
            if draws.pick(0...1) > 0 { layers.append(LayerSpec(.relu)) }
        }
        // Half the poolings have windows tiling the input (stride = size ≥ 2 dividing its height and width) when
        // one can, which the compiled code lowers on a path of its own (the maximum's position chosen by
        // conditional moves, rows of several planes at once).
        let tilingSizes = (2...3).filter { side % $0 == 0 && sideWidth % $0 == 0 }
        var tiles = false
        func pooling() -> (size: Int, stride: Int) {
            let tiling = !tilingSizes.isEmpty && draws.pick(0...1) == 0
            let size = tiling ? tilingSizes[draws.pick(0...tilingSizes.count - 1)] : draws.pick(1...min(3, side))
            let stride = tiling ? size : draws.pick(1...3)
            tiles = size == stride && tilingSizes.contains(size)
            return (size, stride)
        }
        switch draws.pick(0...2) {
        case 0:
            let (size, stride) = pooling()
            layers.append(LayerSpec(.maxPool(size: size, stride: stride)))
        case 1:
            let (size, stride) = pooling()
            layers.append(LayerSpec(.avgPool(size: size, stride: stride)))
        default: break
        }
        let dropoutProbabilities = [0.1, 0.25, 0.5, 0.7]
        if draws.pick(0...1) > 0 {
            layers.append(LayerSpec(.dropout(probability: dropoutProbabilities[draws.pick(0...3)])))
        }
        layers.append(LayerSpec(.flatten))
        if draws.pick(0...1) > 0 {
            layers.append(LayerSpec(.linear(outFeatures: draws.pick(2...12), bias: draws.pick(0...2) > 0)))
            if draws.pick(0...1) > 0 { layers.append(LayerSpec(.relu)) }
            if batchSize > 1, draws.pick(0...1) > 0 {
                layers.append(LayerSpec(.batchNorm(momentum: 0.2, epsilon: 1e-3)))
            }
            if draws.pick(0...2) == 0 {
                layers.append(LayerSpec(.dropout(probability: dropoutProbabilities[draws.pick(0...3)])))
            }
        }
        layers.append(LayerSpec(.linear(outFeatures: 3, bias: draws.pick(0...2) > 0)))

        self.layers = layers.map(\.kind)
        poolingTilesItsInput = tiles
        spec = NetworkSpec(
            name: "Random\(seed)", input: shape, classes: 3,
            layers: [LayerSpec(.sequential(name: "block", layers: layers))])
        optimizer =
            draws.pick(0...2) > 0
            ? .adam(AdamAttributes(weightDecay: draws.pick(0...1) > 0 ? 1e-2 : 0))
            : .sgd(SGDAttributes(momentum: 0.9, weightDecay: 1e-3))
        zeroGradientParameters = Set(
            zip(layers.indices, zip(layers, layers.dropFirst())).compactMap { index, pair in
                switch (pair.0.kind, pair.1.kind) {
                case (.conv2D(_, _, _, _, _, _, bias: true), .batchNorm), (.linear(_, bias: true), .batchNorm):
                    "block.\(index).bias"
                default: nil
                }
            })
    }
}

import NetcGraph

/// A small DAG network drawn from a seed, to check every new layer and join against the interpreter on shapes
/// nobody chose by hand.
///
/// A convolution (kernel 1–3, any stride, padding and dilation, grouped or depthwise when the channels allow), maybe
/// BatchNorm, an activation (ReLU, LeakyReLU, Sigmoid, Tanh, GELU or SiLU), then one to three blocks, each a
/// residual block (a size-keeping or downsampling convolution, maybe BatchNorm, an activation and a second
/// convolution, with a 1×1 projection shortcut when the shape changes and sometimes when it does not) or a
/// concatenation of two or three branches (empty, a grouped 3×3 convolution and activation, or a padded stride-1
/// pooling and a 1×1 convolution); maybe padded pooling, maybe global average pooling, Flatten, maybe a hidden
/// Linear layer with BatchNorm on [N, C] and an activation (for batches of 3 and more), and a Linear classifier
/// of 3 classes. The batch is 2–4. No bias feeds a BatchNorm directly, but one may through linear layers only (a 1×1 convolution, average
/// pooling, the hidden Linear layer): such a bias has a true gradient of 0.
struct RandomDAGNetwork {
    let spec: NetworkSpec
    let batchSize: Int
    let optimizer: Optimizer

    /// Draws layers while tracking the shape they produce.
    struct Builder {
        var draws: Draws
        var channels: Int
        var height: Int
        var width: Int

        mutating func pick(_ range: ClosedRange<Int>) -> Int { draws.pick(range) }

        mutating func activation() -> LayerSpec {
            let activations: [LayerKind] = [
                .relu, .activation(.leakyReLU(slope: 0.1)), .activation(.sigmoid), .activation(.tanh),
                .activation(.gelu), .activation(.silu),
            ]
            return LayerSpec(activations[pick(0...activations.count - 1)])
        }

        /// A convolution from the current shape: kernel 1–3, dilation 1–2, groups dividing both channel counts
        /// (depthwise when they allow). With `samePadding` the kernel is 1 or 3 and padded by half its span, so a
        /// stride of 1 keeps the size and a stride of 2 gives what a 1×1 convolution of stride 2 gives; otherwise
        /// stride and padding are drawn too (keeping the output at least 1×1).
        mutating func convolution(
            outChannels: Int, stride: Int = 1, samePadding: Bool, feedsBatchNorm: Bool = false
        ) -> LayerSpec {
            let kernel = samePadding ? 2 * pick(0...1) + 1 : pick(1...3)
            let dilation = kernel > 1 && pick(0...2) == 0 ? 2 : 1
            let span = dilation * (kernel - 1) + 1
            var padding = samePadding ? (span - 1) / 2 : pick(0...(span - 1) / 2 + 1)
            while height + 2 * padding < span || width + 2 * padding < span { padding += 1 }
            let stride = samePadding ? stride : pick(1...2)
            let common = (1...min(channels, outChannels)).filter { channels % $0 == 0 && outChannels % $0 == 0 }
            let groups = pick(0...2) == 0 ? common.last ?? 1 : common[pick(0...common.count - 1)]
            let conv = ConvolutionAttributes(
                kernel: kernel, stride: stride, padding: padding, dilation: dilation, groups: groups)
            (channels, height, width) = (outChannels, conv.outputLength(height), conv.outputLength(width))
            return LayerSpec(
                .conv2D(
                    outChannels: outChannels, kernel: kernel, stride: stride, padding: padding, dilation: dilation,
                    groups: groups, bias: !feedsBatchNorm && pick(0...1) == 0))
        }

        /// A pooling of size 2–3 with padding up to half of it and stride 1–2, or nothing when it does not fit.
        mutating func pooling() -> LayerSpec? {
            let size = pick(2...3)
            let padding = pick(0...size / 2)
            let pool = PoolAttributes(size: size, stride: pick(1...2), padding: padding)
            guard height + 2 * padding >= size && width + 2 * padding >= size else { return nil }
            (height, width) = (pool.outputLength(height), pool.outputLength(width))
            return LayerSpec(
                pick(0...1) == 0
                    ? .maxPool(size: size, stride: pool.stride, padding: padding)
                    : .avgPool(size: size, stride: pool.stride, padding: padding))
        }

        mutating func batchNorm() -> LayerSpec { LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)) }

        /// body(x) + shortcut(x): a convolution (which may downsample), maybe BatchNorm, an activation and maybe a
        /// second convolution, with a 1×1 projection shortcut (maybe with BatchNorm) when the shape changes, and
        /// sometimes when it does not.
        mutating func residual(_ name: String) -> LayerSpec {
            let (inChannels, inHeight, inWidth) = (channels, height, width)
            let outChannels = pick(0...1) == 0 ? inChannels : pick(1...6)
            let stride = min(height, width) >= 3 && pick(0...1) == 0 ? 2 : 1
            let normalized = pick(0...1) == 0
            var body = [
                convolution(outChannels: outChannels, stride: stride, samePadding: true, feedsBatchNorm: normalized)
            ]
            if normalized { body.append(batchNorm()) }
            body.append(activation())
            if pick(0...1) == 0 { body.append(convolution(outChannels: outChannels, samePadding: true)) }
            var shortcut: [LayerSpec] = []
            if (channels, height, width) != (inChannels, inHeight, inWidth) || pick(0...2) == 0 {
                let bias = pick(0...1) == 0
                shortcut = [
                    LayerSpec(.conv2D(outChannels: outChannels, kernel: 1, stride: stride, padding: 0, bias: bias))
                ]
                if pick(0...1) == 0 { shortcut.append(batchNorm()) }
            }
            return LayerSpec(.residual(name: name, body: body, shortcut: shortcut))
        }

        /// Two or three branches that keep the height and width: empty, a convolution, or a stride-1 padded
        /// pooling followed by a 1×1 convolution.
        mutating func concat(_ name: String) -> LayerSpec {
            let (inChannels, inHeight, inWidth) = (channels, height, width)
            var branches: [[LayerSpec]] = []
            var total = 0
            for _ in 0..<pick(2...3) {
                (channels, height, width) = (inChannels, inHeight, inWidth)
                switch pick(0...2) {
                case 0:
                    branches.append([])
                case 1:
                    let outChannels = pick(1...4)
                    let conv = ConvolutionAttributes(
                        kernel: 3, padding: 1, groups: inChannels % outChannels == 0 ? outChannels : 1)
                    branches.append([
                        LayerSpec(
                            .conv2D(
                                outChannels: outChannels, kernel: 3, stride: 1, padding: 1, groups: conv.groups,
                                bias: true)),
                        activation(),
                    ])
                    channels = outChannels
                default:
                    let pool: LayerKind =
                        pick(0...1) == 0
                        ? .maxPool(size: 3, stride: 1, padding: 1) : .avgPool(size: 3, stride: 1, padding: 1)
                    let outChannels = pick(1...3)
                    branches.append([
                        LayerSpec(pool),
                        LayerSpec(.conv2D(outChannels: outChannels, kernel: 1, stride: 1, padding: 0, bias: true)),
                    ])
                    channels = outChannels
                }
                total += channels
            }
            (channels, height, width) = (total, inHeight, inWidth)
            return LayerSpec(.concat(name: name, branches: branches))
        }
    }

    init(seed: UInt64) {
        var draws = Draws(seed: seed)
        let inChannels = draws.pick(1...3)
        let (height, width) = (draws.pick(5...10), draws.pick(5...10))
        var builder = Builder(draws: draws, channels: inChannels, height: height, width: width)
        let normalized = builder.pick(0...1) == 0
        var layers = [
            builder.convolution(outChannels: builder.pick(2...6), samePadding: false, feedsBatchNorm: normalized)
        ]
        if normalized { layers.append(builder.batchNorm()) }
        layers.append(builder.activation())
        for block in 0..<builder.pick(1...3) {
            layers.append(builder.pick(0...1) == 0 ? builder.residual("res\(block)") : builder.concat("mix\(block)"))
            if builder.pick(0...2) == 0 { layers.append(builder.activation()) }
        }
        if builder.pick(0...1) == 0, let pool = builder.pooling() { layers.append(pool) }
        if builder.pick(0...1) == 0 { layers.append(LayerSpec(.globalAvgPool)) }
        layers.append(LayerSpec(.flatten))
        batchSize = builder.pick(2...4)
        // BatchNorm over two values per channel is degenerate (its output is ±1 whatever the input, so its input
        // gradient is a tiny difference of large terms): the hidden layer needs a batch of 3 or more.
        if batchSize > 2, builder.pick(0...1) == 0 {
            // No bias before BatchNorm: its true gradient is 0, and one step of rounding noise moves it by ±lr.
            layers += [LayerSpec(.linear(outFeatures: builder.pick(2...6), bias: false)), builder.batchNorm()]
            layers.append(builder.activation())
        }
        layers.append(LayerSpec(.linear(outFeatures: 3, bias: builder.pick(0...1) == 0)))
        spec = NetworkSpec(
            name: "RandomDAG\(seed)", input: ImageShape(channels: inChannels, height: height, width: width), classes: 3,
            layers: layers)
        optimizer =
            builder.pick(0...2) > 0 ? .adam(AdamAttributes()) : .sgd(SGDAttributes(momentum: 0.9, weightDecay: 1e-3))

    }
}

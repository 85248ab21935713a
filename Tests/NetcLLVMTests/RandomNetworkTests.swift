import NetcGraph
import NetcLLVM
import Testing

/// Every op, forward and backward, against the float32 interpreter: small networks drawn from a seeded
/// generator (odd sizes, one or two convolutions with strides 1–2 and paddings 0–2, batch 1 or 3, with and
/// without bias, BatchNorm, pooling and dropout), two training steps with every gradient exposed, compared at
/// `netc check`'s tolerance.
@Suite struct RandomNetworkTests {
    /// A seeded source of small integers.
    struct Draws {
        let generator: Philox
        var index: UInt32 = 0

        init(seed: UInt64) { generator = Philox(seed: seed) }

        mutating func pick(_ range: ClosedRange<Int>) -> Int {
            defer { index += 1 }
            let word = Int(generator.word(stream: 0x7200, step: 0, index: index))
            return range.lowerBound + word % range.count
        }
    }

    static func network(seed: UInt64) -> (spec: NetworkSpec, batchSize: Int, optimizer: Optimizer) {
        var draws = Draws(seed: seed)
        let side = 2 * draws.pick(2...5) + 1
        let kernel = draws.pick(1...3)
        let (stride, padding) = (draws.pick(1...2), draws.pick(0...min(2, kernel - 1 + 1)))
        var layers = [
            LayerSpec(
                .conv2D(
                    outChannels: draws.pick(1...5), kernel: kernel, stride: stride, padding: padding,
                    bias: draws.pick(0...3) > 0))
        ]
        if draws.pick(0...3) > 0 { layers.append(LayerSpec(.relu)) }
        if draws.pick(0...2) > 0 { layers.append(LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5))) }
        // Half the networks have a second convolution, whose input gradient is computed too; up to 20 channels
        // give the compiled loops one to three vectors of channels and tiles with and without a remainder.
        var height = (side + 2 * padding - kernel) / stride + 1
        if draws.pick(0...1) > 0 {
            let kernel = draws.pick(1...3)
            let (stride, padding) = (draws.pick(1...2), draws.pick((kernel - 1) / 2...min(2, kernel)))
            layers.append(
                LayerSpec(
                    .conv2D(
                        outChannels: draws.pick(1...20), kernel: kernel, stride: stride, padding: padding,
                        bias: draws.pick(0...1) > 0)))
            height = (height + 2 * padding - kernel) / stride + 1
            if draws.pick(0...1) > 0 { layers.append(LayerSpec(.relu)) }
        }
        switch height >= 2 ? draws.pick(0...2) : 2 {
        case 0: layers.append(LayerSpec(.maxPool(size: 2, stride: draws.pick(1...2))))
        case 1: layers.append(LayerSpec(.avgPool(size: 2, stride: draws.pick(1...2))))
        default: break
        }
        if draws.pick(0...1) > 0 { layers.append(LayerSpec(.dropout(probability: 0.3))) }
        layers += [LayerSpec(.flatten), LayerSpec(.linear(outFeatures: 3, bias: draws.pick(0...2) > 0))]
        let spec = NetworkSpec(
            name: "Random\(seed)", input: ImageShape(channels: draws.pick(1...3), height: side, width: side + 2),
            classes: 3, layers: [LayerSpec(.sequential(name: "block", layers: layers))])
        let optimizer: Optimizer =
            draws.pick(0...2) > 0
            ? .adam(AdamAttributes(weightDecay: draws.pick(0...1) > 0 ? 1e-2 : 0))
            : .sgd(SGDAttributes(momentum: 0.9, weightDecay: 1e-3))
        return (spec, draws.pick(0...1) == 0 ? 1 : 3, optimizer)
    }

    static func inputs(for model: NetworkModel) -> [InputKind: Tensor] {
        let imageType = model.graph.type(of: model.graph.input(.images) ?? ValueID(0))
        return [
            .images: Tensor(imageType, RandomValues.uniform(count: imageType.elementCount, stream: 5)),
            .labels: Tensor(TensorType(.int32, [model.batchSize]), (0..<model.batchSize).map { Double($0 % 3) }),
            .learningRate: .scalar(0.01),
            .step: .scalar(3, .int64),
            .seed: .scalar(11, .int64),
        ]
    }

    @Test(arguments: 0..<24 as Range<UInt64>)
    func trainingStepMatchesInterpreter(seed: UInt64) throws {
        let drawn = Self.network(seed: seed)
        let model = try NetworkModel(drawn.spec, batchSize: drawn.batchSize, mode: .training)
        let graph = model.trainingStep(optimizer: drawn.optimizer, exposingGradients: true)
        let failures = try BackendAgreement.failures(
            of: graph, inputs: Self.inputs(for: model), runs: 2,
            options: CompilationOptions(reusesMemory: seed % 2 == 0, threads: 1 + Int(seed % 3)),
            stepBound: BackendAgreement.adamStepBound(learningRate: 0.01))
        #expect(failures.isEmpty, "\(drawn.spec.layers) batch \(drawn.batchSize): \(failures)")
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func inferenceMatchesInterpreter(seed: UInt64) throws {
        let drawn = Self.network(seed: seed)
        let model = try NetworkModel(drawn.spec, batchSize: drawn.batchSize, mode: .inference)
        let failures = try BackendAgreement.failures(
            of: model.graph, inputs: [.images: Self.inputs(for: model)[.images]!])
        #expect(failures.isEmpty, "\(drawn.spec.layers): \(failures)")
    }
}

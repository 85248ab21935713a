extension Op {
    /// The op's attributes as printed in graph text and DOT labels, e.g. `kernel 3, stride 2, padding 1`;
    /// empty when it has none.
    public var attributeText: String {
        switch self {
        case .input(let kind): kind.rawValue
        case .parameter(let initializer), .state(let initializer): initializer.text
        case .constant(let value): "\(value)"
        case .conv2D(let conv), .conv2DBackwardInput(let conv), .conv2DBackwardWeight(let conv):
            "kernel \(conv.kernel), stride \(conv.stride), padding \(conv.padding)"
                + (conv.dilation != 1 ? ", dilation \(conv.dilation)" : "")
                + (conv.groups != 1 ? ", groups \(conv.groups)" : "")
        case .maxPool(let pool), .avgPool(let pool), .maxPoolBackward(let pool), .avgPoolBackward(let pool):
            "size \(pool.size), stride \(pool.stride)" + (pool.padding != 0 ? ", padding \(pool.padding)" : "")
        case .activation(let activation), .activationBackward(let activation): activation.text
        case .channelSlice(let start, let count): "channels \(start)..<\(start + count)"
        case .dropout(let dropout), .dropoutBackward(let dropout):
            "p \(dropout.probability), stream \(dropout.stream)"
        case .batchNormTraining(let epsilon), .batchNormInference(let epsilon),
            .batchNormTrainingBackward(let epsilon), .batchNormScaleGradient(let epsilon):
            "epsilon \(epsilon)"
        case .movingAverage(let momentum, let row, let scale): "momentum \(momentum), row \(row), scale \(scale)"
        case .adamFirstMoment(let adam), .adamSecondMoment(let adam), .adamUpdate(let adam):
            "betas \(adam.beta1)/\(adam.beta2), epsilon \(adam.epsilon), "
                + (adam.decoupledWeightDecay ? "decoupled " : "") + "weight decay \(adam.weightDecay)"
        case .softmaxCrossEntropy(let smoothing), .softmaxCrossEntropyBackward(let smoothing):
            smoothing == 0 ? "" : "label smoothing \(smoothing)"
        case .exponentialMovingAverage(let decay): "decay \(decay)"
        case .sgdMomentum(let sgd): "momentum \(sgd.momentum), weight decay \(sgd.weightDecay)"
        case .linear, .relu, .globalAvgPool, .concat, .reshape, .batchMoments, .increment, .reluBackward,
            .linearBackwardInput, .linearBackwardWeight, .sumToChannels, .globalAvgPoolBackward, .add, .sgdUpdate:
            ""
        }
    }
}

extension Initializer {
    /// `uniform(±0.333)` or `constant(1.0)`.
    var text: String {
        switch self {
        case .uniform(let bound): "uniform(±\((bound * 1000).rounded() / 1000))"
        case .constant(let value): "constant(\(value))"
        }
    }
}

extension Activation {
    /// `leakyReLU 0.01`, `gelu`, ...
    var text: String {
        switch self {
        case .leakyReLU(let slope): "leakyReLU \(slope)"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .gelu: "gelu"
        case .silu: "silu"
        }
    }
}

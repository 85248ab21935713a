extension Op {
    /// The type of the op's result for inputs of the given types.
    ///
    /// Ops whose result shape is not a function of their inputs (sources, `reshape`, backward ops producing an
    /// input-shaped gradient) must be added with an explicit type; asking them here is a compiler bug.
    public func resultType(for inputs: [TensorType]) -> TensorType {
        switch self {
        case .conv2D(let conv):
            let (x, w) = (inputs[0].shape, inputs[1].shape)
            return .float(x[0], w[0], conv.outputLength(x[2]), conv.outputLength(x[3]))
        case .linear:
            return .float(inputs[0].shape[0], inputs[1].shape[0])
        case .maxPool(let pool), .avgPool(let pool):
            let x = inputs[0].shape
            return .float(x[0], x[1], pool.outputLength(x[2]), pool.outputLength(x[3]))
        case .globalAvgPool:
            let x = inputs[0].shape
            return .float(x[0], x[1], 1, 1)
        case .concat:
            var shape = inputs[0].shape
            shape[1] = inputs.reduce(0) { $0 + $1.shape[1] }
            return TensorType(.float32, shape)
        case .channelSlice(_, let count):
            var shape = inputs[0].shape
            shape[1] = count
            return TensorType(.float32, shape)
        case .batchMoments:
            return .float(2, inputs[0].shape[1])
        case .softmaxCrossEntropy:
            return .scalar(.float32)
        case .movingAverage:
            return inputs[0]
        case .sumToChannels:
            return .float(inputs[0].shape[1])
        case .conv2DBackwardWeight(let conv):
            let (x, dy) = (inputs[0].shape, inputs[1].shape)
            return .float(dy[1], x[1] / conv.groups, conv.kernel, conv.kernel)
        case .linearBackwardWeight:
            return .float(inputs[1].shape[1], inputs[0].shape[1])
        case .linearBackwardInput:
            return .float(inputs[0].shape[0], inputs[1].shape[1])
        case .batchNormScaleGradient:
            return .float(inputs[0].shape[1])
        case .relu, .activation, .activationBackward, .dropout, .batchNormTraining, .batchNormInference, .increment,
            .reluBackward,
            .maxPoolBackward, .dropoutBackward, .batchNormTrainingBackward, .softmaxCrossEntropyBackward, .add,
            .adamFirstMoment, .adamSecondMoment, .adamUpdate, .sgdMomentum, .sgdUpdate, .exponentialMovingAverage:
            return inputs[0]
        case .input, .parameter, .state, .constant, .reshape, .conv2DBackwardInput, .avgPoolBackward,
            .globalAvgPoolBackward:
            preconditionFailure("\(mnemonic) needs an explicit result type")
        }
    }
}

import NetcGraph

/// What fusion needs to know about each op: which inputs it reads element by element, and how often it reads
/// each element of an input (so a producer can be recomputed there instead of stored).
///
/// Each fact is one exhaustive switch: a new op makes the compiler ask for its answer here.
extension Op {
    /// True for ops computing each output element from the same element of some inputs (plus per-channel or
    /// scalar operands): the ops that fuse into loops of other kernels.
    var isElementwise: Bool {
        switch self {
        case .relu, .activation, .add, .reluBackward, .activationBackward, .dropout, .dropoutBackward,
            .batchNormTraining, .batchNormInference, .movingAverage, .increment, .adamFirstMoment, .adamSecondMoment,
            .adamUpdate, .sgdMomentum, .sgdUpdate, .exponentialMovingAverage:
            true
        case .input, .parameter, .state, .constant, .conv2D, .linear, .maxPool, .avgPool, .globalAvgPool, .concat,
            .reshape, .batchMoments, .softmaxCrossEntropy, .conv2DBackwardInput, .conv2DBackwardWeight,
            .linearBackwardInput, .linearBackwardWeight, .sumToChannels, .maxPoolBackward, .avgPoolBackward,
            .globalAvgPoolBackward, .channelSlice, .batchNormTrainingBackward, .batchNormScaleGradient,
            .softmaxCrossEntropyBackward:
            false
        }
    }

    /// True for optimizer ops: fused per parameter, or into one loop over the flat parameter arena.
    var isOptimizerStep: Bool {
        switch self {
        case .adamFirstMoment, .adamSecondMoment, .adamUpdate, .sgdMomentum, .sgdUpdate, .exponentialMovingAverage:
            true
        case .input, .parameter, .state, .constant, .conv2D, .linear, .relu, .activation, .maxPool, .avgPool,
            .globalAvgPool, .concat, .dropout, .reshape, .batchMoments, .batchNormTraining, .batchNormInference,
            .softmaxCrossEntropy, .movingAverage, .increment, .reluBackward, .activationBackward,
            .conv2DBackwardInput, .conv2DBackwardWeight, .linearBackwardInput, .linearBackwardWeight, .sumToChannels,
            .maxPoolBackward, .avgPoolBackward, .globalAvgPoolBackward, .channelSlice, .dropoutBackward,
            .batchNormTrainingBackward, .batchNormScaleGradient, .softmaxCrossEntropyBackward, .add:
            false
        }
    }

    /// True for elementwise ops that may run as the epilogue of the kernel producing their input
    /// (state updates are never epilogues: they are written in place).
    var isEpilogue: Bool {
        switch self {
        case .relu, .activation, .add, .reluBackward, .activationBackward, .dropout, .dropoutBackward,
            .batchNormTraining, .batchNormInference:
            true
        case .input, .parameter, .state, .constant, .conv2D, .linear, .maxPool, .avgPool, .globalAvgPool, .concat,
            .reshape, .batchMoments, .softmaxCrossEntropy, .movingAverage, .increment, .conv2DBackwardInput,
            .conv2DBackwardWeight, .linearBackwardInput, .linearBackwardWeight, .sumToChannels, .maxPoolBackward,
            .avgPoolBackward, .globalAvgPoolBackward, .channelSlice, .batchNormTrainingBackward,
            .batchNormScaleGradient, .softmaxCrossEntropyBackward, .adamFirstMoment, .adamSecondMoment, .adamUpdate,
            .sgdMomentum, .sgdUpdate, .exponentialMovingAverage:
            false
        }
    }

    /// True for elementwise ops cheap enough to recompute in every consumer (not the 10-round Philox draw, nor
    /// an activation calling `exp`, `tanh` or `erf`).
    var isCheapToRecompute: Bool {
        switch self {
        case .relu, .add, .reluBackward, .batchNormTraining, .batchNormInference: true
        case .activation(let activation), .activationBackward(let activation): activation.isPiecewiseLinear
        case .input, .parameter, .state, .constant, .conv2D, .linear, .maxPool, .avgPool, .globalAvgPool, .concat,
            .dropout, .reshape, .batchMoments, .softmaxCrossEntropy, .movingAverage, .increment,
            .conv2DBackwardInput, .conv2DBackwardWeight, .linearBackwardInput, .linearBackwardWeight, .sumToChannels,
            .maxPoolBackward, .avgPoolBackward, .globalAvgPoolBackward, .channelSlice, .dropoutBackward,
            .batchNormTrainingBackward, .batchNormScaleGradient, .softmaxCrossEntropyBackward, .adamFirstMoment,
            .adamSecondMoment, .adamUpdate, .sgdMomentum, .sgdUpdate, .exponentialMovingAverage:
            false
        }
    }

    /// The inputs read at the output element's own index (the others are per-channel or scalar operands).
    var elementwiseOperands: [Int] {
        switch self {
        case .relu, .activation, .dropout, .dropoutBackward, .batchNormTraining, .batchNormInference, .movingAverage,
            .increment:
            [0]
        case .add, .reluBackward, .activationBackward, .sgdUpdate, .exponentialMovingAverage: [0, 1]
        case .adamFirstMoment, .adamSecondMoment, .adamUpdate, .sgdMomentum: [0, 1, 2]
        case .input, .parameter, .state, .constant, .conv2D, .linear, .maxPool, .avgPool, .globalAvgPool, .concat,
            .reshape, .batchMoments, .softmaxCrossEntropy, .conv2DBackwardInput, .conv2DBackwardWeight,
            .linearBackwardInput, .linearBackwardWeight, .sumToChannels, .maxPoolBackward, .avgPoolBackward,
            .globalAvgPoolBackward, .channelSlice, .batchNormTrainingBackward, .batchNormScaleGradient,
            .softmaxCrossEntropyBackward:
            []
        }
    }

    /// How many times the op reads each element of input `position` when that input may be computed on the fly;
    /// nil when it must be stored (convolutions and matrix products read each element many times).
    func readsPerElement(ofInput position: Int) -> Int? {
        switch self {
        case .relu, .activation, .add, .reluBackward, .activationBackward, .dropout, .dropoutBackward,
            .batchNormTraining, .batchNormInference, .movingAverage, .increment, .adamFirstMoment, .adamSecondMoment,
            .adamUpdate, .sgdMomentum, .sgdUpdate, .exponentialMovingAverage:
            elementwiseOperands.contains(position) ? 1 : nil
        case .maxPool(let pool), .avgPool(let pool): position == 0 ? windowsPerElement(pool) : nil
        case .maxPoolBackward(let pool): position == 0 ? 2 * windowsPerElement(pool) : 1
        case .avgPoolBackward, .globalAvgPool, .concat, .channelSlice, .batchMoments, .sumToChannels: 1
        case .batchNormScaleGradient: position == 1 ? nil : 1
        case .batchNormTrainingBackward: position == 0 || position == 3 ? 2 : nil
        case .input, .parameter, .state, .constant, .conv2D, .linear, .reshape, .softmaxCrossEntropy,
            .conv2DBackwardInput, .conv2DBackwardWeight, .linearBackwardInput, .linearBackwardWeight,
            .globalAvgPoolBackward, .softmaxCrossEntropyBackward:
            nil
        }
    }

    /// How many windows of a pooling may cover one input element.
    private func windowsPerElement(_ pool: PoolAttributes) -> Int {
        let perAxis = (pool.size + pool.stride - 1) / pool.stride
        return perAxis * perAxis
    }

    /// True for ops of the forward pass (their kernels' names end in `_fwd`).
    var isForward: Bool {
        switch self {
        case .conv2D, .linear, .relu, .activation, .maxPool, .avgPool, .globalAvgPool, .concat, .dropout, .reshape,
            .batchNormTraining, .batchNormInference, .softmaxCrossEntropy:
            true
        case .input, .parameter, .state, .constant, .batchMoments, .movingAverage, .increment, .reluBackward,
            .activationBackward, .conv2DBackwardInput, .conv2DBackwardWeight, .linearBackwardInput,
            .linearBackwardWeight, .sumToChannels, .maxPoolBackward, .avgPoolBackward, .globalAvgPoolBackward,
            .channelSlice, .dropoutBackward, .batchNormTrainingBackward, .batchNormScaleGradient,
            .softmaxCrossEntropyBackward, .add, .adamFirstMoment, .adamSecondMoment, .adamUpdate, .sgdMomentum,
            .sgdUpdate, .exponentialMovingAverage:
            false
        }
    }
}

extension Activation {
    /// True for activations made of comparisons and multiplications only (no transcendental function).
    var isPiecewiseLinear: Bool {
        switch self {
        case .leakyReLU: true
        case .sigmoid, .tanh, .gelu, .silu: false
        }
    }
}

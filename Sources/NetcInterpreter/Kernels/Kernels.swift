import NetcGraph

/// The executable definition of every non-source op: one function per op, grouped by family in this folder,
/// each taking the input tensors and returning the result's elements in row-major order.
///
/// Sums accumulate in `Double`; the interpreter rounds results to the graph's precision afterwards.
enum Kernels {
    /// The result elements of a node, given its input values in the order `Op` documents.
    static func evaluate(_ node: Node, _ inputs: [Tensor]) -> [Double] {
        switch node.op {
        case .input, .parameter, .state, .constant:
            preconditionFailure("sources are read by the interpreter, not computed")
        case .conv2D(let convolution):
            conv2D(inputs[0], weight: inputs[1], bias: inputs.count > 2 ? inputs[2] : nil, convolution)
        case .linear:
            linear(inputs[0], weight: inputs[1], bias: inputs.count > 2 ? inputs[2] : nil)
        case .relu:
            relu(inputs[0])
        case .activation(let activation):
            self.activation(inputs[0], activation)
        case .maxPool(let pool):
            maxPool(inputs[0], pool)
        case .avgPool(let pool):
            avgPool(inputs[0], pool)
        case .globalAvgPool:
            globalAvgPool(inputs[0])
        case .concat:
            concat(inputs)
        case .dropout(let dropout):
            self.dropout(inputs[0], seed: inputs[1], step: inputs[2], dropout)
        case .reshape:
            inputs[0].scalars
        case .batchMoments:
            batchMoments(inputs[0])
        case .batchNormTraining(let epsilon):
            batchNorm(inputs[0], moments: inputs[1], gamma: inputs[2], beta: inputs[3], epsilon: epsilon)
        case .batchNormInference(let epsilon):
            batchNorm(
                inputs[0], mean: inputs[1].scalars, variance: inputs[2].scalars, gamma: inputs[3], beta: inputs[4],
                epsilon: epsilon)
        case .softmaxCrossEntropy(let smoothing):
            softmaxCrossEntropy(inputs[0], labels: inputs[1], labelSmoothing: smoothing)
        case .movingAverage(let momentum, let row, let scale):
            movingAverage(inputs[0], moments: inputs[1], momentum: momentum, row: row, scale: scale)
        case .increment:
            inputs[0].scalars.map { $0 + 1 }
        case .reluBackward:
            reluBackward(inputs[0], gradient: inputs[1])
        case .activationBackward(let activation):
            activationBackward(inputs[0], gradient: inputs[1], activation)
        case .conv2DBackwardInput(let convolution):
            conv2DBackwardInput(inputs[0], weight: inputs[1], inputShape: node.type.shape, convolution)
        case .conv2DBackwardWeight(let convolution):
            conv2DBackwardWeight(inputs[0], gradient: inputs[1], convolution)
        case .linearBackwardInput:
            linearBackwardInput(inputs[0], weight: inputs[1])
        case .linearBackwardWeight:
            linearBackwardWeight(inputs[0], gradient: inputs[1])
        case .sumToChannels:
            sumToChannels(inputs[0])
        case .maxPoolBackward(let pool):
            maxPoolBackward(inputs[0], gradient: inputs[1], pool)
        case .avgPoolBackward(let pool):
            avgPoolBackward(inputs[0], inputShape: node.type.shape, pool)
        case .globalAvgPoolBackward:
            globalAvgPoolBackward(inputs[0], inputShape: node.type.shape)
        case .channelSlice(let start, let count):
            channelSlice(inputs[0], start: start, count: count)
        case .dropoutBackward(let dropout):
            dropoutBackward(inputs[0], seed: inputs[1], step: inputs[2], dropout)
        case .batchNormTrainingBackward(let epsilon):
            batchNormBackward(inputs[0], moments: inputs[1], gamma: inputs[2], gradient: inputs[3], epsilon: epsilon)
        case .batchNormScaleGradient(let epsilon):
            batchNormScaleGradient(inputs[0], moments: inputs[1], gradient: inputs[2], epsilon: epsilon)
        case .softmaxCrossEntropyBackward(let smoothing):
            softmaxCrossEntropyBackward(
                inputs[0], labels: inputs[1], lossGradient: inputs[2], labelSmoothing: smoothing)
        case .add:
            zip(inputs[0].scalars, inputs[1].scalars).map { $0 + $1 }
        case .adamFirstMoment(let adam):
            adamFirstMoment(inputs[0], gradient: inputs[1], parameter: inputs[2], adam)
        case .adamSecondMoment(let adam):
            adamSecondMoment(inputs[0], gradient: inputs[1], parameter: inputs[2], adam)
        case .adamUpdate(let adam):
            adamUpdate(
                inputs[0], firstMoment: inputs[1], secondMoment: inputs[2], learningRate: inputs[3], step: inputs[4],
                adam)
        case .sgdMomentum(let sgd):
            sgdMomentum(inputs[0], gradient: inputs[1], parameter: inputs[2], sgd)
        case .sgdUpdate:
            sgdUpdate(inputs[0], buffer: inputs[1], learningRate: inputs[2])
        case .exponentialMovingAverage(let decay):
            exponentialMovingAverage(inputs[0], parameter: inputs[1], step: inputs[2], decay: decay)
        }
    }
}

extension Graph {
    /// Floating-point operations of one run, counting a multiply-add as two: convolutions and linear layers
    /// (with bias), and one operation per element for the other arithmetic ops. Sources, reshapes, copies
    /// (concatenation and its gradient) and integer counters cost nothing.
    public var flops: Int {
        values.reduce(0) { $0 + flops(of: $1) }
    }

    /// Floating-point operations of one node; see `flops`.
    public func flops(of value: ValueID) -> Int {
        let node = self[value]
        let resultCount = node.type.elementCount
        switch node.op {
        case .input, .parameter, .state, .constant, .reshape, .increment, .concat, .channelSlice:
            return 0
        case .conv2D(let conv):
            let inChannels = type(of: node.inputs[1]).shape[1]
            let biasCount = node.inputs.count > 2 ? resultCount : 0
            return 2 * resultCount * inChannels * conv.kernel * conv.kernel + biasCount
        case .conv2DBackwardInput(let conv):
            return 2 * type(of: node.inputs[0]).elementCount * type(of: node.inputs[1]).shape[1] * conv.kernel
                * conv.kernel
        case .conv2DBackwardWeight:
            let dy = type(of: node.inputs[1]).shape
            return 2 * resultCount * dy[0] * dy[2] * dy[3]
        case .linear:
            let features = type(of: node.inputs[0]).shape[1]
            return 2 * resultCount * features + (node.inputs.count > 2 ? resultCount : 0)
        case .linearBackwardInput:
            return 2 * resultCount * type(of: node.inputs[0]).shape[1]
        case .linearBackwardWeight:
            return 2 * resultCount * type(of: node.inputs[0]).shape[0]
        case .maxPool(let pool), .avgPool(let pool):
            return resultCount * pool.size * pool.size
        case .relu, .activation, .globalAvgPool, .dropout, .batchMoments, .batchNormTraining, .batchNormInference,
            .softmaxCrossEntropy, .movingAverage, .reluBackward, .activationBackward, .sumToChannels, .maxPoolBackward,
            .avgPoolBackward, .globalAvgPoolBackward, .dropoutBackward, .batchNormTrainingBackward,
            .batchNormScaleGradient, .softmaxCrossEntropyBackward, .add, .adamFirstMoment, .adamSecondMoment,
            .adamUpdate, .sgdMomentum, .sgdUpdate, .exponentialMovingAverage:
            return node.inputs.map { type(of: $0).elementCount }.max() ?? resultCount
        }
    }

    /// The bytes one image takes in the largest value the graph computes (parameters and state aside): what a pass
    /// over a batch keeps in flight per image, the batch being every value's first dimension.
    public var largestActivationBytesPerImage: Int {
        let persistent = Set(parameters + states)
        return values.filter { !persistent.contains($0) }.map { value in
            let type = type(of: value)
            return type.elementCount * type.dtype.byteCount / max(1, type.shape.first ?? 1)
        }.max() ?? 0
    }
}

extension Graph {
    /// Appends the ops that carry `adjoint` (the gradient of the loss with respect to `node`'s result) back to
    /// the inputs marked in `needed`, and returns each input's contribution.
    ///
    /// One case per differentiable op; each backward op's meaning is documented on `Op`. BatchNorm in training
    /// mode owns its batch statistics: its input gradient already accounts for them, so the `moments` input gets
    /// no contribution.
    mutating func appendVectorJacobianProducts(
        of node: Node, adjoint dy: ValueID, needed: [Bool]
    )
        -> [(ValueID, ValueID)]
    {
        let inputs = node.inputs
        let name = node.name
        var contributions: [(ValueID, ValueID)] = []
        func give(_ index: Int, _ gradient: () -> ValueID) {
            if needed[index] { contributions.append((inputs[index], gradient())) }
        }
        func typeOfInput(_ index: Int) -> TensorType { type(of: inputs[index]) }

        switch node.op {
        case .conv2D(let conv):
            give(0) { add(.conv2DBackwardInput(conv), [dy, inputs[1]], type: typeOfInput(0), name: "\(name).dx") }
            give(1) { add(.conv2DBackwardWeight(conv), [inputs[0], dy], name: "\(name).dw") }
            if inputs.count > 2 { give(2) { add(.sumToChannels, [dy], name: "\(name).db") } }
        case .linear:
            give(0) { add(.linearBackwardInput, [dy, inputs[1]], name: "\(name).dx") }
            give(1) { add(.linearBackwardWeight, [inputs[0], dy], name: "\(name).dw") }
            if inputs.count > 2 { give(2) { add(.sumToChannels, [dy], name: "\(name).db") } }
        case .relu:
            give(0) { add(.reluBackward, [inputs[0], dy], name: "\(name).dx") }
        case .activation(let activation):
            give(0) { add(.activationBackward(activation), [inputs[0], dy], name: "\(name).dx") }
        case .maxPool(let pool):
            give(0) { add(.maxPoolBackward(pool), [inputs[0], dy], name: "\(name).dx") }
        case .avgPool(let pool):
            give(0) { add(.avgPoolBackward(pool), [dy], type: typeOfInput(0), name: "\(name).dx") }
        case .globalAvgPool:
            give(0) { add(.globalAvgPoolBackward, [dy], type: typeOfInput(0), name: "\(name).dx") }
        case .concat:
            var start = 0
            for index in inputs.indices {
                let count = typeOfInput(index).shape[1]
                give(index) { add(.channelSlice(start: start, count: count), [dy], name: "\(name).dx\(index)") }
                start += count
            }
        case .dropout(let dropout):
            give(0) { add(.dropoutBackward(dropout), [dy, inputs[1], inputs[2]], name: "\(name).dx") }
        case .reshape:
            give(0) { add(.reshape, [dy], type: typeOfInput(0), name: "\(name).dx") }
        case .batchNormTraining(let epsilon):
            give(0) {
                add(
                    .batchNormTrainingBackward(epsilon: epsilon), [inputs[0], inputs[1], inputs[2], dy],
                    name: "\(name).dx")
            }
            give(2) {
                add(.batchNormScaleGradient(epsilon: epsilon), [inputs[0], inputs[1], dy], name: "\(name).dgamma")
            }
            give(3) { add(.sumToChannels, [dy], name: "\(name).dbeta") }
        case .softmaxCrossEntropy(let smoothing):
            give(0) {
                add(
                    .softmaxCrossEntropyBackward(labelSmoothing: smoothing), [inputs[0], inputs[1], dy],
                    name: "\(name).dlogits")
            }
        case .add:
            give(0) { dy }
            give(1) { dy }
        case .input, .parameter, .state, .constant, .batchMoments, .batchNormInference, .movingAverage, .increment,
            .reluBackward, .activationBackward, .conv2DBackwardInput, .conv2DBackwardWeight, .linearBackwardInput,
            .linearBackwardWeight, .sumToChannels, .maxPoolBackward, .avgPoolBackward, .globalAvgPoolBackward,
            .channelSlice, .dropoutBackward, .batchNormTrainingBackward, .batchNormScaleGradient,
            .softmaxCrossEntropyBackward, .adamFirstMoment, .adamSecondMoment, .adamUpdate, .sgdMomentum, .sgdUpdate,
            .exponentialMovingAverage:
            preconditionFailure("\(node.op.mnemonic) ('\(name)') is not differentiable")
        }
        return contributions
    }
}

extension Graph {
    /// Appends the reverse-mode derivative of a scalar `loss` with respect to `targets` and returns, for each
    /// target that the loss depends on, the value holding its gradient.
    ///
    /// The backward pass is built from graph ops (see `Op.appendVectorJacobianProducts`), so it can be printed,
    /// fused and compiled like the forward pass. Only values on a path from a target to the loss get a gradient:
    /// the input images' gradient, for one, is never computed. A value read by several nodes receives the sum of
    /// their contributions.
    ///
    ///     before:  %3 = conv2D(%0, %1, %2)   %4 = relu(%3)   ...   %9 = softmaxCrossEntropy(%8, %l)
    ///     after:   ... %10 = constant 1   %11 = softmaxCrossEntropyBackward(%8, %l, %10)   ...
    ///              %14 = reluBackward(%3, %13)   %15 = conv2DBackwardWeight(%0, %14)   %16 = sumToChannels(%14)
    public mutating func appendGradients(of loss: ValueID, withRespectTo targets: [ValueID]) -> [ValueID: ValueID] {
        precondition(type(of: loss).shape.isEmpty, "the loss must be a scalar")
        let forwardCount = loss.index + 1
        var dependsOnTarget = Array(repeating: false, count: forwardCount)
        for target in targets { dependsOnTarget[target.index] = true }
        for value in values.prefix(forwardCount) where self[value].inputs.contains(where: { dependsOnTarget[$0.index] })
        {
            dependsOnTarget[value.index] = true
        }

        var adjoints: [ValueID: ValueID] = [:]
        adjoints[loss] = add(.constant(1), [], type: .scalar(.float32), name: "\(self[loss].name).seed")
        for value in values.prefix(forwardCount).reversed() {
            guard let adjoint = adjoints[value], !self[value].op.isSource else { continue }
            let node = self[value]
            let needed = node.inputs.map { dependsOnTarget[$0.index] }
            guard needed.contains(true) else { continue }
            let contributions = appendVectorJacobianProducts(of: node, adjoint: adjoint, needed: needed)
            for (input, gradient) in contributions {
                if let previous = adjoints[input] {
                    adjoints[input] = add(.add, [previous, gradient], name: "\(self[input].name).grad.sum")
                } else {
                    adjoints[input] = gradient
                }
            }
        }
        return adjoints.filter { targets.contains($0.key) }
    }
}

extension Graph {
    /// The number of classes the `.labels` input is scored against (the logits' width at the loss), nil when no
    /// loss reads labels: every label a run is given must be below it.
    public var labelClasses: Int? {
        let loss = nodes.first { node in
            if case .softmaxCrossEntropy = node.op { return true }
            if case .softmaxCrossEntropyBackward = node.op { return true }
            return false
        }
        return loss.map { type(of: $0.inputs[0]).shape[1] }
    }
}

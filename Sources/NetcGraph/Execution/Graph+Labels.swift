extension Graph {
    /// The number of classes the `.labels` input is scored against (the logits' width at the loss), nil when no
    /// loss reads labels: every label a run is given must be below it.
    public var labelClasses: Int? {
        let loss = nodes.first { $0.op == .softmaxCrossEntropy || $0.op == .softmaxCrossEntropyBackward }
        return loss.map { type(of: $0.inputs[0]).shape[1] }
    }
}

extension Graph {
    /// For the moving average `name` (`conv1.0.weight.ema`) of a training step that keeps one: the parameter it
    /// averages and its decay; nil for any other tensor.
    public func averagedParameter(of name: String) -> (parameter: String, decay: Double)? {
        guard name.hasSuffix(TensorName.averageSuffix) else { return nil }
        for update in updates where self[update.target].name == name {
            if case .exponentialMovingAverage(let decay) = self[update.newValue].op {
                return (String(name.dropLast(TensorName.averageSuffix.count)), decay)
            }
        }
        return nil
    }
}

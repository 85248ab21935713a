import NetcGraph

extension FoldTrainer {
    /// Whether the fold keeps an exponential moving average of its weights.
    public var keepsAverage: Bool { batchStatistics != nil }

    /// The moving average of the weights as a model of its own, in `state_dict` order and names: each
    /// parameter's average (`NAME.ema`), and BatchNorm statistics recomputed for the averaged weights over the
    /// first batches of the epoch just trained, as PyTorch's `update_bn` does (see `AveragedModelStatistics`).
    ///
    /// - Precondition: the fold keeps an average and has trained an epoch.
    public func averagedModel() throws -> [(name: String, tensor: Tensor)] {
        guard let batchStatistics else { preconditionFailure("the recipe keeps no average of the weights") }
        precondition(epochsDone > 0, "the average exists once an epoch is trained")
        let graph = inference.graph
        let persistent = graph.values.filter { graph[$0].op.initializer != nil }
        let parameters = graph.parameters.map { value in
            let name = graph[value].name
            let average =
                training.persistent(named: name + TensorName.averageSuffix) ?? training.persistent(named: name)
            guard let average else { preconditionFailure("no parameter \(name) in the training step") }
            return (name: name, tensor: average)
        }
        let batches = (0..<min(AveragedModelStatistics.batchCount, batchesPerEpoch)).map {
            trainingBatch($0, ofEpoch: epochsDone - 1)
        }
        let statistics = try reportingFaults(epoch: epochsDone) {
            try batchStatistics.statistics(parameters: parameters, batches: batches)
        }
        let byName = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.tensor) })
            .merging(statistics) { parameter, _ in parameter }
        return persistent.map { value in
            let name = graph[value].name
            guard let tensor = byName[name] ?? training.persistent(named: name) else {
                preconditionFailure("no tensor \(name) for the averaged model")
            }
            return (name, tensor)
        }
    }

    /// Loss and accuracy of `model` (the tensors `averagedModel()` gives) on the held-out fold, without
    /// augmentation.
    public func validate(_ model: [(name: String, tensor: Tensor)]) throws -> ClassificationMetrics {
        for (name, tensor) in model { try inference.setPersistent(named: name, to: tensor) }
        return try reportingFaults(epoch: epochsDone) {
            try Predictor.metrics(of: inference, on: assembler, indices: validationIndices)
        }
    }
}

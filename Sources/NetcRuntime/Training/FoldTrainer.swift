import NetcGraph

/// Trains one fold of a KFold run: the run's training step and inference pass, started from the fold's own
/// initial weights.
public final class FoldTrainer {
    /// The fold this trainer trains (0-based).
    public let fold: Int
    /// The recipe.
    public let configuration: TrainingConfiguration
    /// Optimizer steps taken so far.
    public private(set) var step = 0
    /// Epochs finished so far.
    public private(set) var epochsDone = 0
    /// Batches of the current epoch trained so far (0 between epochs).
    public private(set) var batchesDone = 0
    /// The sum of the current epoch's batch losses so far, in batch order.
    public private(set) var epochLossSum = 0.0

    let training: any Executable
    let inference: any Executable
    let batchStatistics: AveragedModelStatistics?
    let assembler: BatchAssembler
    private let trainingIndices: [Int]
    let validationIndices: [Int]
    private let schedule: LearningRateSchedule
    private let augmenter: Augmenter?
    /// The training images' order in the epoch last asked for.
    private var shuffled: (epoch: Int, order: [Int])?

    /// Prepares fold `fold` of `split` over `data`, resetting `programs` to the fold's initial weights; training
    /// images are augmented by `augmenter` when given, keyed by (seed, fold, epoch, image).
    public init(
        programs: TrainingPrograms, configuration: TrainingConfiguration, data: Dataset, split: FoldSplit,
        fold: Int, normalization: Normalization, augmenter: Augmenter? = nil
    ) throws {
        self.fold = fold
        self.configuration = configuration
        trainingIndices = split.training(fold: fold)
        validationIndices = split.validation(fold: fold)
        guard trainingIndices.count >= configuration.batchSize else {
            throw TrainingError.tooFewImages(count: trainingIndices.count, batchSize: configuration.batchSize)
        }
        let batch = configuration.batchSize
        training = programs.training
        inference = programs.inference
        batchStatistics = programs.batchStatistics
        try training.resetPersistent(seed: configuration.seed(ofFold: fold))
        assembler = BatchAssembler(data: data, batchSize: batch, normalization: normalization)
        schedule = LearningRateSchedule(
            configuration.schedule, peak: configuration.learningRate,
            totalSteps: configuration.epochs * (trainingIndices.count / batch))
        self.augmenter = augmenter
    }

    /// Full batches per epoch; the remainder of a shuffled epoch is left for later epochs (static shapes).
    public var batchesPerEpoch: Int { trainingIndices.count / configuration.batchSize }

    /// Trains the rest of the current epoch over the shuffled training images and returns its mean training loss,
    /// or `nil` when `shouldPause` stopped it between two batches.
    ///
    /// A paused epoch goes on from the next batch, in this trainer or in one restored from its
    /// ``persistentTensors(includingOptimizerState:)`` and counters, with the same results as if it had never
    /// paused: the batch order, the augmentation and dropout all follow from (seed, fold, epoch, step).
    /// - Parameters:
    ///   - onBatch: called after every batch with the batch number (1-based) and its loss.
    ///   - shouldPause: asked after every batch but the epoch's last.
    public func trainEpoch(
        onBatch: (_ batch: Int, _ loss: Double) -> Void = { _, _ in }, shouldPause: () -> Bool = { false }
    ) throws -> Double? {
        let epoch = epochsDone
        while batchesDone < batchesPerEpoch {
            step += 1
            var inputs = trainingBatch(batchesDone, ofEpoch: epoch)
            inputs[.learningRate] = .scalar(schedule.rate(atStep: step))
            let outputs = try reportingFaults(epoch: epoch + 1) { try training.run(inputs) }
            let loss = outputs["loss"]?.scalars.first ?? .nan
            guard loss.isFinite else {
                throw TrainingError.nonFiniteLoss(
                    fold: fold, epoch: epoch + 1, step: step, firstNonFiniteTensor: firstNonFinitePersistentTensor())
            }
            epochLossSum += loss
            batchesDone += 1
            onBatch(batchesDone, loss)
            if batchesDone < batchesPerEpoch && shouldPause() { return nil }
        }
        let meanLoss = epochLossSum / Double(batchesPerEpoch)
        (epochsDone, batchesDone, epochLossSum) = (epochsDone + 1, 0, 0)
        return meanLoss
    }

    /// Batch `number` (0-based) of epoch `epoch` (0-based) as the training step reads it, but for the learning
    /// rate: the shuffled images, augmented for the epoch, their labels, the batch's step and the fold's seed.
    func trainingBatch(_ number: Int, ofEpoch epoch: Int) -> [InputKind: Tensor] {
        if shuffled?.epoch != epoch {
            let order = FoldSplit.shuffled(
                trainingIndices, seed: configuration.seed, stream: RandomStream.epochOrder,
                step: UInt64(fold) << 32 | UInt64(epoch))
            shuffled = (epoch, order)
        }
        let order = shuffled?.order ?? []
        let batch = configuration.batchSize
        let indices = order[number * batch..<(number + 1) * batch]
        let (assembler, augmenter, fold) = (self.assembler, self.augmenter, self.fold)
        let images = assembler.images(indices, on: training) { index in
            guard let augmenter else { return assembler.rawPixels(index) }
            return augmenter.augmented(assembler.data, image: index, fold: fold, epoch: epoch)
        }
        return [
            .images: images, .labels: assembler.labels(indices),
            .step: .scalar(Double(epoch * batchesPerEpoch + number + 1), .int64),
            .seed: .scalar(Double(configuration.seed(ofFold: fold) & 0xFFFF_FFFF), .int64),
        ]
    }

    /// The learning rate of the most recent step (or the first step's, before training).
    public var currentLearningRate: Double { schedule.rate(atStep: max(step, 1)) }

    /// Loss and accuracy on the held-out fold, without augmentation, with the current weights and running
    /// statistics.
    public func validate() throws -> ClassificationMetrics {
        try synchronizeInference()
        return try reportingFaults(epoch: epochsDone) {
            try Predictor.metrics(of: inference, on: assembler, indices: validationIndices)
        }
    }

    /// Runs `body`, turning a `NumericalFault` into a `TrainingError` that says where in the run (epoch counted from
    /// 1) it happened.
    func reportingFaults<Result>(epoch: Int, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let fault as NumericalFault {
            throw TrainingError.numericalFault(fold: fold, epoch: epoch, step: step, fault)
        }
    }

    /// The fold's persistent tensors in `state_dict` order: parameters, running statistics and, with
    /// `includingOptimizerState`, the optimizer's moments.
    public func persistentTensors(includingOptimizerState: Bool) -> [(name: String, tensor: Tensor)] {
        let graph = includingOptimizerState ? training.graph : inference.graph
        return graph.values.filter { graph[$0].op.isSource }.compactMap { value in
            let name = graph[value].name
            return training.persistent(named: name).map { (name, $0) }
        }
    }

    /// Restores persistent tensors (a resumed run) and the counters: steps, finished epochs and, for an epoch
    /// paused between two batches, its batches done and their loss sum.
    public func restore(
        _ tensors: [String: Tensor], step: Int, epochsDone: Int, batchesDone: Int = 0, epochLossSum: Double = 0
    ) throws {
        for (name, tensor) in tensors where training.persistent(named: name) != nil {
            try training.setPersistent(named: name, to: tensor)
        }
        (self.step, self.epochsDone) = (step, epochsDone)
        (self.batchesDone, self.epochLossSum) = (batchesDone, epochLossSum)
    }

    /// The first parameter or state tensor, in graph order, holding a NaN or an infinity.
    private func firstNonFinitePersistentTensor() -> String? {
        let graph = training.graph
        return (graph.parameters + graph.states).sorted().map { graph[$0].name }.first { name in
            training.persistent(named: name)?.scalars.contains { !$0.isFinite } ?? false
        }
    }

    private func synchronizeInference() throws {
        for value in inference.graph.values where inference.graph[value].op.isSource {
            let name = inference.graph[value].name
            if let tensor = training.persistent(named: name) {
                try inference.setPersistent(named: name, to: tensor)
            }
        }
    }
}

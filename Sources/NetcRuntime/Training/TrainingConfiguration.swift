import NetcGraph

/// Everything that decides how a model is trained: the reference recipe by default.
public struct TrainingConfiguration: Hashable, Sendable {
    /// Epochs per fold (reference: 100).
    public var epochs = 100
    /// Images per optimizer step (reference: 100).
    public var batchSize = 100
    /// The base or peak learning rate (reference: 1e-4).
    public var learningRate = 1e-4
    /// How the learning rate changes over a fold (reference: constant).
    public var schedule = ScheduleKind.constant
    /// The optimizer (reference: Adam).
    public var optimizer = OptimizerKind.adam
    /// Weight decay: Adam's and SGD's L2 penalty added to gradients, AdamW's decoupled decay; nil is the
    /// optimizer's PyTorch default (`OptimizerKind.defaultWeightDecay`: 0, or 0.01 for AdamW).
    public var weightDecay: Double?
    /// The cross-entropy's label smoothing (reference: 0).
    public var labelSmoothing = 0.0
    /// The decay of the exponential moving average of the weights kept beside them; nil keeps none (reference).
    public var averageDecay: Double?
    /// How long the whole run may take: the epochs per fold are then planned from the first epoch's time.
    public var timeBudget: TimeBudget?
    /// KFold folds (reference: 5).
    public var folds = 5
    /// Seed of the split, the shuffles, the augmentation, dropout and initialisation.
    public var seed: UInt64 = 42
    /// Whether training images are augmented on the fly (reference: yes).
    public var augment = true
    /// How strongly they are augmented (reference: the reference pipeline's ranges).
    public var augmentation = AugmentationPolicy.reference
    /// What makes an epoch a fold's best, kept as its best checkpoint (reference: the lowest validation loss).
    public var bestEpoch = BestEpoch.loss

    /// The reference recipe.
    public init() {}

    /// The recipe with the settings of a model file's `Training { ... }` block applied.
    public func applying(_ spec: TrainingSpec) -> TrainingConfiguration {
        var configuration = self
        if let epochs = spec.epochs { configuration.epochs = epochs }
        if let batchSize = spec.batchSize { configuration.batchSize = batchSize }
        if let learningRate = spec.learningRate { configuration.learningRate = learningRate }
        if let schedule = spec.schedule { configuration.schedule = schedule }
        if let optimizer = spec.optimizer { configuration.optimizer = optimizer }
        if let weightDecay = spec.weightDecay { configuration.weightDecay = weightDecay }
        if let folds = spec.folds { configuration.folds = folds }
        if let seed = spec.seed { configuration.seed = seed }
        if let augment = spec.augment { configuration.augment = augment }
        configuration.augmentation = augmentation.applying(spec.augmentation)
        if let labelSmoothing = spec.labelSmoothing { configuration.labelSmoothing = labelSmoothing }
        if let averageDecay = spec.averageDecay { configuration.averageDecay = averageDecay }
        if let timeBudget = spec.timeBudget { configuration.timeBudget = timeBudget }
        if let bestEpoch = spec.bestEpoch { configuration.bestEpoch = bestEpoch }
        return configuration
    }

    /// The weight decay in effect: the one set, or the optimizer's default.
    public var effectiveWeightDecay: Double { weightDecay ?? optimizer.defaultWeightDecay }

    /// The graph-level optimizer with this configuration's hyper-parameters (PyTorch's defaults otherwise).
    public var graphOptimizer: Optimizer {
        switch optimizer {
        case .adam: .adam(AdamAttributes(weightDecay: effectiveWeightDecay))
        case .adamw: .adam(AdamAttributes(weightDecay: effectiveWeightDecay, decoupledWeightDecay: true))
        case .sgd: .sgd(SGDAttributes(momentum: 0.9, weightDecay: effectiveWeightDecay))
        }
    }

    /// The training step this recipe compiles: the optimizer, the label smoothing and the weights' average.
    public func trainingStep(of model: NetworkModel, exposingGradients: Bool = false) -> Graph {
        model.trainingStep(
            optimizer: graphOptimizer, labelSmoothing: labelSmoothing, averageDecay: averageDecay,
            exposingGradients: exposingGradients)
    }

    /// The seed of fold `fold`'s initial weights and dropout masks: every fold starts from its own weights, as
    /// separately constructed PyTorch models would.
    public func seed(ofFold fold: Int) -> UInt64 {
        seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(fold + 1)
    }
}

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
    /// L2 penalty added to gradients (reference: 0).
    public var weightDecay = 0.0
    /// KFold folds (reference: 5).
    public var folds = 5
    /// Seed of the split, the shuffles, the augmentation, dropout and initialisation.
    public var seed: UInt64 = 42
    /// Whether training images are augmented on the fly (reference: yes).
    public var augment = true
    /// How strongly they are augmented (reference: the reference pipeline's ranges).
    public var augmentation = AugmentationPolicy.reference

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
        return configuration
    }

    /// The graph-level optimizer with this configuration's hyper-parameters (PyTorch's defaults otherwise).
    public var graphOptimizer: Optimizer {
        switch optimizer {
        case .adam: .adam(AdamAttributes(weightDecay: weightDecay))
        case .sgd: .sgd(SGDAttributes(momentum: 0.9, weightDecay: weightDecay))
        }
    }

    /// The seed of fold `fold`'s initial weights and dropout masks: every fold starts from its own weights, as
    /// separately constructed PyTorch models would.
    public func seed(ofFold fold: Int) -> UInt64 {
        seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(fold + 1)
    }
}

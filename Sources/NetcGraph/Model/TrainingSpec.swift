/// Training settings a model file may carry in a `Training { ... }` block.
///
/// Every field is optional: `nil` means "not set in the file", and the command line's defaults (the reference
/// recipe) apply. Flags given on the command line win over the file.
public struct TrainingSpec: Hashable, Sendable {
    /// Number of epochs per fold.
    public var epochs: Int?
    /// Images per training step.
    public var batchSize: Int?
    /// The (peak) learning rate.
    public var learningRate: Double?
    /// Number of KFold folds.
    public var folds: Int?
    /// Seed for shuffling, augmentation, dropout and initialisation.
    public var seed: UInt64?
    /// The optimizer.
    public var optimizer: OptimizerKind?
    /// The learning-rate schedule.
    public var schedule: ScheduleKind?
    /// Whether on-the-fly augmentation is on.
    public var augment: Bool?
    /// Adam/SGD weight decay (L2 added to the gradient, as PyTorch's `weight_decay`).
    public var weightDecay: Double?

    /// Creates training settings; all fields default to "not set".
    public init(
        epochs: Int? = nil, batchSize: Int? = nil, learningRate: Double? = nil, folds: Int? = nil,
        seed: UInt64? = nil, optimizer: OptimizerKind? = nil, schedule: ScheduleKind? = nil,
        augment: Bool? = nil, weightDecay: Double? = nil
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.folds = folds
        self.seed = seed
        self.optimizer = optimizer
        self.schedule = schedule
        self.augment = augment
        self.weightDecay = weightDecay
    }
}

/// The optimizers netc can append to a training graph.
public enum OptimizerKind: String, Hashable, Sendable, CaseIterable {
    /// Adam with PyTorch's defaults (betas 0.9/0.999, eps 1e-8, bias correction).
    case adam
    /// Stochastic gradient descent with momentum 0.9 (PyTorch's `SGD(momentum=0.9)`).
    case sgd
}

/// Learning-rate schedules over the whole training run of one fold.
public enum ScheduleKind: String, Hashable, Sendable, CaseIterable {
    /// The same learning rate at every step.
    case constant
    /// Cosine decay from the learning rate to zero.
    case cosine
    /// One-cycle: warm up to the learning rate over the first 30% of steps, then cosine-anneal to near zero.
    case onecycle
}

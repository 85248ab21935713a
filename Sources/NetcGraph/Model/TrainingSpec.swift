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
    /// Weight decay: the L2 penalty added to the gradient (Adam, SGD, PyTorch's `weight_decay`) or AdamW's
    /// decoupled decay.
    public var weightDecay: Double?
    /// How strongly augmentation distorts the training images.
    public var augmentation: AugmentationSettings
    /// One name per class, for pictures and tables (`classNames(["T-shirt", ...])`).
    public var classNames: [String]?
    /// The cross-entropy's label smoothing ε in [0, 1] (PyTorch's `CrossEntropyLoss(label_smoothing=)`).
    public var labelSmoothing: Double?
    /// The decay of the exponential moving average of the weights, in [0, 1); nil keeps no average.
    public var averageDecay: Double?
    /// How long the whole K-fold run may take; the epochs per fold are planned to fit.
    public var timeBudget: TimeBudget?
    /// What makes an epoch a fold's best (`bestBy(.accuracy)`).
    public var bestEpoch: BestEpoch?

    /// Creates training settings; all fields default to "not set".
    public init(
        epochs: Int? = nil, batchSize: Int? = nil, learningRate: Double? = nil, folds: Int? = nil,
        seed: UInt64? = nil, optimizer: OptimizerKind? = nil, schedule: ScheduleKind? = nil,
        augment: Bool? = nil, weightDecay: Double? = nil, augmentation: AugmentationSettings = AugmentationSettings(),
        classNames: [String]? = nil, labelSmoothing: Double? = nil, averageDecay: Double? = nil,
        timeBudget: TimeBudget? = nil, bestEpoch: BestEpoch? = nil
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
        self.augmentation = augmentation
        self.classNames = classNames
        self.labelSmoothing = labelSmoothing
        self.averageDecay = averageDecay
        self.timeBudget = timeBudget
        self.bestEpoch = bestEpoch
    }
}

/// The augmentation ranges a `Training { ... }` block or the command line may set, as torchvision names them;
/// each `nil` keeps the default (the reference pipeline's value).
public struct AugmentationSettings: Hashable, Sendable {
    /// `rotation(5)`: `RandomRotation(5)`, degrees either way.
    public var rotationDegrees: Double?
    /// `affineRotation(5)`: the `degrees` of `RandomAffine`.
    public var affineDegrees: Double?
    /// `translate(0.1)`: the `translate` of `RandomAffine`, a fraction of the width and of the height.
    public var translation: Double?
    /// `scale(0.9, 1.1)`: the `scale` range of `RandomAffine`.
    public var scale: ClosedRange<Double>?
    /// `perspective(0.1, probability: 0.25)`: `RandomPerspective`'s `distortion_scale`...
    public var perspectiveDistortion: Double?
    /// ... and its `p`.
    public var perspectiveProbability: Double?
    /// `horizontalFlip(true)`: `RandomHorizontalFlip()`, half the images mirrored.
    public var horizontalFlip: Bool?
    /// `elastic(alpha: 34, sigma: 4)`: `ElasticTransform(alpha, sigma)` after the other steps; alpha 0 turns it off.
    public var elastic: ElasticDistortion?

    /// Settings; all default to "not set".
    public init(
        rotationDegrees: Double? = nil, affineDegrees: Double? = nil, translation: Double? = nil,
        scale: ClosedRange<Double>? = nil, perspectiveDistortion: Double? = nil, perspectiveProbability: Double? = nil,
        horizontalFlip: Bool? = nil, elastic: ElasticDistortion? = nil
    ) {
        self.rotationDegrees = rotationDegrees
        self.affineDegrees = affineDegrees
        self.translation = translation
        self.scale = scale
        self.perspectiveDistortion = perspectiveDistortion
        self.perspectiveProbability = perspectiveProbability
        self.horizontalFlip = horizontalFlip
        self.elastic = elastic
    }
}

/// The optimizers netc can append to a training graph.
public enum OptimizerKind: String, Hashable, Sendable, CaseIterable {
    /// Adam with PyTorch's defaults (betas 0.9/0.999, eps 1e-8, bias correction).
    case adam
    /// Stochastic gradient descent with momentum 0.9 (PyTorch's `SGD(momentum=0.9)`).
    case sgd
    /// Adam with decoupled weight decay (PyTorch's `AdamW`: the parameter is scaled by 1 − lr·λ before each Adam
    /// step, and the moments see the bare gradient).
    case adamw

    /// The weight decay PyTorch's optimizer uses when none is given: 0.01 for `AdamW`, 0 for `Adam` and `SGD`.
    public var defaultWeightDecay: Double {
        switch self {
        case .adam, .sgd: 0
        case .adamw: 1e-2
        }
    }
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

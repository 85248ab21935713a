import Foundation
import NetcGraph

/// `RUNDIR/run.json`: what a run was started with, so that `predict`, `evaluate` and `--resume` need nothing
/// but the run folder.
///
/// Fields added after the first release are optional, so older manifests still read (as the recipe they ran).
public struct RunManifest: Codable, Hashable, Sendable {
    /// The network's name.
    public var model: String
    /// SHA-256 of the model file's text (also copied to `RUNDIR/model.swift-dsl`).
    public var modelSHA256: String
    /// Where the training data came from.
    public var data: String
    /// Images used (after `--limit`).
    public var images: Int
    /// Pixel normalisation fitted on the training images.
    public var normalization: Normalization
    /// The recipe, flattened for JSON; with a time budget `epochs` is the most a plan may choose.
    public var epochs, batchSize, folds: Int
    /// See `TrainingConfiguration`; `weightDecay` is the one in effect (the optimizer's default when none was set).
    public var learningRate, weightDecay: Double
    /// See `TrainingConfiguration`.
    public var schedule, optimizer: String
    /// See `TrainingConfiguration`.
    public var seed: UInt64
    /// See `TrainingConfiguration`.
    public var augment: Bool
    /// The augmentation ranges; absent from runs started before they could be set, which used the reference's.
    public var augmentation: AugmentationPolicy?
    /// See `TrainingConfiguration`; nil in runs from before label smoothing (none).
    public var labelSmoothing: Double?
    /// See `TrainingConfiguration`; nil when the run keeps no average of the weights.
    public var averageDecay: Double?
    /// See `TrainingConfiguration` (`BestEpoch`'s raw value); nil in runs from before the choice (the lowest loss).
    public var bestBy: String?
    /// The time budget in seconds, when the run has one.
    public var timeBudget: Double?
    /// The epochs per fold a time budget's plan chose (see `KFoldRun`); nil before planning and without a budget.
    public var plannedEpochs: Int?
    /// Each fold's epochs once the plan was revised after a fold finished, because the run's pace differed from the
    /// timed epoch's (see `KFoldRun`); nil while every fold keeps `plannedEpochs`.
    public var foldEpochs: [Int]?

    /// The manifest of a run about to start.
    public init(
        model: String, modelSHA256: String, data: String, images: Int, normalization: Normalization,
        configuration c: TrainingConfiguration
    ) {
        self.model = model
        self.modelSHA256 = modelSHA256
        self.data = data
        self.images = images
        self.normalization = normalization
        (epochs, batchSize, folds, learningRate, weightDecay) =
            (c.epochs, c.batchSize, c.folds, c.learningRate, c.effectiveWeightDecay)
        (schedule, optimizer, seed, augment) = (c.schedule.rawValue, c.optimizer.rawValue, c.seed, c.augment)
        augmentation = c.augmentation
        (labelSmoothing, averageDecay, timeBudget) = (c.labelSmoothing, c.averageDecay, c.timeBudget?.seconds)
        bestBy = c.bestEpoch.rawValue
    }

    /// The recipe the run was started with, with the planned epochs once a time budget's plan is made (fold 1's,
    /// when the plan was revised; see ``configuration(ofFold:)``).
    public var configuration: TrainingConfiguration {
        var c = TrainingConfiguration()
        (c.epochs, c.batchSize, c.folds, c.learningRate, c.weightDecay) =
            (plannedEpochs ?? epochs, batchSize, folds, learningRate, weightDecay)
        c.schedule = ScheduleKind(rawValue: schedule) ?? .constant
        c.optimizer = OptimizerKind(rawValue: optimizer) ?? .adam
        (c.seed, c.augment) = (seed, augment)
        c.augmentation = augmentation ?? .reference
        (c.labelSmoothing, c.averageDecay) = (labelSmoothing ?? 0, averageDecay)
        c.timeBudget = timeBudget.map(TimeBudget.init(seconds:))
        c.bestEpoch = bestBy.flatMap(BestEpoch.init(rawValue:)) ?? .loss
        return c
    }

    /// Whether the run still has to time its first epoch to plan the epochs per fold.
    public var needsPlan: Bool { timeBudget != nil && plannedEpochs == nil }

    /// The epochs fold `fold` (0-based) trains: its revised plan's, the plan's, or the recipe's.
    public func epochs(ofFold fold: Int) -> Int {
        foldEpochs.flatMap { $0.indices.contains(fold) ? $0[fold] : nil } ?? plannedEpochs ?? epochs
    }

    /// The most epochs any fold trains.
    public var mostEpochsPerFold: Int {
        (0..<folds).map(epochs(ofFold:)).max() ?? epochs
    }

    /// The recipe fold `fold` (0-based) trains with: its own epochs, which its learning-rate schedule spans.
    public func configuration(ofFold fold: Int) -> TrainingConfiguration {
        var configuration = self.configuration
        configuration.epochs = epochs(ofFold: fold)
        return configuration
    }
}

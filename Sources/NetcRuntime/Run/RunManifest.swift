import Foundation
import NetcGraph

/// `RUNDIR/run.json`: what a run was started with, so that `predict`, `evaluate` and `--resume` need nothing
/// but the run folder.
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
    /// The recipe, flattened for JSON.
    public var epochs, batchSize, folds: Int
    /// See `TrainingConfiguration`.
    public var learningRate, weightDecay: Double
    /// See `TrainingConfiguration`.
    public var schedule, optimizer: String
    /// See `TrainingConfiguration`.
    public var seed: UInt64
    /// See `TrainingConfiguration`.
    public var augment: Bool
    /// The augmentation ranges; absent from runs started before they could be set, which used the reference's.
    public var augmentation: AugmentationPolicy?

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
            (c.epochs, c.batchSize, c.folds, c.learningRate, c.weightDecay)
        (schedule, optimizer, seed, augment) = (c.schedule.rawValue, c.optimizer.rawValue, c.seed, c.augment)
        augmentation = c.augmentation
    }

    /// The recipe the run was started with.
    public var configuration: TrainingConfiguration {
        var c = TrainingConfiguration()
        (c.epochs, c.batchSize, c.folds, c.learningRate, c.weightDecay) =
            (epochs, batchSize, folds, learningRate, weightDecay)
        c.schedule = ScheduleKind(rawValue: schedule) ?? .constant
        c.optimizer = OptimizerKind(rawValue: optimizer) ?? .adam
        (c.seed, c.augment) = (seed, augment)
        c.augmentation = augmentation ?? .reference
        return c
    }
}

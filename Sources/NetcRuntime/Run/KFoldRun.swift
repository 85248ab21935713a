import Foundation
import NetcGraph

/// A KFold training run: trains each requested fold for the configured epochs, validates after every epoch,
/// keeps each fold's best checkpoint and a resumable last checkpoint, and keeps metrics and loss curves current.
public final class KFoldRun {
    /// The network.
    public let spec: NetworkSpec
    /// The run's manifest (recipe, normalisation, model hash).
    public let manifest: RunManifest
    /// The run's files.
    public let folder: RunFolder
    /// Where progress goes.
    public var reporter: ProgressReporter
    /// Whether the run was asked to stop, and where: asked before every epoch and after every batch. A stopped
    /// run is continued with `train(folds:resume: true)`, exactly as if it had never stopped.
    public var stopRequest: () -> StopPoint? = { nil }
    /// Whether every kernel's results are checked for NaN and infinity as training runs (`--check-numerics`), so
    /// a fault names the kernel and layer that produced it rather than only the loss.
    public var checksNumerics = false

    private let backend: any Backend
    private let data: Dataset
    private let augmenter: Augmenter?

    /// Prepares a run; nothing is trained or written until `train(folds:resume:)`.
    public init(
        spec: NetworkSpec, manifest: RunManifest, folder: RunFolder, backend: any Backend, data: Dataset,
        reporter: ProgressReporter
    ) {
        self.spec = spec
        self.manifest = manifest
        self.folder = folder
        self.backend = backend
        self.data = data
        self.reporter = reporter
        let configuration = manifest.configuration
        augmenter =
            configuration.augment
            ? Augmenter(policy: configuration.augmentation, seed: configuration.seed, imageSize: data.imageSize) : nil
    }

    /// Where a run asked to stop stops.
    public enum StopPoint: Sendable {
        /// Once the current epoch is finished and saved (Ctrl-C: the user can wait for it).
        case endOfEpoch
        /// After the current batch, saving the epoch so far, so that little is lost and the process is gone within
        /// a batch's time (SIGTERM: a scheduler preempting, requeueing or cancelling a job gives it seconds).
        case endOfBatch
    }

    /// Trains the given folds (0-based; all by default), each resumed from its last checkpoint when `resume` is
    /// set.
    ///
    /// - Returns: `false` when `stopRequest` ended the run early.
    @discardableResult
    public func train(folds: [Int]? = nil, resume: Bool) throws -> Bool {
        let configuration = manifest.configuration
        let split = FoldSplit(count: data.count, folds: configuration.folds, seed: configuration.seed)
        let start = Date()
        let programs = try TrainingPrograms(spec: spec, configuration: configuration, backend: backend)
        programs.training.checksNumerics = checksNumerics
        programs.inference.checksNumerics = checksNumerics
        for fold in folds ?? Array(0..<configuration.folds) {
            let trainer = try FoldTrainer(
                programs: programs, configuration: configuration, data: data, split: split, fold: fold,
                normalization: manifest.normalization, augmenter: augmenter)
            var progress = try FoldProgress(fold: fold, folder: folder, resume: resume)
            if let state = progress.resumeState {
                try trainer.restore(
                    state.tensors, step: state.step, epochsDone: state.epochs, batchesDone: state.batches,
                    epochLossSum: state.epochLossSum)
                if state.epochs < configuration.epochs {
                    reporter.foldResumed(
                        fold + 1, epochs: state.epochs, batches: state.batches, batchCount: trainer.batchesPerEpoch)
                }
            }
            while trainer.epochsDone < configuration.epochs {
                if stopRequest() != nil { return false }
                guard let record = try trainEpoch(trainer) else {
                    try progress.paused(trainer: trainer, manifest: manifest)
                    return false
                }
                try progress.finished(record, trainer: trainer, manifest: manifest)
                try folder.rebuildSummaries(folds: manifest.folds, epochs: manifest.epochs)
                reporter.epochFinished(record)
            }
            reporter.foldFinished(fold + 1)
        }
        reporter.runFinished(seconds: Date().timeIntervalSince(start))
        return true
    }

    /// Trains the rest of the trainer's current epoch and validates it, or returns `nil` when a stop after the
    /// current batch was asked for first.
    private func trainEpoch(_ trainer: FoldTrainer) throws -> EpochRecord? {
        let epochStart = Date()
        let batch = trainer.configuration.batchSize
        let firstBatch = trainer.batchesDone
        let trainLoss = try trainer.trainEpoch(
            onBatch: { number, _ in
                reporter.batchFinished(
                    ProgressReporter.BatchProgress(
                        fold: trainer.fold + 1, epoch: trainer.epochsDone + 1, batch: number,
                        batchCount: trainer.batchesPerEpoch, runningLoss: trainer.epochLossSum / Double(number),
                        images: (number - firstBatch) * batch, seconds: Date().timeIntervalSince(epochStart)))
            },
            shouldPause: { stopRequest() == .endOfBatch })
        guard let trainLoss else { return nil }
        let trainingSeconds = Date().timeIntervalSince(epochStart)
        let validation = try trainer.validate()
        return EpochRecord(
            fold: trainer.fold + 1, epoch: trainer.epochsDone, trainLoss: trainLoss,
            validationLoss: validation.meanLoss, validationAccuracy: validation.accuracy,
            imagesPerSecond: Double((trainer.batchesPerEpoch - firstBatch) * batch) / trainingSeconds,
            seconds: Date().timeIntervalSince(epochStart), learningRate: trainer.currentLearningRate)
    }

    /// Writes `samples.svg`: the first 30 training images of fold 1 as they are and as its first epoch sees
    /// them (identical rows when augmentation is off).
    public func writeSamples() throws {
        let configuration = manifest.configuration
        let split = FoldSplit(count: data.count, folds: configuration.folds, seed: configuration.seed)
        let indices = split.training(fold: 0).prefix(30)
        let range = data.displayRange
        let originals = indices.map { data.picture(of: data.values(ofImage: $0), range: range) }
        let augmented = indices.map { index in
            let values = augmenter?.augmented(data, image: index, fold: 0, epoch: 0) ?? data.values(ofImage: index)
            return data.picture(of: values, range: range)
        }
        let labels = indices.map { data.labels?[$0] ?? 0 }
        let grid = PictureGrid.samples(
            originals: originals, augmented: augmented, labels: labels, classes: ClassNaming(spec.training.classNames))
        try AtomicFile.write(Array(grid.svg().utf8), to: folder.samples)
    }
}

import Foundation
import NetcGraph

/// A KFold training run: trains each requested fold for the configured epochs, validates after every epoch,
/// keeps each fold's best checkpoint and a resumable last checkpoint, and keeps metrics and loss curves current.
public final class KFoldRun {
    /// The network.
    public let spec: NetworkSpec
    /// The run's manifest (recipe, normalisation, model hash, and a time budget's plan once made).
    public private(set) var manifest: RunManifest
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
    /// When the run's clock started, which a time budget counts from: by default when the run was created;
    /// set it to when the command started to count loading and compiling too.
    public var clockStart = Date()
    /// The clock a time budget's plan reads (tests substitute one that ticks predictably).
    public var clock: () -> Date = Date.init

    private let backend: any Backend
    private let data: Dataset
    private let augmenter: Augmenter?
    /// Epochs this process has trained to their end, a time budget's timed epoch included: the pace a revised plan
    /// is made from.
    private var epochsTrained = 0

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
    /// With a time budget not yet planned, the first fold's first epoch is timed under the recipe's schedule,
    /// the epochs per fold are planned from it (`EpochPlan`) and recorded in `run.json`, and the fold starts
    /// again under the planned schedule, so the run trains exactly as `--epochs PLANNED` would. After each fold
    /// but the last the plan is revised for the folds still to train from the pace of the run so far (see
    /// ``revisePlan(folds:)``), so that the run ends within its budget even when the machine slows down after the
    /// timed epoch. A resumed run keeps its plan.
    ///
    /// - Returns: `false` when `stopRequest` ended the run early.
    @discardableResult
    public func train(folds: [Int]? = nil, resume: Bool) throws -> Bool {
        let split = FoldSplit(count: data.count, folds: manifest.folds, seed: manifest.seed)
        let programs = try TrainingPrograms(spec: spec, configuration: manifest.configuration, backend: backend)
        programs.checkNumerics(checksNumerics)
        let folds = folds ?? Array(0..<manifest.folds)
        var timedFold: Int?
        let plansHere = manifest.needsPlan
        reporter.willTrain(folds: folds.map { $0 + 1 })
        for fold in folds where manifest.foldEpochs != nil {
            reporter.replanned(epochs: manifest.epochs(ofFold: fold), folds: [fold + 1])
        }
        if plansHere, let first = folds.first {
            guard
                let timedEpochStands = try planEpochs(programs: programs, split: split, fold: first, folds: folds.count)
            else { return false }
            if timedEpochStands { timedFold = first }
        }
        for (position, fold) in folds.enumerated() {
            let trainer = try FoldTrainer(
                programs: programs, configuration: manifest.configuration(ofFold: fold), data: data, split: split,
                fold: fold, normalization: manifest.normalization, augmenter: augmenter)
            var progress = try FoldProgress(
                fold: fold, folder: folder, bestEpoch: manifest.configuration.bestEpoch,
                resume: resume || fold == timedFold)
            if let state = progress.resumeState {
                try trainer.restore(
                    state.tensors, step: state.step, epochsDone: state.epochs, batchesDone: state.batches,
                    epochLossSum: state.epochLossSum)
                // Where the trainer really goes on from, not what the checkpoint says, so the log shows a mismatch.
                if trainer.epochsDone < manifest.epochs(ofFold: fold) && fold != timedFold {
                    reporter.foldResumed(
                        fold + 1, epochs: trainer.epochsDone, batches: trainer.batchesDone,
                        batchCount: trainer.batchesPerEpoch)
                }
            }
            while trainer.epochsDone < manifest.epochs(ofFold: fold) {
                if stopRequest() != nil { return false }
                guard try finishEpoch(trainer, &progress) else { return false }
            }
            reporter.foldFinished(fold + 1)
            let rest = folds[(position + 1)...]
            if plansHere && !rest.isEmpty { try revisePlan(folds: Array(rest)) }
        }
        reporter.runFinished(seconds: clock().timeIntervalSince(clockStart))
        return true
    }

    /// Times the first epoch of `fold`, plans the epochs per fold for `folds` folds within the budget and records
    /// the plan in `run.json`. When the plan differs from the timed epoch's schedule, the epoch's files are
    /// cleared: the fold starts again under the planned schedule.
    ///
    /// - Returns: whether the timed epoch stands (the plan kept its schedule); nil when `stopRequest` ended the
    ///   run during the timed epoch.
    func planEpochs(programs: TrainingPrograms, split: FoldSplit, fold: Int, folds: Int) throws -> Bool? {
        guard let budget = manifest.configuration.timeBudget else { return false }
        reporter.message(
            "time budget \(budget) for \(folds) fold(s): timing fold \(fold + 1)'s first epoch to plan the epochs "
                + "per fold (at most \(manifest.epochs))")
        let trainer = try FoldTrainer(
            programs: programs, configuration: manifest.configuration, data: data, split: split, fold: fold,
            normalization: manifest.normalization, augmenter: augmenter)
        var progress = try FoldProgress(
            fold: fold, folder: folder, bestEpoch: manifest.configuration.bestEpoch, resume: false)
        let epochStart = clock()
        guard try finishEpoch(trainer, &progress) else { return nil }
        let epochSeconds = clock().timeIntervalSince(epochStart)
        if stopRequest() != nil { return nil }
        let elapsed = clock().timeIntervalSince(clockStart)
        guard
            let plan = EpochPlan(
                budget: budget.seconds, elapsed: elapsed, epochSeconds: epochSeconds, folds: folds,
                maximum: manifest.epochs)
        else {
            throw TrainingError.budgetTooShort(
                budget: budget, elapsed: elapsed, epochSeconds: epochSeconds, folds: folds)
        }
        let timedEpochStands = plan.epochs == manifest.epochs
        if !timedEpochStands {
            for file in [folder.last(fold), folder.best(fold), folder.bestAverage(fold), folder.foldMetrics(fold)] {
                try? FileManager.default.removeItem(atPath: file)
            }
        }
        manifest.plannedEpochs = plan.epochs
        try folder.write(manifest)
        reporter.message(
            "planned \(plan.epochs) epoch(s) per fold × \(folds) fold(s) at \(ProgressText.seconds(epochSeconds)) "
                + "per epoch: about \(TimeBudget(seconds: plan.expectedSeconds)) of \(budget) in all; "
                + (timedEpochStands
                    ? "the timed epoch stands" : "fold \(fold + 1) starts again under the planned schedule"))
        if !timedEpochStands { reporter.planned(epochs: plan.epochs) }
        return timedEpochStands
    }

    /// Plans the epochs of `folds` (0-based, still to train) again from the pace of the run so far: its time from
    /// the clock's start over the epochs this process trained (loading, compiling and the timed epoch included),
    /// the most epochs (up to the recipe's) that fit what is left of the budget. A pace slower than the timed
    /// epoch's gives them fewer epochs than the folds before, a faster one more; when not even one epoch fits, they
    /// train one each and the run says that it will overrun. A revision is recorded in `run.json` (`foldEpochs`)
    /// and reported.
    func revisePlan(folds: [Int]) throws {
        guard let budget = manifest.configuration.timeBudget, epochsTrained > 0 else { return }
        let elapsed = clock().timeIntervalSince(clockStart)
        let pace = elapsed / Double(epochsTrained)
        let plan = EpochPlan(
            budget: budget.seconds, elapsed: elapsed, epochSeconds: pace, folds: folds.count, maximum: manifest.epochs)
        let epochs = plan?.epochs ?? 1
        guard folds.contains(where: { manifest.epochs(ofFold: $0) != epochs }) else { return }
        var foldEpochs = manifest.foldEpochs ?? (0..<manifest.folds).map(manifest.epochs(ofFold:))
        for fold in folds { foldEpochs[fold] = epochs }
        manifest.foldEpochs = foldEpochs
        try folder.write(manifest)
        let numbers = folds.map { String($0 + 1) }.joined(separator: ", ")
        reporter.message(
            "re-planned fold(s) \(numbers): \(epochs) epoch(s) each at the pace so far, "
                + "\(ProgressText.seconds(pace)) per epoch: "
                + (plan.map { "about \(TimeBudget(seconds: $0.expectedSeconds)) of \(budget) in all" }
                    ?? "the run will overrun its budget of \(budget)"))
        reporter.replanned(epochs: epochs, folds: folds.map { $0 + 1 })
    }

    /// Trains, validates and checkpoints the rest of the current epoch of `trainer`'s fold and reports it; false
    /// when a stop after the current batch was asked for first (the epoch so far is saved to resume from).
    private func finishEpoch(_ trainer: FoldTrainer, _ progress: inout FoldProgress) throws -> Bool {
        guard let (record, averagedModel) = try trainEpoch(trainer) else {
            try progress.paused(trainer: trainer, manifest: manifest)
            return false
        }
        try progress.finished(record, trainer: trainer, averagedModel: averagedModel, manifest: manifest)
        try folder.rebuildSummaries(
            folds: manifest.folds, epochs: manifest.mostEpochsPerFold, bestEpoch: manifest.configuration.bestEpoch)
        epochsTrained += 1
        reporter.epochFinished(record)
        return true
    }

    /// Trains the rest of the trainer's current epoch and validates it (and the moving average of the weights, when
    /// the run keeps one), or returns `nil` when a stop after the current batch was asked for first.
    private func trainEpoch(_ trainer: FoldTrainer) throws -> (EpochRecord, [(name: String, tensor: Tensor)]?)? {
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
        let averagedModel = trainer.keepsAverage ? try trainer.averagedModel() : nil
        let averageValidation = try averagedModel.map { try trainer.validate($0) }
        let record = EpochRecord(
            fold: trainer.fold + 1, epoch: trainer.epochsDone, trainLoss: trainLoss,
            validationLoss: validation.meanLoss, validationAccuracy: validation.accuracy,
            imagesPerSecond: Double((trainer.batchesPerEpoch - firstBatch) * batch) / trainingSeconds,
            seconds: Date().timeIntervalSince(epochStart), learningRate: trainer.currentLearningRate,
            average: averageValidation.map { EpochRecord.Validation(loss: $0.meanLoss, accuracy: $0.accuracy) })
        return (record, averagedModel)
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

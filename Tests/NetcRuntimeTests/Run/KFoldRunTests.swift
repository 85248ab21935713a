import Foundation
import NetcGraph
import NetcInterpreter
import Testing

@testable import NetcRuntime

@Suite struct KFoldRunTests {
    static let spec = NetworkSpec(
        name: "tiny", input: ImageShape(channels: 1, height: 8, width: 8), classes: 10,
        layers: [
            LayerSpec(.conv2D(outChannels: 3, kernel: 3, stride: 1, padding: 1, bias: true)), LayerSpec(.relu),
            LayerSpec(.batchNorm(momentum: 0.1, epsilon: 1e-5)), LayerSpec(.maxPool(size: 2, stride: 2)),
            LayerSpec(.dropout(probability: 0.2)), LayerSpec(.flatten),
            LayerSpec(.linear(outFeatures: 10, bias: true)),
        ])

    /// 40 random 8×8 images labelled 0-9 in turn.
    static let data: Dataset = {
        let generator = Philox(seed: 3)
        let pixels = (0..<40 * 64).map { UInt8(generator.word(stream: 0, step: 0, index: UInt32($0)) % 256) }
        return Dataset(
            shape: ImageShape(channels: 1, height: 8, width: 8), pixels: .uint8(pixels),
            labels: (0..<40).map { $0 % 10 })
    }()

    static func run(
        in directory: String, epochs: Int = 3, learningRate: Double = 0.01, averageDecay: Double? = nil,
        timeBudget: TimeBudget? = nil, bestEpoch: BestEpoch = .loss, data: Dataset = data
    ) -> KFoldRun {
        var configuration = TrainingConfiguration()
        (configuration.epochs, configuration.batchSize, configuration.folds) = (epochs, 10, 2)
        (configuration.learningRate, configuration.schedule) = (learningRate, .cosine)
        (configuration.averageDecay, configuration.timeBudget) = (averageDecay, timeBudget)
        configuration.bestEpoch = bestEpoch
        let manifest = RunManifest(
            model: "tiny", modelSHA256: "0", data: "memory", images: data.count,
            normalization: Normalization(fitting: data), configuration: configuration)
        let folder = RunFolder(directory)
        try? folder.create(folds: 2)
        return KFoldRun(
            spec: spec, manifest: manifest, folder: folder, backend: Interpreter(precision: .float32), data: data,
            reporter: ProgressReporter(mode: .quiet, foldCount: 2, epochCount: epochs))
    }

    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netc-run-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Every metric but the timings, which differ between runs (−1 for a moving average the run does not keep).
    static func metrics(_ path: String) throws -> [[Double]] {
        try MetricsCSV.records(fromFileAt: path).map {
            [
                Double($0.fold), Double($0.epoch), $0.trainLoss, $0.validationLoss, $0.validationAccuracy,
                $0.learningRate, $0.average?.loss ?? -1, $0.average?.accuracy ?? -1,
            ]
        }
    }

    @Test func numericalFaultNamesWhereAndKeepsTheLastGoodCheckpoints() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try Self.run(in: directory, epochs: 1).train(folds: [0], resume: false))
        let folder = RunFolder(directory)
        let saved = try [folder.best(0), folder.last(0), folder.foldMetrics(0)].map {
            try Data(contentsOf: URL(fileURLWithPath: $0))
        }

        // Resumed with an absurd learning rate, Adam's first step makes weights of about 1e30, whose batch
        // statistics overflow float32 in the next forward pass.
        let exploding = Self.run(in: directory, epochs: 3, learningRate: 1e30)
        exploding.checksNumerics = true
        let error = try #require(throws: TrainingError.self) { try exploding.train(folds: [0], resume: true) }
        guard case .numericalFault(let fold, let epoch, let step, let fault) = error else {
            Issue.record("expected a numerical fault, got \(error)")
            return
        }
        #expect(fold == 0 && epoch == 2)
        #expect(step > 2, "steps count on from the resumed epoch")
        #expect(fault.layer != nil, "\(fault)")
        #expect(!fault.value.isFinite)
        #expect("\(error)".contains("fold 1, epoch 2, step \(step): '\(fault.producer)'"))
        let kept = try [folder.best(0), folder.last(0), folder.foldMetrics(0)].map {
            try Data(contentsOf: URL(fileURLWithPath: $0))
        }
        #expect(kept == saved, "the checkpoints and metrics of epoch 1 are left as they were")
    }

    /// The moving average of the weights and its best checkpoint resume too (decay 0.5).
    @Test(arguments: [nil, 0.5])
    func resumedRunEqualsUninterruptedRun(averageDecay: Double?) throws {
        let (straight, interrupted) = try Self.uninterruptedRunAndEmptyFolder(averageDecay: averageDecay)
        defer { [straight, interrupted].forEach { try? FileManager.default.removeItem(atPath: $0) } }

        // Stop after the first epoch of fold 2 (Ctrl-C), then resume in a fresh run object.
        let first = Self.run(in: interrupted, averageDecay: averageDecay)
        let fold2Metrics = RunFolder(interrupted).foldMetrics(1)
        first.stopRequest = { (try? MetricsCSV.records(fromFileAt: fold2Metrics).count) == 1 ? .endOfEpoch : nil }
        #expect(try first.train(resume: false) == false)
        #expect(try MetricsCSV.records(fromFileAt: fold2Metrics).count == 1)
        #expect(try Self.run(in: interrupted, averageDecay: averageDecay).train(resume: true))
        try Self.expectSameRun(straight, interrupted)
    }

    /// SIGTERM: stopped between the two batches of fold 2's second epoch, the last checkpoint holds the half epoch;
    /// resumed from there, every file ends byte for byte as in the uninterrupted run.
    @Test(arguments: [nil, 0.5])
    func runStoppedBetweenBatchesResumesFromTheNextBatch(averageDecay: Double?) throws {
        let (straight, interrupted) = try Self.uninterruptedRunAndEmptyFolder(averageDecay: averageDecay)
        defer { [straight, interrupted].forEach { try? FileManager.default.removeItem(atPath: $0) } }

        let folder = RunFolder(interrupted)
        let first = Self.run(in: interrupted, averageDecay: averageDecay)
        var calls = 0
        first.stopRequest = {
            // Asked before each epoch and after its first batch (of two): fold 1's three epochs and fold 2's first
            // make 8 calls, and the 10th comes after the first batch of fold 2's second epoch.
            calls += 1
            return calls == 10 ? .endOfBatch : nil
        }
        #expect(try first.train(resume: false) == false)
        let paused = try Checkpoint.load(from: folder.last(1)).metadata
        #expect(paused["epochs_done"] == "1" && paused["batches_done"] == "1", "\(paused)")
        #expect(try folder.state(ofFold: 1, epochs: 3) == .unfinished(epochs: 1, batches: 1))
        #expect(try MetricsCSV.records(fromFileAt: folder.foldMetrics(1)).count == 1)

        #expect(try Self.run(in: interrupted, averageDecay: averageDecay).train(resume: true))
        #expect(try folder.state(ofFold: 1, epochs: 3) == .finished)
        try Self.expectSameRun(straight, interrupted)
    }

    /// A folder holding a whole run of both folds, and an empty one for the run to compare with it.
    static func uninterruptedRunAndEmptyFolder(averageDecay: Double? = nil) throws -> (
        straight: String, interrupted: String
    ) {
        let straight = temporaryDirectory()
        #expect(try run(in: straight, averageDecay: averageDecay).train(resume: false))
        return (straight, temporaryDirectory())
    }

    /// The two runs' checkpoints (the moving average's best too, when kept) are equal byte for byte, and their
    /// metrics but the timings.
    static func expectSameRun(_ straight: String, _ interrupted: String, epochs: Int = 3) throws {
        let a = RunFolder(straight)
        let b = RunFolder(interrupted)
        #expect(try Self.metrics(a.metrics) == Self.metrics(b.metrics))
        #expect(try Self.metrics(a.metrics).count == 2 * epochs)
        for fold in 0..<2 {
            var pairs = [(a.best(fold), b.best(fold)), (a.last(fold), b.last(fold))]
            if FileManager.default.fileExists(atPath: a.bestAverage(fold)) {
                pairs.append((a.bestAverage(fold), b.bestAverage(fold)))
            }
            for (pathA, pathB) in pairs {
                let bytesA = try Data(contentsOf: URL(fileURLWithPath: pathA))
                let bytesB = try Data(contentsOf: URL(fileURLWithPath: pathB))
                #expect(bytesA == bytesB, "\(pathB) differs from \(pathA)")
            }
        }
    }

    @Test func bestCheckpointHasStateDictNamesAndRunMetadata() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.run(in: directory).train(folds: [1], resume: false)
        let best = try Checkpoint.load(from: RunFolder(directory).best(1))
        #expect(
            best.tensors.map(\.name) == [
                "0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var",
                "2.num_batches_tracked", "6.weight", "6.bias",
            ])
        #expect(best.tensor(named: "2.num_batches_tracked")?.type == .scalar(.int64))
        let epoch = try #require(Int(best.metadata["epoch"] ?? ""))
        #expect(best.tensor(named: "2.num_batches_tracked")?.scalars == [Double(epoch * 2)])
        #expect(best.metadata["fold"] == "2")
        #expect(best.metadata["normalization_mean"] != nil && best.metadata["model_sha256"] == "0")
        let records = try MetricsCSV.records(fromFileAt: RunFolder(directory).foldMetrics(1))
        let lowest = records.min { $0.validationLoss < $1.validationLoss }
        #expect(lowest?.epoch == epoch)
        #expect(!FileManager.default.fileExists(atPath: RunFolder(directory).best(0)))
    }

    @Test func manifestsKeepTheAugmentationAndOldOnesMeanTheReference() throws {
        var configuration = TrainingConfiguration()
        configuration.augmentation = AugmentationPolicy(
            rotationDegrees: 0, horizontalFlipProbability: 0.5, elastic: ElasticDistortion(alpha: 34, sigma: 4))
        // The training features round-trip too; the manifest records the weight decay in effect.
        (configuration.optimizer, configuration.weightDecay) = (.adamw, 0.01)
        (configuration.labelSmoothing, configuration.averageDecay) = (0.1, 0.999)
        (configuration.timeBudget, configuration.bestEpoch) = (TimeBudget(seconds: 1800), .accuracy)
        let manifest = RunManifest(
            model: "m", modelSHA256: "0", data: "d", images: 1,
            normalization: Normalization(mean: [0.5, 0.4], std: [1, 2]),
            configuration: configuration)
        let decoded = try JSONDecoder().decode(RunManifest.self, from: JSONEncoder().encode(manifest))
        #expect(decoded.configuration == configuration)
        #expect(decoded.normalization == manifest.normalization)

        var old = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(manifest)) as? [String: Any])
        (old["augmentation"], old["bestBy"]) = (nil, nil)
        let reference = try JSONDecoder().decode(RunManifest.self, from: JSONSerialization.data(withJSONObject: old))
        #expect(reference.configuration.augmentation == .reference)
        #expect(reference.configuration.bestEpoch == .loss)
    }

    /// With a moving average of the weights, every epoch validates it too, and its best epoch is kept as a model of
    /// its own: the averaged parameters (the `.ema` states of the last checkpoint, when that epoch is the last) with
    /// BatchNorm statistics recomputed over the fold's 2 training batches.
    @Test func averagedWeightsAreValidatedAndCheckpointed() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.run(in: directory, averageDecay: 0.5).train(folds: [0], resume: false)
        let folder = RunFolder(directory)
        let records = try MetricsCSV.records(fromFileAt: folder.foldMetrics(0))
        #expect(records.allSatisfy { $0.average != nil })
        let average = try Checkpoint.load(from: folder.bestAverage(0))
        let raw = try Checkpoint.load(from: folder.best(0))
        #expect(average.tensors.map(\.name) == raw.tensors.map(\.name))
        #expect(average.metadata["weights"] == "ema" && average.metadata["ema_decay"] == "0.5")
        #expect(average.tensor(named: "2.num_batches_tracked")?.scalars == [2])
        let epoch = try #require(Int(average.metadata["epoch"] ?? ""))
        let bestAverage = records.min { ($0.average?.loss ?? .infinity) < ($1.average?.loss ?? .infinity) }
        #expect(bestAverage?.epoch == epoch)
        // metrics.csv keeps six significant digits.
        let recordedLoss = try #require(Double(average.metadata["val_loss"] ?? ""))
        #expect(abs(recordedLoss - (bestAverage?.average?.loss ?? 0)) <= 1e-5 * recordedLoss)
        let last = try Checkpoint.load(from: folder.last(0))
        if epoch == records.count {
            for name in ["0.weight", "0.bias", "2.weight", "6.weight"] {
                #expect(average.tensor(named: name) == last.tensor(named: name + ".ema"), "\(name)")
            }
        }
        // The average differs from the raw weights, and so do its recomputed statistics.
        #expect(average.tensor(named: "0.weight") != last.tensor(named: "0.weight"))
        #expect(average.tensor(named: "2.running_mean") != last.tensor(named: "2.running_mean"))
        #expect(try FoldWeights.ema.checkpoint(ofFold: 0, in: folder, bestEpoch: .loss)?.path == folder.bestAverage(0))
        let averageIsBetter = (bestAverage?.average?.loss ?? .infinity) < (records.map(\.validationLoss).min() ?? 0)
        #expect(try FoldWeights.best.checkpoint(ofFold: 0, in: folder, bestEpoch: .loss)?.isAverage == averageIsBetter)
        try Self.expectValidation(
            of: folder.bestAverage(0), loss: recordedLoss, accuracy: Double(average.metadata["val_accuracy"] ?? ""))
        try Self.expectValidation(
            of: folder.best(0), loss: Double(raw.metadata["val_loss"] ?? "") ?? .nan,
            accuracy: Double(raw.metadata["val_accuracy"] ?? ""))
    }

    /// The checkpoint at `path`, loaded apart from the run and predicted on fold 1's held-out images, has the
    /// recorded validation `loss` (mean cross-entropy, computed here from its logits) and `accuracy`: what the run
    /// validated is the model it saved.
    static func expectValidation(of path: String, loss: Double, accuracy: Double?) throws {
        let trained = try TrainedModel(name: path, checkpoint: path, spec: spec)
        let model = try FoldModel(trained, backend: Interpreter(precision: .float32), batchSize: 10)
        let held = FoldSplit(count: data.count, folds: 2, seed: TrainingConfiguration().seed).validation(fold: 0)
        let logits = try model.logits(for: data, indices: held)
        let classes = spec.classes
        var (lossSum, correct) = (0.0, 0)
        for (row, image) in held.enumerated() {
            let values = logits[row * classes..<(row + 1) * classes]
            let largest = values.max() ?? 0
            let logSumExp = largest + log(values.reduce(0) { $0 + exp($1 - largest) })
            let label = data.labels?[image] ?? -1
            lossSum += logSumExp - values[row * classes + label]
            if values.firstIndex(of: largest) == row * classes + label { correct += 1 }
        }
        let meanLoss = lossSum / Double(held.count)
        #expect(abs(meanLoss - loss) <= 1e-5 * loss, "recomputed \(meanLoss), recorded \(loss)")
        #expect(Double(correct) / Double(held.count) == accuracy)
    }

    /// A 3-epoch run with an 80 s budget, on a clock that ticks 10 s at every reading.
    static func budgetedRun(in directory: String) -> KFoldRun {
        let run = Self.run(in: directory, epochs: 3, timeBudget: TimeBudget(seconds: 80))
        var ticks = 0.0
        run.clock = {
            ticks += 10
            return Date(timeIntervalSince1970: ticks)
        }
        run.clockStart = run.clock()
        return run
    }

    /// A time budget's plan: the first epoch is timed (here on a clock ticking 10 s per reading, so the epoch takes
    /// 10 s and 30 s are spent when planning), the plan fits 2 epochs per fold of 10 s into 97 % of 80 s, and the
    /// run then equals one started with `epochs: 2`: the timed epoch, run under a 3-epoch schedule, leaves nothing.
    @Test func timeBudgetPlanTrainsAsTheFixedEpochsWould() throws {
        let budgeted = Self.temporaryDirectory()
        let fixed = Self.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: budgeted)
            try? FileManager.default.removeItem(atPath: fixed)
        }
        let run = Self.budgetedRun(in: budgeted)
        #expect(try run.train(resume: false))
        #expect(run.manifest.plannedEpochs == 2)
        #expect(try Self.run(in: fixed, epochs: 2).train(resume: false))
        try Self.expectSameRun(budgeted, fixed, epochs: 2)
    }

    /// A run that slows down after its timed epoch revises the plan of the folds still to train. The clock reads
    /// 10, 20, 30 and 40 s up to the plan (2 epochs per fold, as above), then 60 s when fold 1 is done: at the pace
    /// so far, 50 s for 3 epochs, one more epoch fits in 97 % of 80 s. Fold 2 then trains one epoch under a
    /// one-epoch schedule, exactly as fold 2 of a run of one epoch per fold does, and run.json records the revision.
    @Test func aSlowerPaceRevisesThePlanOfTheFoldsLeft() throws {
        let budgeted = Self.temporaryDirectory()
        let fixed = Self.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: budgeted)
            try? FileManager.default.removeItem(atPath: fixed)
        }
        let run = Self.run(in: budgeted, epochs: 3, timeBudget: TimeBudget(seconds: 80))
        var readings = [10.0, 20, 30, 40, 60, 70]
        run.clock = { Date(timeIntervalSince1970: readings.removeFirst()) }
        run.clockStart = run.clock()
        #expect(try run.train(resume: false))
        #expect(run.manifest.plannedEpochs == 2)
        #expect(run.manifest.foldEpochs == [2, 1])
        #expect(try RunFolder(budgeted).readManifest().foldEpochs == [2, 1])
        #expect(try RunFolder(budgeted).foldStates(of: run.manifest) == [.finished, .finished])

        #expect(try Self.run(in: fixed, epochs: 1).train(folds: [1], resume: false))
        let (a, b) = (RunFolder(budgeted), RunFolder(fixed))
        #expect(try Self.metrics(a.foldMetrics(1)) == Self.metrics(b.foldMetrics(1)))
        #expect(try Self.metrics(a.foldMetrics(1)).count == 1)
        for (pathA, pathB) in [(a.best(1), b.best(1)), (a.last(1), b.last(1))] {
            let tensorsA = try Checkpoint.load(from: pathA).tensors
            let tensorsB = try Checkpoint.load(from: pathB).tensors
            #expect(tensorsA.map(\.name) == tensorsB.map(\.name))
            let sameValues = tensorsA.map(\.tensor) == tensorsB.map(\.tensor)
            #expect(sameValues, "\(pathA) differs from \(pathB)")
        }
    }

    /// When the plan differs from the timed epoch's schedule, nothing of the timed epoch is left once the plan is
    /// recorded, so a run killed before its next epoch is saved resumes from the start under the plan.
    @Test func plannedRestartLeavesNothingOfTheTimedEpoch() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = Self.budgetedRun(in: directory)
        let programs = try TrainingPrograms(
            spec: Self.spec, configuration: run.manifest.configuration, backend: Interpreter(precision: .float32))
        let split = FoldSplit(count: Self.data.count, folds: 2, seed: run.manifest.seed)
        #expect(try run.planEpochs(programs: programs, split: split, fold: 0, folds: 2) == false)
        let folder = RunFolder(directory)
        for file in [folder.last(0), folder.best(0), folder.foldMetrics(0)] {
            #expect(!FileManager.default.fileExists(atPath: file), "\(file)")
        }
        #expect(try folder.readManifest().plannedEpochs == 2)
    }
}

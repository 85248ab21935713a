import Foundation
import NetcGraph
import Testing

@testable import NetcRuntime

/// A run trained with `--best-by accuracy` keeps, for the weights and for their moving average, the epoch of highest
/// validation accuracy (the lower loss among equals, then the earliest), worked out here from the fold's
/// `metrics.csv`; `losses.svg` marks that epoch, and `FoldWeights.best` chooses between the two checkpoints by the
/// same rule. The run is one where the lowest loss names other epochs, so a run that kept by loss fails.
@Suite struct BestByAccuracyRunTests {
    @Test func theMostAccurateEpochIsKept() throws {
        let directory = KFoldRunTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try KFoldRunTests.run(
            in: directory, epochs: 8, learningRate: 0.05, averageDecay: 0.5, bestEpoch: .accuracy, data: Self.data
        ).train(folds: [0], resume: false)
        let folder = RunFolder(directory)
        let records = try MetricsCSV.records(fromFileAt: folder.foldMetrics(0))
        #expect(records.count == 8)

        let raw = records.map { (epoch: $0.epoch, validation: $0.validation) }
        let average = try records.map { (epoch: $0.epoch, validation: try #require($0.average)) }
        let (rawBest, averageBest) = (try Self.mostAccurate(raw), try Self.mostAccurate(average))
        #expect(
            try Self.lowestLoss(raw).epoch != rawBest.epoch && Self.lowestLoss(average).epoch != averageBest.epoch,
            "the run must tell the rules apart: \(records)")

        let rawCheckpoint = try Checkpoint.load(from: folder.best(0)).metadata
        let averageCheckpoint = try Checkpoint.load(from: folder.bestAverage(0)).metadata
        #expect(rawCheckpoint["epoch"] == "\(rawBest.epoch)")
        #expect(averageCheckpoint["epoch"] == "\(averageBest.epoch)")

        let svg = try String(contentsOfFile: folder.losses, encoding: .utf8)
        #expect(svg.contains("class=\"best-epoch\" data-epoch=\"\(rawBest.epoch)\""), "losses.svg marks the epoch")

        let averageIsBetter =
            (averageBest.validation.accuracy, -averageBest.validation.loss)
            > (rawBest.validation.accuracy, -rawBest.validation.loss)
        let chosen = try #require(try FoldWeights.best.checkpoint(ofFold: 0, in: folder, bestEpoch: .accuracy))
        #expect(chosen.isAverage == averageIsBetter)
    }

    /// 60 noisy 8×8 images whose label is where their one bright pixel is: learnable, but too few to learn well,
    /// so validation accuracy and loss move apart.
    static let data: Dataset = {
        let generator = Philox(seed: 5)
        let labels = (0..<60).map { $0 % 10 }
        var pixels = (0..<60 * 64).map { UInt8(generator.word(stream: 0, step: 0, index: UInt32($0)) % 160) }
        for (image, label) in labels.enumerated() { pixels[image * 64 + 9 * label % 64] = 255 }
        return Dataset(shape: ImageShape(channels: 1, height: 8, width: 8), pixels: .uint8(pixels), labels: labels)
    }()

    typealias Validated = (epoch: Int, validation: EpochRecord.Validation)

    /// The highest accuracy, then the lowest loss, then the earliest epoch.
    static func mostAccurate(_ epochs: [Validated]) throws -> Validated {
        try #require(
            epochs.min { a, b in
                (-a.validation.accuracy, a.validation.loss, a.epoch)
                    < (-b.validation.accuracy, b.validation.loss, b.epoch)
            })
    }

    /// The lowest loss, then the earliest epoch.
    static func lowestLoss(_ epochs: [Validated]) throws -> Validated {
        try #require(epochs.min { a, b in (a.validation.loss, a.epoch) < (b.validation.loss, b.epoch) })
    }
}

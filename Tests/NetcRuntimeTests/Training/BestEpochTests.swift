import Foundation
import Testing

@testable import NetcRuntime

/// One best-epoch rule everywhere: the checkpoint rule (`BestEpoch.improves`, as `FoldProgress` applies it), the
/// progress lines, the fold and run summaries and the loss plot all name the same epoch, or none.
@Suite struct BestEpochTests {
    /// Validation losses of epochs 1, 2, ... of one fold, and the best epoch the rule gives (nil for none).
    static let cases: [(losses: [Double], best: Int?)] = [
        ([0.5, 0.3, 0.4], 2),
        ([0.5, 0.3, 0.3], 2),  // the earliest of equals
        ([.nan, 0.4, .infinity, 0.4], 2),  // NaN and ∞ are never best
        ([.nan, .nan], nil),  // no finite loss: no best epoch anywhere
        ([.infinity, .nan, -.infinity], nil),
    ]

    @Test(arguments: cases.indices)
    func everyPartNamesTheSameBestEpoch(index: Int) throws {
        let (losses, best) = Self.cases[index]
        let records = losses.enumerated().map { epoch, loss in
            EpochRecord(
                fold: 1, epoch: epoch + 1, trainLoss: 0.5, validationLoss: loss, validationAccuracy: 0.5,
                imagesPerSecond: 100, seconds: 1, learningRate: 0.01)
        }
        // The checkpoint: written whenever an epoch improves on the best so far.
        var checkpointLoss = Double.infinity
        var checkpointEpoch: Int?
        for record in records where BestEpoch.improves(record.validationLoss, on: checkpointLoss) {
            (checkpointLoss, checkpointEpoch) = (record.validationLoss, record.epoch)
        }
        #expect(checkpointEpoch == best, "checkpoint")

        // The progress lines: the last epoch marked best in json mode.
        var lines: [String] = []
        var reporter = ProgressReporter(
            mode: .json, foldCount: 1, epochCount: losses.count, sink: TextSink { lines.append($0) })
        for record in records { reporter.epochFinished(record) }
        let marked = lines.enumerated().filter { $0.element.contains("\"best\":true") }.map { $0.offset + 1 }
        #expect(marked.last == best, "progress lines \(lines)")
        #expect(reporter.foldSummary(1)?.best?.epoch == best, "summary")

        // The loss plot's marker.
        let panel = LossPanel(
            title: "fold 1",
            epochs: records.reversed().map {
                LossPlot.Epoch(
                    epoch: $0.epoch, trainLoss: $0.trainLoss, validationLoss: $0.validationLoss,
                    validationAccuracy: $0.validationAccuracy)
            })
        #expect(panel.best?.epoch == best, "plot")
    }

    @Test func aFoldWithoutAFiniteLossHasNoBestEpochInTheSummary() {
        var text = ""
        var reporter = ProgressReporter(mode: .plain, foldCount: 1, epochCount: 1, sink: TextSink { text += $0 })
        reporter.epochFinished(
            EpochRecord(
                fold: 1, epoch: 1, trainLoss: .nan, validationLoss: .nan, validationAccuracy: 0.1, imagesPerSecond: 1,
                seconds: 1, learningRate: 0.01))
        reporter.foldFinished(1)
        reporter.runFinished(seconds: 1)
        #expect(text.contains("fold 1/1 finished: no epoch with a finite validation loss in "), "\(text)")
        let row = text.split(separator: "\n").first { $0.hasPrefix("1 ") }?.split(separator: " ")
        #expect(row == ["1", "none", "-", "-", "0:01"], "\(text)")
    }
}

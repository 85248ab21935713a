import Foundation
import NetcGraph
import Testing

@testable import NetcRuntime

/// One best-epoch rule everywhere: the checkpoint rule (`BestEpoch.improves`, as `FoldProgress` applies it), the
/// progress lines, the fold and run summaries and the loss plot all name the same epoch, or none, under either rule.
@Suite struct BestEpochTests {
    /// Validation losses and accuracies of epochs 1, 2, ... of one fold, and the best epoch each rule gives (nil for
    /// none), worked out by hand.
    static let cases: [(losses: [Double], accuracies: [Double], byLoss: Int?, byAccuracy: Int?)] = [
        ([0.5, 0.3, 0.4], [0.90, 0.95, 0.96], 2, 3),
        ([0.5, 0.3, 0.3], [0.90, 0.95, 0.95], 2, 2),  // the earliest of equals
        ([0.5, 0.4, 0.3], [0.95, 0.95, 0.95], 3, 3),  // equal accuracies: the lower loss
        ([0.3, 0.4, 0.2], [0.97, 0.97, 0.96], 3, 1),
        ([.nan, 0.4, .infinity, 0.4], [0.99, 0.9, 0.99, 0.9], 2, 2),  // NaN and ∞ are never best, however accurate
        ([.nan, .nan], [0.5, 0.6], nil, nil),  // no finite loss: no best epoch anywhere
        ([.infinity, .nan, -.infinity], [0.1, 0.2, 0.3], nil, nil),
    ]

    @Test(arguments: cases.indices, BestEpoch.allCases)
    func everyPartNamesTheSameBestEpoch(index: Int, rule: BestEpoch) throws {
        let (losses, accuracies, byLoss, byAccuracy) = Self.cases[index]
        let best: Int? =
            switch rule {
            case .loss: byLoss
            case .accuracy: byAccuracy
            }
        let records = zip(losses, accuracies).enumerated().map { epoch, validation in
            EpochRecord(
                fold: 1, epoch: epoch + 1, trainLoss: 0.5, validationLoss: validation.0,
                validationAccuracy: validation.1, imagesPerSecond: 100, seconds: 1, learningRate: 0.01)
        }
        // The checkpoint: written whenever an epoch improves on the best so far.
        var checkpoint: EpochRecord?
        for record in records where rule.improves(record.validation, on: checkpoint?.validation) {
            checkpoint = record
        }
        #expect(checkpoint?.epoch == best, "checkpoint")

        // The progress lines: the last epoch marked best in json mode.
        var lines: [String] = []
        var reporter = ProgressReporter(
            mode: .json, foldCount: 1, epochCount: losses.count, bestEpoch: rule, sink: TextSink { lines.append($0) })
        for record in records { reporter.epochFinished(record) }
        let marked = lines.enumerated().filter { $0.element.contains("\"best\":true") }.map { $0.offset + 1 }
        #expect(marked.last == best, "progress lines \(lines)")
        #expect(reporter.foldSummary(1)?.best?.epoch == best, "summary")

        // The loss plot's marker.
        let plot = LossPlot(records: records.reversed(), foldCount: 1, bestEpoch: rule)
        #expect(plot.panels.first?.best?.epoch == best, "plot")
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

import Foundation
import Testing

@testable import NetcRuntime

@Suite struct RunSummariesTests {
    /// Folds trained at once by separate workers (processes on a cluster; threads here, which `flock` keeps apart
    /// the same way) each rebuild the run's summaries after every epoch. However their rebuilds interleave,
    /// `metrics.csv` is a whole file whenever a reader looks, never goes back to fewer epochs than it had (a rebuild
    /// that read the folds' files before another's must not replace that other's newer summary), and ends holding
    /// every epoch of every fold.
    @Test func concurrentRebuildsNeverLoseAnEpoch() throws {
        let directory = try FixtureDirectory()
        let folder = RunFolder(directory.path)
        let (folds, epochs) = (4, 20)
        try folder.create(folds: folds)
        let failures = Messages()
        let finished = Messages()  // the workers that are done
        let workers = (0..<folds).map { fold in
            Thread {
                var metrics = MetricsCSV(path: folder.foldMetrics(fold))
                do {
                    for epoch in 1...epochs {
                        try metrics.append(
                            EpochRecord(
                                fold: fold + 1, epoch: epoch, trainLoss: 1, validationLoss: 1,
                                validationAccuracy: 0.5, imagesPerSecond: 1, seconds: 1, learningRate: 0.1))
                        try folder.rebuildSummaries(folds: folds, epochs: epochs, bestEpoch: .loss)
                    }
                } catch {
                    failures.record("\(error)")
                }
                finished.record("fold \(fold + 1)")
            }
        }
        workers.forEach { $0.start() }
        var mostRows = 0
        while finished.messages.count < folds {
            guard let text = try? String(contentsOfFile: folder.metrics, encoding: .utf8) else { continue }
            let rows = text.split(separator: "\n").count - 1
            if !text.hasPrefix(MetricsCSV.header + "\n") || !text.hasSuffix("\n") || rows > folds * epochs {
                failures.record("a torn metrics.csv: \(text.suffix(60))")
                break
            }
            if rows < mostRows {
                failures.record("metrics.csv went back from \(mostRows) epochs to \(rows)")
                break
            }
            mostRows = rows
        }
        workers.forEach { while !$0.isFinished { usleep(1000) } }
        let problems = failures.messages.joined(separator: "; ")
        #expect(problems == "")
        let records = try MetricsCSV.records(fromFileAt: folder.metrics)
        #expect(records.count == folds * epochs, "metrics.csv lost epochs")
        #expect(Set(records.map { "\($0.fold).\($0.epoch)" }).count == folds * epochs)
    }
}

/// Messages collected from several threads.
private final class Messages: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func record(_ message: String) { lock.withLock { list.append(message) } }
    var messages: [String] { lock.withLock { list } }
}

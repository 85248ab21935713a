import Foundation
import Testing

@testable import NetcRuntime

/// Collects everything a reporter writes.
private final class Capture {
    var pieces: [String] = []
    var text: String { pieces.joined() }
    var sink: TextSink { TextSink { [unowned self] in self.pieces.append($0) } }
}

private func record(
    fold: Int, epoch: Int, validationLoss: Double, accuracy: Double = 0.9876, seconds: Double,
    trainLoss: Double = 0.1234, imagesPerSecond: Double = 4512.3
) -> EpochRecord {
    EpochRecord(
        fold: fold, epoch: epoch, trainLoss: trainLoss, validationLoss: validationLoss,
        validationAccuracy: accuracy, imagesPerSecond: imagesPerSecond, seconds: seconds, learningRate: 0.01)
}

private func batch(_ index: Int, of count: Int, seconds: Double) -> ProgressReporter.BatchProgress {
    .init(fold: 1, epoch: 1, batch: index, batchCount: count, runningLoss: 0.5, images: index * 100, seconds: seconds)
}

@Suite("Progress reporter")
struct ProgressReporterTests {
    @Test("plain mode prints one line per epoch with the run's ETA, per fold, and a summary table")
    func plainLines() {
        let capture = Capture()
        var reporter = ProgressReporter(mode: .plain, foldCount: 2, epochCount: 3, sink: capture.sink)
        reporter.batchFinished(batch(1, of: 10, seconds: 0.5))
        reporter.epochFinished(record(fold: 1, epoch: 1, validationLoss: 0.3, accuracy: 0.9, seconds: 10))
        reporter.epochFinished(record(fold: 1, epoch: 2, validationLoss: 0.2, accuracy: 0.95, seconds: 20))
        reporter.foldFinished(1)  // stopped early: one planned epoch of fold 1 is never run
        reporter.epochFinished(
            record(
                fold: 2, epoch: 1, validationLoss: 0.25, accuracy: 0.93, seconds: 30, trainLoss: 2.5,
                imagesPerSecond: 987.4))
        reporter.foldFinished(2)
        reporter.runFinished(seconds: 65)
        // ETAs: 5 epochs left × 10 s; 4 × 15 s; after fold 1 stops, 2 epochs of fold 2 × 20 s.
        #expect(
            capture.text == """
                fold 1/2 epoch 1/3 train_loss 0.1234 val_loss 0.3000 val_acc 90.00% 4,512 img/s 10.0 s ETA 0:50
                fold 1/2 epoch 2/3 train_loss 0.1234 val_loss 0.2000 val_acc 95.00% 4,512 img/s 20.0 s ETA 1:00
                fold 1/2 finished: best epoch 2 val_loss 0.2000 val_acc 95.00% in 0:30
                fold 2/2 epoch 1/3 train_loss 2.5000 val_loss 0.2500 val_acc 93.00% 987 img/s 30.0 s ETA 0:40
                fold 2/2 finished: best epoch 1 val_loss 0.2500 val_acc 93.00% in 0:30
                fold  best epoch  val_loss  val_acc  time
                1              2    0.2000   95.00%  0:30
                2              1    0.2500   93.00%  0:30
                mean                0.2250   94.00%
                total time 1:05

                """)
    }

    @Test("a revised plan shows each fold's own epochs and counts them in the ETA")
    func revisedPlan() {
        let capture = Capture()
        var reporter = ProgressReporter(mode: .plain, foldCount: 3, epochCount: 3, sink: capture.sink)
        reporter.epochFinished(record(fold: 1, epoch: 1, validationLoss: 0.3, seconds: 10))
        reporter.replanned(epochs: 1, folds: [2, 3])
        reporter.epochFinished(record(fold: 1, epoch: 2, validationLoss: 0.2, seconds: 10))
        reporter.epochFinished(record(fold: 1, epoch: 3, validationLoss: 0.1, seconds: 10))
        reporter.epochFinished(record(fold: 2, epoch: 1, validationLoss: 0.2, seconds: 10))
        // ETAs: 2 + 3 + 3 epochs left × 10 s, then 1 + 1 + 1, 1 + 1, 1.
        let lines = capture.text.split(separator: "\n").map { line in
            let words = line.split(separator: " ")
            return "\(words[3]) \(words[words.count - 1])"
        }
        #expect(lines == ["1/3 1:20", "2/3 0:30", "3/3 0:20", "1/1 0:10"])
    }

    @Test("the ETA counts only the folds this process trains and the epochs a resumed fold has left")
    func etaOfOneResumedFold() {
        let capture = Capture()
        var reporter = ProgressReporter(mode: .plain, foldCount: 5, epochCount: 3, sink: capture.sink)
        reporter.willTrain(folds: [2])
        reporter.foldResumed(2, epochs: 1, batches: 0, batchCount: 10)
        reporter.epochFinished(record(fold: 2, epoch: 2, validationLoss: 0.2, seconds: 10))
        #expect(capture.text.hasSuffix("ETA 0:10\n"), "one epoch of fold 2 left: \(capture.text)")
    }

    @Test("a resumed fold says where it goes on from, mid-epoch or at an epoch's start, in plain mode only")
    func resumedFold() {
        let capture = Capture()
        var reporter = ProgressReporter(mode: .plain, foldCount: 5, epochCount: 30, sink: capture.sink)
        reporter.foldResumed(2, epochs: 3, batches: 21, batchCount: 336)
        reporter.foldResumed(4, epochs: 7, batches: 0, batchCount: 336)
        #expect(capture.text == "fold 2/5 resumed: epoch 4 at batch 22/336\nfold 4/5 resumed: epoch 8\n")
        let quiet = Capture()
        var silent = ProgressReporter(mode: .json, foldCount: 5, epochCount: 30, sink: quiet.sink)
        silent.foldResumed(2, epochs: 3, batches: 21, batchCount: 336)
        #expect(quiet.text == "")
    }

    @Test("json mode prints one object per epoch with a best flag")
    func jsonLines() throws {
        let capture = Capture()
        var reporter = ProgressReporter(mode: .json, foldCount: 5, epochCount: 100, sink: capture.sink)
        reporter.epochFinished(record(fold: 1, epoch: 3, validationLoss: 0.0567, seconds: 10.6))
        reporter.epochFinished(record(fold: 1, epoch: 4, validationLoss: 0.06, seconds: 10.6))
        reporter.epochFinished(record(fold: 2, epoch: 1, validationLoss: .nan, seconds: 1e-7))
        reporter.foldFinished(1)
        reporter.runFinished(seconds: 100)
        let lines = capture.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(
            lines == [
                #"{"fold":1,"epoch":3,"train_loss":0.1234,"val_loss":0.0567,"val_accuracy":0.9876,"images_per_second":4512.3,"seconds":10.6,"best":true}"#,
                #"{"fold":1,"epoch":4,"train_loss":0.1234,"val_loss":0.06,"val_accuracy":0.9876,"images_per_second":4512.3,"seconds":10.6,"best":false}"#,
                #"{"fold":2,"epoch":1,"train_loss":0.1234,"val_loss":null,"val_accuracy":0.9876,"images_per_second":4512.3,"seconds":1e-07,"best":false}"#,
                "",
            ])
        for line in lines.dropLast() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?.count == 8)
        }
    }

    @Test("quiet mode prints nothing")
    func quiet() {
        let capture = Capture()
        var reporter = ProgressReporter(mode: .quiet, foldCount: 1, epochCount: 1, sink: capture.sink)
        reporter.batchFinished(batch(1, of: 1, seconds: 1))
        reporter.epochFinished(record(fold: 1, epoch: 1, validationLoss: 0.1, seconds: 1))
        reporter.foldFinished(1)
        reporter.runFinished(seconds: 1)
        #expect(capture.pieces.isEmpty)
    }

    @Test("terminal mode redraws the bar in place, throttled, then leaves a line per epoch")
    func terminalRedraws() {
        let capture = Capture()
        var reporter = ProgressReporter(
            mode: .terminal, foldCount: 2, epochCount: 3, sink: capture.sink, useColour: false)
        for (index, seconds) in [0.0, 0.05, 0.12, 0.15, 0.25].enumerated() {
            reporter.batchFinished(batch(index + 1, of: 24, seconds: seconds))
        }
        reporter.batchFinished(batch(12, of: 24, seconds: 2))
        reporter.batchFinished(batch(24, of: 24, seconds: 2.01))
        let erase = "\r\u{1B}[2K"
        // Drawn at 0 (first), 0.12, 0.25, 2 and 2.01 (the last batch always).
        #expect(capture.pieces.count == 5 && capture.pieces.allSatisfy { $0.hasPrefix(erase) })
        // Half done in 2 s: 2 s left in the epoch, 4 s an epoch for the 5 epochs after it.
        #expect(
            capture.pieces[3] == erase
                + "fold 1/2 epoch 1/3 ━━━━━━━━━━━━──────────── 12/24 loss 0.5000 600 img/s ETA 0:02 run 0:22")
        #expect(capture.pieces[4].contains("━━━━━━━━━━━━━━━━━━━━━━━━ 24/24"))

        reporter.epochFinished(record(fold: 1, epoch: 1, validationLoss: 0.3, seconds: 2.5))
        #expect(capture.pieces.last?.hasPrefix(erase + "fold 1/2 epoch 1/3 train_loss 0.1234") == true)
        #expect(capture.pieces.last?.hasSuffix(" best\n") == true)
        reporter.batchFinished(batch(1, of: 24, seconds: 0.01))
        #expect(capture.pieces.count == 7, "a new epoch draws its first batch at once")
        reporter.clearLiveLine()
        #expect(capture.pieces.last == erase)
        reporter.clearLiveLine()
        #expect(capture.pieces.last == "")
    }

    @Test("terminal redraws stay at or under ten a second")
    func throttle() {
        let capture = Capture()
        var reporter = ProgressReporter(mode: .terminal, foldCount: 1, epochCount: 1, sink: capture.sink)
        for index in 1...1000 { reporter.batchFinished(batch(index, of: 1000, seconds: Double(index) * 0.001)) }
        #expect((10...11).contains(capture.pieces.count))
        #expect(capture.pieces.last?.contains("1000/1000") == true)
        #expect(capture.pieces[0].contains("\u{1B}[36m"), "the bar is coloured")
    }

    @Test(
        "durations and counts format as people read them",
        arguments: [
            (7.4, "0:07"), (62, "1:02"), (3723, "1:02:03"), (-1, "--:--"), (.infinity, "--:--"),
        ])
    func durations(seconds: Double, text: String) {
        #expect(ProgressText.duration(seconds) == text)
    }

    @Test(
        "thousands are grouped", arguments: [(0.4, "0"), (999.5, "1,000"), (4512.3, "4,512"), (1_234_567, "1,234,567")])
    func grouping(value: Double, text: String) {
        #expect(ProgressText.grouped(value) == text)
    }
}

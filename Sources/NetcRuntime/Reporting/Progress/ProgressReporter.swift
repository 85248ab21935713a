import NetcGraph

/// What the user sees while `netc train` runs: a live bar, plain lines, JSON lines, or nothing.
///
/// The trainer calls one method per event (``batchFinished(_:)``, ``epochFinished(_:)``,
/// ``foldFinished(_:)``, ``runFinished(seconds:)``) and the reporter writes to its ``TextSink`` in the chosen
/// ``Mode``. Times come with the events, so output depends only on them (tests replay events exactly).
/// Terminal redraws are throttled to one per `redrawInterval` seconds of epoch time, first and last batch
/// always drawn. The CLI picks the mode: `terminal` when standard output is a TTY, `plain` otherwise.
public struct ProgressReporter {
    /// How progress is shown.
    public enum Mode: String, CaseIterable, Sendable {
        /// A live bar per epoch, redrawn in place with `\r` and erase-line, in colour; a line per epoch
        /// stays behind; a summary table at the end.
        case terminal
        /// One line per epoch and per fold, and a summary table: for pipes, logs and CI.
        case plain
        /// One JSON object per epoch per line, for tools.
        case json
        /// Nothing; errors are the caller's to print.
        case quiet
    }

    /// How far the current epoch has got, as reported after each batch.
    public struct BatchProgress: Equatable, Sendable {
        /// The 1-based fold.
        public var fold: Int
        /// The 1-based epoch within the fold.
        public var epoch: Int
        /// The 1-based batch just finished.
        public var batch: Int
        /// Batches in the epoch.
        public var batchCount: Int
        /// Mean training loss over the epoch's batches so far.
        public var runningLoss: Double
        /// Training images processed in this epoch so far (since it was resumed, for an epoch resumed midway).
        public var images: Int
        /// Seconds since the epoch started.
        public var seconds: Double

        /// Creates a progress report; see the properties for units.
        public init(
            fold: Int, epoch: Int, batch: Int, batchCount: Int, runningLoss: Double, images: Int, seconds: Double
        ) {
            self.fold = fold
            self.epoch = epoch
            self.batch = batch
            self.batchCount = batchCount
            self.runningLoss = runningLoss
            self.images = images
            self.seconds = seconds
        }
    }

    /// The chosen output form.
    public let mode: Mode
    /// Folds in the run.
    public let foldCount: Int
    /// Epochs planned per fold (a fold may stop early).
    public private(set) var epochCount: Int
    /// The run's rule for the best epoch, which the lines mark and the summaries name.
    public let bestEpoch: BestEpoch
    let sink: TextSink
    let useColour: Bool
    let redrawInterval: Double

    /// Every epoch reported so far, in order.
    private(set) var records: [EpochRecord] = []
    /// The epochs of folds (1-based) whose time-budget plan was revised, where they differ from `epochCount`.
    private var revisedEpochCounts: [Int: Int] = [:]
    /// The folds (1-based) this process trains, when it trains only some (`--fold K`); nil for all.
    private var trainedFolds: Set<Int>?
    /// Epochs of resumed folds (1-based) finished before this process started.
    private var epochsDoneBefore: [Int: Int] = [:]
    /// Folds reported finished, possibly before their last planned epoch.
    private(set) var finishedFolds: Set<Int> = []
    /// The epoch time of the last terminal redraw in the current epoch, `nil` before the first.
    var lastRedraw: Double?
    /// Whether a live bar is on screen and must be erased before other output.
    var liveLineShown = false

    /// Creates a reporter for a run of `foldCount` folds of up to `epochCount` epochs.
    ///
    /// `useColour` applies to terminal mode only; `redrawInterval` (seconds, default 0.1) limits redraws.
    public init(
        mode: Mode, foldCount: Int, epochCount: Int, bestEpoch: BestEpoch = .loss, sink: TextSink = .standardOutput,
        useColour: Bool = true, redrawInterval: Double = 0.1
    ) {
        self.mode = mode
        self.foldCount = foldCount
        self.epochCount = epochCount
        self.bestEpoch = bestEpoch
        self.sink = sink
        self.useColour = useColour
        self.redrawInterval = redrawInterval
    }

    /// Reports a finished batch: redraws the live bar in terminal mode (throttled), nothing otherwise.
    public mutating func batchFinished(_ progress: BatchProgress) {
        guard mode == .terminal else { return }
        let isLast = progress.batch >= progress.batchCount
        if let lastRedraw, !isLast, progress.seconds - lastRedraw < redrawInterval { return }
        lastRedraw = progress.seconds
        sink.write("\r\u{1B}[2K" + liveLine(progress))
        liveLineShown = true
    }

    /// Reports a finished epoch: a line in terminal and plain mode, a JSON object in json mode.
    public mutating func epochFinished(_ record: EpochRecord) {
        let best = bestEpoch.best(
            of: records.filter { $0.fold == record.fold }, epoch: \.epoch, validation: \.validation)
        let isBest = bestEpoch.improves(record.validation, on: best?.validation)
        records.append(record)
        lastRedraw = nil
        switch mode {
        case .terminal:
            let mark = isBest ? " " + styled("best", .green) : ""
            sink.write(eraseLiveLine() + styled(epochLine(record), isBest ? .bold : .plain) + mark + "\n")
        case .plain:
            sink.write(epochLine(record) + "\n")
        case .json:
            sink.write(jsonLine(record, isBest: isBest) + "\n")
        case .quiet:
            break
        }
    }

    /// Reports that `fold` (1-based) goes on from a saved state: after `epochs` finished epochs and `batches` of
    /// the next (of `batchCount`), in terminal and plain mode.
    public mutating func foldResumed(_ fold: Int, epochs: Int, batches: Int, batchCount: Int) {
        epochsDoneBefore[fold] = epochs
        guard mode == .terminal || mode == .plain else { return }
        let place = batches > 0 ? "epoch \(epochs + 1) at batch \(batches + 1)/\(batchCount)" : "epoch \(epochs + 1)"
        sink.write(eraseLiveLine() + "fold \(fold)/\(foldCount) resumed: \(place)\n")
    }

    /// Reports a note about the run, such as a time budget's plan: a line in terminal and plain mode, a JSON
    /// object `{"message": ...}` in json mode.
    public mutating func message(_ text: String) {
        switch mode {
        case .terminal: sink.write(eraseLiveLine() + text + "\n")
        case .plain: sink.write(text + "\n")
        case .json: sink.write("{\"message\":\(ProgressText.jsonString(text))}\n")
        case .quiet: break
        }
    }

    /// Starts over with `epochs` epochs per fold: the epochs reported so far were a time budget's timing run,
    /// which the planned schedule replaces.
    public mutating func planned(epochs: Int) {
        epochCount = epochs
        records = []
    }

    /// Says which folds (1-based) this process trains, when not all of them, so that the ETA counts only those.
    public mutating func willTrain(folds: [Int]) {
        trainedFolds = Set(folds)
    }

    /// Sets the epochs of `folds` (1-based), whose plan was revised (or is the revised one of a resumed run).
    public mutating func replanned(epochs: Int, folds: [Int]) {
        for fold in folds { revisedEpochCounts[fold] = epochs }
    }

    /// The epochs fold `fold` (1-based) trains.
    func epochCount(ofFold fold: Int) -> Int {
        revisedEpochCounts[fold] ?? epochCount
    }

    /// Reports that `fold` (1-based) is done, early-stopped or not: its best epoch in terminal and plain mode.
    public mutating func foldFinished(_ fold: Int) {
        finishedFolds.insert(fold)
        guard mode == .terminal || mode == .plain, let summary = foldSummary(fold) else { return }
        let best =
            summary.best.map {
                "best epoch \($0.epoch) val_loss \(ProgressText.loss($0.validationLoss)) "
                    + "val_acc \(ProgressText.percent($0.validationAccuracy))"
            } ?? "no epoch with a finite validation loss"
        let line = "fold \(fold)/\(foldCount) finished: \(best) in \(ProgressText.duration(summary.seconds))"
        sink.write(eraseLiveLine() + styled(line, .green) + "\n")
    }

    /// Reports the end of the run, which took `seconds` in all: the summary table in terminal and plain mode.
    public mutating func runFinished(seconds: Double) {
        guard mode == .terminal || mode == .plain else { return }
        sink.write(eraseLiveLine() + summaryTable(totalSeconds: seconds))
    }

    /// Erases the live bar, if one is shown, so the caller can print an error on a clean line.
    public mutating func clearLiveLine() {
        sink.write(eraseLiveLine())
    }

    /// The plain form of an epoch: `fold 1/5 epoch 3/100 train_loss 0.1234 val_loss 0.0567 val_acc 98.76%
    /// 4,512 img/s 10.6 s ETA 1:02:03`, the ETA being for the rest of the run.
    func epochLine(_ record: EpochRecord) -> String {
        "fold \(record.fold)/\(foldCount) epoch \(record.epoch)/\(epochCount(ofFold: record.fold)) "
            + "train_loss \(ProgressText.loss(record.trainLoss)) val_loss \(ProgressText.loss(record.validationLoss)) "
            + "val_acc \(ProgressText.percent(record.validationAccuracy)) "
            + (record.average.map { "ema_val_acc \(ProgressText.percent($0.accuracy)) " } ?? "")
            + "\(ProgressText.grouped(record.imagesPerSecond)) img/s \(ProgressText.seconds(record.seconds)) "
            + "ETA \(ProgressText.duration(remainingEpochs() * meanEpochSeconds))"
    }

    /// The JSON form of an epoch, fields in a fixed order.
    func jsonLine(_ record: EpochRecord, isBest: Bool) -> String {
        "{\"fold\":\(record.fold),\"epoch\":\(record.epoch),"
            + "\"train_loss\":\(ProgressText.jsonNumber(record.trainLoss)),"
            + "\"val_loss\":\(ProgressText.jsonNumber(record.validationLoss)),"
            + "\"val_accuracy\":\(ProgressText.jsonNumber(record.validationAccuracy)),"
            + (record.average.map {
                "\"ema_val_loss\":\(ProgressText.jsonNumber($0.loss)),"
                    + "\"ema_val_accuracy\":\(ProgressText.jsonNumber($0.accuracy)),"
            } ?? "")
            + "\"images_per_second\":\(ProgressText.jsonNumber(record.imagesPerSecond)),"
            + "\"seconds\":\(ProgressText.jsonNumber(record.seconds)),\"best\":\(isBest)}"
    }

    /// Epochs this process still has to run after those reported, given the plan, the folds it trains, the
    /// finished folds and the epochs resumed folds had done before.
    func remainingEpochs() -> Double {
        let unfinished = (1...max(foldCount, 1)).filter {
            trainedFolds?.contains($0) ?? true && !finishedFolds.contains($0)
        }
        return Double(
            unfinished.map { fold in
                let done = (epochsDoneBefore[fold] ?? 0) + records.filter { $0.fold == fold }.count
                return max(0, epochCount(ofFold: fold) - done)
            }
            .reduce(0, +))
    }

    /// The mean wall time of the epochs reported so far, 0 before the first.
    var meanEpochSeconds: Double {
        records.isEmpty ? 0 : records.map(\.seconds).reduce(0, +) / Double(records.count)
    }
}

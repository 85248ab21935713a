/// The end-of-fold and end-of-run summaries.
extension ProgressReporter {
    /// A fold's best epoch (by ``bestEpoch``; nil when no validation loss was finite) and its total time.
    struct FoldSummary: Equatable {
        let fold: Int
        let best: EpochRecord?
        let seconds: Double
    }

    /// The summary of `fold`, or `nil` when no epoch of it was reported.
    func foldSummary(_ fold: Int) -> FoldSummary? {
        let epochs = records.filter { $0.fold == fold }
        guard !epochs.isEmpty else { return nil }
        return FoldSummary(
            fold: fold, best: bestEpoch.best(of: epochs, epoch: \.epoch, validation: \.validation),
            seconds: epochs.map(\.seconds).reduce(0, +))
    }

    /// The table of every fold's best epoch, the mean over folds when there are several, and the total time.
    ///
    /// ```
    /// fold  best epoch  val_loss  val_acc  time
    ///    1          12    0.0312   99.21%  2:03
    /// total time 10:15
    /// ```
    func summaryTable(totalSeconds: Double) -> String {
        let summaries = (1...max(foldCount, 1)).compactMap(foldSummary)
        let header = ["fold", "best epoch", "val_loss", "val_acc", "time"]
        var rows = summaries.map { summary in
            let best = summary.best
            return [
                "\(summary.fold)", best.map { "\($0.epoch)" } ?? "none",
                best.map { ProgressText.loss($0.validationLoss) } ?? "-",
                best.map { ProgressText.percent($0.validationAccuracy) } ?? "-", ProgressText.duration(summary.seconds),
            ]
        }
        let bests = summaries.compactMap(\.best)
        if bests.count > 1 {
            let count = Double(bests.count)
            rows.append([
                "mean", "", ProgressText.loss(bests.map(\.validationLoss).reduce(0, +) / count),
                ProgressText.percent(bests.map(\.validationAccuracy).reduce(0, +) / count), "",
            ])
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let format = { (cells: [String]) in
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        let trimmed = { (line: String) in String(line.reversed().drop { $0 == " " }.reversed()) }
        var lines = [styled(format(header), .bold)] + rows.map { trimmed(format($0)) }
        lines.append("total time \(ProgressText.duration(totalSeconds))")
        return lines.joined(separator: "\n") + "\n"
    }
}

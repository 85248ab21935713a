/// The end-of-fold and end-of-run summaries.
extension ProgressReporter {
    /// A fold's best epoch (lowest validation loss, earliest of equals) and its total time.
    struct FoldSummary: Equatable {
        let fold: Int
        let bestEpoch: Int
        let validationLoss: Double
        let validationAccuracy: Double
        let seconds: Double
    }

    /// The summary of `fold`, or `nil` when no epoch of it was reported.
    func foldSummary(_ fold: Int) -> FoldSummary? {
        let epochs = records.filter { $0.fold == fold }
        let best =
            epochs.filter(\.validationLoss.isFinite).min {
                ($0.validationLoss, $0.epoch) < ($1.validationLoss, $1.epoch)
            } ?? epochs.first
        guard let best else { return nil }
        return FoldSummary(
            fold: fold, bestEpoch: best.epoch, validationLoss: best.validationLoss,
            validationAccuracy: best.validationAccuracy, seconds: epochs.map(\.seconds).reduce(0, +))
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
            [
                "\(summary.fold)", "\(summary.bestEpoch)", ProgressText.loss(summary.validationLoss),
                ProgressText.percent(summary.validationAccuracy), ProgressText.duration(summary.seconds),
            ]
        }
        if summaries.count > 1 {
            let count = Double(summaries.count)
            rows.append([
                "mean", "", ProgressText.loss(summaries.map(\.validationLoss).reduce(0, +) / count),
                ProgressText.percent(summaries.map(\.validationAccuracy).reduce(0, +) / count), "",
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

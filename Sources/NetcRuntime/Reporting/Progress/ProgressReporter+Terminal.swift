/// The terminal form: ANSI styles, the live bar and erasing it.
extension ProgressReporter {
    /// The ANSI styles progress output uses.
    enum Style: String {
        case plain = ""
        case bold = "1"
        case dim = "2"
        case green = "32"
        case cyan = "36"
    }

    /// Characters in the bar.
    static let barWidth = 24

    /// `text` in `style` when colour is on in terminal mode, unchanged otherwise.
    func styled(_ text: String, _ style: Style) -> String {
        guard mode == .terminal, useColour, style != .plain else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }

    /// The escape codes that return to the start of the live bar's line and clear it, or "" when none is shown.
    mutating func eraseLiveLine() -> String {
        guard liveLineShown else { return "" }
        liveLineShown = false
        return "\r\u{1B}[2K"
    }

    /// The live line, with the epoch's and the run's ETA:
    /// `fold 1/5 epoch 3/100 ━━━━━╸─── 120/469 loss 0.1234 4,512 img/s ETA 0:07 run 1:02:03`.
    func liveLine(_ progress: BatchProgress) -> String {
        let done = Double(progress.batch) / Double(max(progress.batchCount, 1))
        let secondsPerBatch = progress.seconds / Double(max(progress.batch, 1))
        let epochRemaining = secondsPerBatch * Double(max(progress.batchCount - progress.batch, 0))
        let epochSeconds = records.isEmpty ? secondsPerBatch * Double(progress.batchCount) : meanEpochSeconds
        let runRemaining = epochRemaining + max(remainingEpochs() - 1, 0) * epochSeconds
        let imagesPerSecond = progress.seconds > 0 ? Double(progress.images) / progress.seconds : 0
        let epochs = epochCount(ofFold: progress.fold)
        return styled("fold \(progress.fold)/\(foldCount) epoch \(progress.epoch)/\(epochs)", .bold) + " "
            + bar(fraction: done) + " \(progress.batch)/\(progress.batchCount)"
            + " loss \(ProgressText.loss(progress.runningLoss)) \(ProgressText.grouped(imagesPerSecond)) img/s "
            + styled("ETA \(ProgressText.duration(epochRemaining)) run \(ProgressText.duration(runRemaining))", .dim)
    }

    /// A bar `barWidth` characters wide, filled to `fraction` (0...1) with a half-cell tip.
    func bar(fraction: Double) -> String {
        let halves = Int((min(max(fraction, 0), 1) * Double(Self.barWidth * 2)).rounded(.down))
        let full = halves / 2
        let tip = halves % 2 == 1 ? "╸" : ""
        let empty = Self.barWidth - full - tip.count
        return styled(String(repeating: "━", count: full) + tip, .cyan)
            + styled(String(repeating: "─", count: empty), .dim)
    }
}

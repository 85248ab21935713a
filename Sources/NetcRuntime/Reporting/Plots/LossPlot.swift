import NetcGraph

/// The loss-curve figure written as `losses.svg`: one panel per fold plus one for the average over folds.
///
/// Each panel shows training and validation loss per epoch, marks the best epoch (``BestEpoch``)
/// and annotates it with that loss and the validation accuracy. All panels share one epoch axis and one
/// loss axis (logarithmic when the losses span more than a factor of ten) so folds compare at a glance.
/// A run in progress draws fine: folds without epochs yet get an empty "waiting" panel.
///
/// ```swift
/// let svg = LossPlot(records: history, foldCount: 5, epochCount: 100).svg()
/// ```
public struct LossPlot: Sendable {
    /// One epoch's numbers as the plot needs them.
    public struct Epoch: Equatable, Sendable {
        /// The 1-based epoch.
        public var epoch: Int
        /// Mean training loss.
        public var trainLoss: Double
        /// Mean validation loss.
        public var validationLoss: Double
        /// Validation accuracy as a fraction, 0...1.
        public var validationAccuracy: Double

        /// Creates one epoch's point.
        public init(epoch: Int, trainLoss: Double, validationLoss: Double, validationAccuracy: Double) {
            self.epoch = epoch
            self.trainLoss = trainLoss
            self.validationLoss = validationLoss
            self.validationAccuracy = validationAccuracy
        }

        /// The validation loss and accuracy, as ``BestEpoch`` compares them.
        var validation: EpochRecord.Validation {
            EpochRecord.Validation(loss: validationLoss, accuracy: validationAccuracy)
        }

        /// The point for a trainer's epoch record.
        public init(_ record: EpochRecord) {
            self.init(
                epoch: record.epoch, trainLoss: record.trainLoss, validationLoss: record.validationLoss,
                validationAccuracy: record.validationAccuracy)
        }
    }

    /// The epochs of each fold, fold 1 first; a fold's epochs may be missing or out of order.
    public var folds: [[Epoch]]
    /// The number of folds the run will have, at least `folds.count`; decides the panel grid.
    public var foldCount: Int
    /// The number of epochs per fold the run plans, if known; widens the epoch axis ahead of the data.
    public var epochCount: Int?
    /// The run's rule for the best epoch each panel marks.
    public var bestEpoch: BestEpoch

    /// Creates the figure for `folds`, of `foldCount` planned folds (default: as many as given).
    public init(folds: [[Epoch]], foldCount: Int? = nil, epochCount: Int? = nil, bestEpoch: BestEpoch = .loss) {
        self.folds = folds
        self.foldCount = max(foldCount ?? folds.count, folds.count, 1)
        self.epochCount = epochCount
        self.bestEpoch = bestEpoch
    }

    /// Creates the figure from epoch records in any order, grouped by their 1-based `fold`.
    public init(records: [EpochRecord], foldCount: Int? = nil, epochCount: Int? = nil, bestEpoch: BestEpoch = .loss) {
        let lastFold = max(records.map(\.fold).max() ?? 0, foldCount ?? 0)
        let folds = (1...max(lastFold, 1)).map { fold in records.filter { $0.fold == fold }.map(Epoch.init) }
        self.init(folds: folds, foldCount: foldCount, epochCount: epochCount, bestEpoch: bestEpoch)
    }

    /// The panels in reading order: "fold 1" … "fold K", then "average" when there are several folds.
    var panels: [LossPanel] {
        let perFold = (0..<foldCount).map { index in
            LossPanel(
                title: "fold \(index + 1)", epochs: index < folds.count ? folds[index] : [], bestEpoch: bestEpoch)
        }
        guard foldCount > 1 else { return perFold }
        return perFold + [LossPanel(title: "average", epochs: averageOverFolds, bestEpoch: bestEpoch)]
    }

    /// Each epoch's losses and accuracy averaged over the folds that have reached it.
    var averageOverFolds: [Epoch] {
        let byEpoch = Dictionary(grouping: folds.joined(), by: \.epoch)
        return byEpoch.keys.sorted().compactMap { epoch in
            guard let epochs = byEpoch[epoch] else { return nil }
            let count = Double(epochs.count)
            return Epoch(
                epoch: epoch,
                trainLoss: epochs.map(\.trainLoss).reduce(0, +) / count,
                validationLoss: epochs.map(\.validationLoss).reduce(0, +) / count,
                validationAccuracy: epochs.map(\.validationAccuracy).reduce(0, +) / count)
        }
    }

    /// The complete SVG document.
    public func svg() -> String {
        let panels = self.panels
        let layout = LossPlotLayout(panelCount: panels.count)
        let allEpochs = panels.flatMap(\.epochs)
        let epochAxis = AxisScale.forEpochs(through: max(epochCount ?? 0, allEpochs.map(\.epoch).max() ?? 0))
        let lossAxis = AxisScale.forLosses(allEpochs.flatMap { [$0.trainLoss, $0.validationLoss] })

        var document = SVGDocument(width: layout.width, height: layout.height)
        document.add(
            svgText(
                "Training and validation loss per epoch", x: layout.width / 2, y: 26,
                attributes: "text-anchor=\"middle\" font-size=\"16\" font-weight=\"600\""))
        for (index, panel) in panels.enumerated() {
            let origin = layout.origin(ofPanel: index)
            document.add(
                panel.svg(
                    at: origin, frame: LossPlotLayout.plotFrame, epochAxis: epochAxis, lossAxis: lossAxis))
        }
        return document.text
    }
}

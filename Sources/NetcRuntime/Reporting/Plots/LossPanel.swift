import Foundation
import NetcGraph

/// One panel of a ``LossPlot``: a fold's (or the average's) training and validation curves on shared axes.
struct LossPanel {
    /// The colours of the two curves and of the best-epoch marker.
    static let trainColour = "#1f77b4"
    static let validationColour = "#ff7f0e"
    static let bestColour = "#d62728"

    /// "fold 3" or "average".
    let title: String
    /// The panel's epochs in any order.
    let epochs: [LossPlot.Epoch]
    /// The run's rule for the best epoch.
    let bestEpoch: BestEpoch

    /// The best epoch, if any.
    var best: LossPlot.Epoch? {
        bestEpoch.best(of: epochs, epoch: \.epoch, validation: \.validation)
    }

    /// The panel as an SVG group translated to `origin`, its data drawn inside `frame`.
    func svg(at origin: (x: Double, y: Double), frame: PlotFrame, epochAxis: AxisScale, lossAxis: AxisScale) -> String {
        var parts = ["<g class=\"panel\" transform=\"translate(\(svgNumber(origin.x)),\(svgNumber(origin.y)))\">"]
        parts.append(
            svgText(
                title, x: frame.x + frame.width / 2, y: 22,
                attributes: "class=\"panel-title\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\""))
        parts.append(
            "<rect class=\"plot-area\" x=\"\(svgNumber(frame.x))\" y=\"\(svgNumber(frame.y))\" "
                + "width=\"\(svgNumber(frame.width))\" height=\"\(svgNumber(frame.height))\" "
                + "fill=\"#fcfcfc\" stroke=\"#b0b0b0\"/>")
        parts += axes(frame: frame, epochAxis: epochAxis, lossAxis: lossAxis)
        let place = { (epoch: Int, loss: Double) -> (x: Double, y: Double) in
            (
                frame.x + epochAxis.fraction(of: Double(epoch)) * frame.width,
                frame.maxY - lossAxis.fraction(of: loss) * frame.height
            )
        }
        let sorted = epochs.sorted { $0.epoch < $1.epoch }
        if sorted.isEmpty {
            parts.append(
                svgText(
                    "waiting for data", x: frame.x + frame.width / 2, y: frame.y + frame.height / 2,
                    attributes: "text-anchor=\"middle\" fill=\"#999999\""))
        } else {
            parts.append(
                curve(sorted, kind: "train", colour: Self.trainColour, axis: lossAxis, place: place) {
                    $0.trainLoss
                })
            parts.append(
                curve(
                    sorted, kind: "validation", colour: Self.validationColour, axis: lossAxis, place: place
                ) {
                    $0.validationLoss
                })
            if let best, lossAxis.canPlace(best.validationLoss) {
                parts += bestMarker(best, at: place(best.epoch, best.validationLoss), frame: frame)
            }
            parts += legend(frame: frame)
        }
        parts.append("</g>")
        return parts.joined(separator: "\n")
    }

    /// Grid lines, ticks, tick labels and the two axis titles.
    private func axes(frame: PlotFrame, epochAxis: AxisScale, lossAxis: AxisScale) -> [String] {
        var parts: [String] = []
        for tick in lossAxis.ticks {
            let y = frame.maxY - lossAxis.fraction(of: tick) * frame.height
            parts.append(svgLine(x1: frame.x, y1: y, x2: frame.maxX, y2: y, stroke: "#e6e6e6"))
            parts.append(svgLine(x1: frame.x - 4, y1: y, x2: frame.x, y2: y, stroke: "#555555"))
            parts.append(
                svgText(
                    lossAxis.label(for: tick), x: frame.x - 7, y: y + 4,
                    attributes: "text-anchor=\"end\" font-size=\"11\" fill=\"#333333\""))
        }
        for tick in epochAxis.ticks {
            let x = frame.x + epochAxis.fraction(of: tick) * frame.width
            parts.append(svgLine(x1: x, y1: frame.maxY, x2: x, y2: frame.maxY + 4, stroke: "#555555"))
            parts.append(
                svgText(
                    epochAxis.label(for: tick), x: x, y: frame.maxY + 17,
                    attributes: "text-anchor=\"middle\" font-size=\"11\" fill=\"#333333\""))
        }
        parts.append(
            svgText(
                "epoch", x: frame.x + frame.width / 2, y: frame.maxY + 34,
                attributes: "text-anchor=\"middle\" fill=\"#333333\""))
        let lossTitle = lossAxis.isLogarithmic ? "loss (log scale)" : "loss"
        let middle = frame.y + frame.height / 2
        parts.append(
            svgText(
                lossTitle, x: 14, y: middle,
                attributes: "text-anchor=\"middle\" fill=\"#333333\" transform=\"rotate(-90 14 \(svgNumber(middle)))\"")
        )
        return parts
    }

    /// One loss curve through the epochs whose value can be placed on `axis` (a dot when there is one).
    private func curve(
        _ sorted: [LossPlot.Epoch], kind: String, colour: String, axis: AxisScale,
        place: (Int, Double) -> (x: Double, y: Double), value: (LossPlot.Epoch) -> Double
    ) -> String {
        let points = sorted.filter { axis.canPlace(value($0)) }.map { place($0.epoch, value($0)) }
        let coordinates = points.map { "\(svgNumber($0.x)),\(svgNumber($0.y))" }.joined(separator: " ")
        var markup =
            "<polyline class=\"\(kind)\" points=\"\(coordinates)\" fill=\"none\" stroke=\"\(colour)\" "
            + "stroke-width=\"1.8\" stroke-linejoin=\"round\"/>"
        if points.count == 1, let point = points.first {
            markup +=
                "\n<circle cx=\"\(svgNumber(point.x))\" cy=\"\(svgNumber(point.y))\" r=\"2.5\" "
                + "fill=\"\(colour)\"/>"
        }
        return markup
    }

    /// The dot on the validation curve at the best epoch and its note, kept inside the plot area.
    private func bestMarker(_ best: LossPlot.Epoch, at point: (x: Double, y: Double), frame: PlotFrame) -> [String] {
        let loss = String(format: "%.4g", best.validationLoss)
        let note = "best: epoch \(best.epoch), \(loss), \(Percent(best.validationAccuracy))"
        let onLeft = point.x > frame.x + frame.width * 0.55
        let noteY = point.y - 10 < frame.y + 12 ? point.y + 18 : point.y - 10
        let anchor = onLeft ? "end" : "start"
        let noteX = onLeft ? max(point.x - 4, frame.x + 4) : min(point.x + 4, frame.maxX - 4)
        return [
            "<circle class=\"best-epoch\" data-epoch=\"\(best.epoch)\" cx=\"\(svgNumber(point.x))\" "
                + "cy=\"\(svgNumber(point.y))\" r=\"4.5\" fill=\"\(Self.bestColour)\" "
                + "stroke=\"#ffffff\" stroke-width=\"1.5\"/>",
            svgText(
                note, x: noteX, y: noteY,
                attributes: "class=\"best-note\" text-anchor=\"\(anchor)\" font-size=\"11\" "
                    + "fill=\"\(Self.bestColour)\" "
                    + "stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\""),
        ]
    }

    /// The key naming the two curves, in the plot area's top-right corner.
    private func legend(frame: PlotFrame) -> [String] {
        let left = frame.maxX - 92
        let top = frame.y + 6
        var parts = [
            "<rect class=\"legend\" x=\"\(svgNumber(left))\" y=\"\(svgNumber(top))\" width=\"86\" height=\"38\" "
                + "rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#dddddd\"/>"
        ]
        let entries = [("training", Self.trainColour), ("validation", Self.validationColour)]
        for (row, (name, colour)) in entries.enumerated() {
            let y = top + 13 + Double(row) * 16
            parts.append(svgLine(x1: left + 6, y1: y - 4, x2: left + 24, y2: y - 4, stroke: colour, width: 2))
            parts.append(svgText(name, x: left + 29, y: y, attributes: "font-size=\"11\" fill=\"#333333\""))
        }
        return parts
    }
}

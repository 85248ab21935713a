import Foundation
import Testing

@testable import NetcRuntime

/// A fold of epochs 1, 2, 3 … with the given losses and accuracies.
private func fold(train: [Double], validation: [Double], accuracy: [Double]? = nil) -> [LossPlot.Epoch] {
    train.indices.map { index in
        LossPlot.Epoch(
            epoch: index + 1, trainLoss: train[index], validationLoss: validation[index],
            validationAccuracy: accuracy?[index] ?? 0.9)
    }
}

/// The plot area of the only (first) panel and the panel's elements.
private func firstPanel(
    _ elements: [SVGElement]
) throws -> (area: (x: Double, y: Double, w: Double, h: Double), [SVGElement]) {
    let panel = try #require(elements.groups(class: "panel").first)
    let inside = elements.inside(panel)
    let rect = try #require(inside.named("rect", class: "plot-area").first)
    let area = try (
        #require(rect.number("x")), #require(rect.number("y")), #require(rect.number("width")),
        #require(rect.number("height"))
    )
    return (area, inside)
}

/// The points of a `<polyline>`.
private func points(_ polyline: SVGElement) -> [(x: Double, y: Double)] {
    (polyline.attributes["points"] ?? "").split(separator: " ").map { pair in
        let numbers = pair.split(separator: ",").compactMap { Double($0) }
        return (numbers[0], numbers[1])
    }
}

@Suite("Loss plot SVG")
struct LossPlotTests {
    @Test("is a standalone SVG document with a white background and system font")
    func standaloneDocument() throws {
        let svg = LossPlot(folds: [fold(train: [1, 0.5], validation: [1.2, 0.6])]).svg()
        let elements = try parseSVG(svg)
        let root = try #require(elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["width"] == "380" && root.attributes["height"] == "320")
        #expect(root.attributes["viewBox"] == "0 0 380 320")
        #expect(root.attributes["font-family"]?.hasPrefix("system-ui") == true)
        let background = try #require(elements.dropFirst().first)
        #expect(background.name == "rect" && background.attributes["fill"] == "#ffffff")
        #expect(background.attributes["width"] == "100%")
    }

    @Test(
        "one panel per fold plus the average, in a grid sized by the fold count",
        arguments: [(1, 1, 380.0, 320.0), (2, 3, 1140, 320), (3, 4, 760, 600), (5, 6, 1140, 600)])
    func panelGrid(foldCount: Int, panelCount: Int, width: Double, height: Double) throws {
        let folds = (0..<foldCount).map { index in
            fold(train: [2, 1, 0.5], validation: [2.5, 1.1, 0.9 + Double(index) / 10])
        }
        let elements = try parseSVG(LossPlot(folds: folds).svg())
        let titles = elements.named("text", class: "panel-title").map(\.text)
        let expected = (1...foldCount).map { "fold \($0)" } + (foldCount > 1 ? ["average"] : [])
        #expect(titles == expected)
        #expect(elements.groups(class: "panel").count == panelCount)
        #expect(elements.named("polyline", class: "train").count == panelCount)
        #expect(elements.named("polyline", class: "validation").count == panelCount)
        #expect(elements.named("circle", class: "best-epoch").count == panelCount)
        #expect(elements[0].number("width") == width && elements[0].number("height") == height)
    }

    @Test("a linear axis from 0 to 1 puts the best epoch at the lowest validation loss")
    func linearCoordinates() throws {
        let plot = LossPlot(folds: [
            fold(train: [1.0, 0.6, 0.4], validation: [0.8, 0.2, 0.5], accuracy: [0.7, 0.8, 0.75])
        ])
        let (area, panel) = try firstPanel(try parseSVG(plot.svg()))
        let marker = try #require(panel.named("circle", class: "best-epoch").first)
        #expect(marker.attributes["data-epoch"] == "2")
        #expect(abs(try #require(marker.number("cx")) - (area.x + area.w / 2)) < 0.01)
        #expect(abs(try #require(marker.number("cy")) - (area.y + 0.8 * area.h)) < 0.01)
        let validation = points(try #require(panel.named("polyline", class: "validation").first))
        let expected = [
            (area.x, area.y + 0.2 * area.h), (area.x + area.w / 2, area.y + 0.8 * area.h),
            (area.x + area.w, area.y + 0.5 * area.h),
        ]
        #expect(validation.count == 3)
        for (point, wanted) in zip(validation, expected) {
            #expect(abs(point.x - wanted.0) < 0.01 && abs(point.y - wanted.1) < 0.01)
        }
        let lossLabels = panel.named("text").filter { $0.attributes["text-anchor"] == "end" }.map(\.text)
        #expect(lossLabels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(panel.named("text", class: "best-note").first?.text == "best: epoch 2, 0.2, 80.00%")
        #expect(panel.named("text").contains { $0.text == "loss" })
        #expect(panel.named("text").contains { $0.text == "epoch" })
    }

    @Test("losses spanning more than ten times get a log axis with 1-2-5 ticks")
    func logarithmicCoordinates() throws {
        let plot = LossPlot(folds: [fold(train: [1, 0.3, 0.05], validation: [0.5, 0.01, 0.1])])
        let (area, panel) = try firstPanel(try parseSVG(plot.svg()))
        let marker = try #require(panel.named("circle", class: "best-epoch").first)
        #expect(abs(try #require(marker.number("cx")) - (area.x + area.w / 2)) < 0.01)
        #expect(abs(try #require(marker.number("cy")) - (area.y + area.h)) < 0.01)
        let validation = points(try #require(panel.named("polyline", class: "validation").first))
        // 0.5 is log10(0.5) + 2 = 1.699 decades above 0.01, of the axis's 2 decades.
        #expect(abs(validation[0].y - (area.y + area.h * (1 - (log10(0.5) + 2) / 2))) < 0.01)
        #expect(abs(validation[2].y - (area.y + area.h / 2)) < 0.01)
        let lossLabels = panel.named("text").filter { $0.attributes["text-anchor"] == "end" }.map(\.text)
        #expect(lossLabels == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"])
        #expect(panel.named("text").contains { $0.text == "loss (log scale)" })
    }

    @Test("the average panel averages folds epoch by epoch; ties go to the earliest epoch")
    func averagePanel() throws {
        let plot = LossPlot(folds: [
            fold(train: [1, 0.5], validation: [0.4, 0.2], accuracy: [0.9, 0.96]),
            fold(train: [1, 0.5], validation: [0.2, 0.4], accuracy: [0.94, 0.9]),
        ])
        let elements = try parseSVG(plot.svg())
        let notes = elements.named("text", class: "best-note").map(\.text)
        #expect(notes == ["best: epoch 2, 0.2, 96.00%", "best: epoch 1, 0.2, 94.00%", "best: epoch 1, 0.3, 92.00%"])
    }

    @Test("a run in progress draws waiting panels for folds without epochs")
    func runInProgress() throws {
        let records = [
            EpochRecord(
                fold: 1, epoch: 1, trainLoss: 1, validationLoss: 0.9, validationAccuracy: 0.7,
                imagesPerSecond: 1, seconds: 1, learningRate: 0.1),
            EpochRecord(
                fold: 1, epoch: 2, trainLoss: 0.5, validationLoss: 0.6, validationAccuracy: 0.8,
                imagesPerSecond: 1, seconds: 1, learningRate: 0.1),
            EpochRecord(
                fold: 2, epoch: 1, trainLoss: 0.9, validationLoss: 0.8, validationAccuracy: 0.75,
                imagesPerSecond: 1, seconds: 1, learningRate: 0.1),
        ]
        let elements = try parseSVG(LossPlot(records: records, foldCount: 5, epochCount: 50).svg())
        #expect(elements.groups(class: "panel").count == 6)
        #expect(elements.named("text").filter { $0.text == "waiting for data" }.count == 3)
        #expect(elements.named("circle", class: "best-epoch").count == 3)
        let epochLabels = elements.named("text").filter {
            $0.attributes["text-anchor"] == "middle" && Int($0.text) != nil
        }
        #expect(epochLabels.prefix(5).map(\.text) == ["10", "20", "30", "40", "50"])

        let empty = try parseSVG(LossPlot(records: [], foldCount: 3).svg())
        #expect(empty.named("text").filter { $0.text == "waiting for data" }.count == 4)
        #expect(empty.named("circle").isEmpty)
    }
}

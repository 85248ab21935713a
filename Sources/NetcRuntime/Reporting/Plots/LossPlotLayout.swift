/// Where the panels of a ``LossPlot`` go: a grid about as wide as it is tall, at most three panels a row
/// for up to nine panels (2×3 for five folds and the average), below a title strip.
struct LossPlotLayout {
    /// A panel's size in pixels, including its title, tick labels and axis labels.
    static let panelWidth = 380.0
    static let panelHeight = 280.0
    /// The strip above the grid that holds the figure's title.
    static let titleHeight = 40.0
    /// The rectangle of a panel that data is drawn in, relative to the panel's origin.
    static let plotFrame = PlotFrame(x: 62, y: 34, width: 300, height: 196)

    /// Panels per row.
    let columns: Int
    /// Rows of panels.
    let rows: Int

    /// The grid for `panelCount` panels.
    init(panelCount: Int) {
        let count = max(panelCount, 1)
        var columns = count <= 3 ? count : 3
        while columns * columns < count { columns += 1 }
        if count == 4 { columns = 2 }
        self.columns = columns
        self.rows = (count + columns - 1) / columns
    }

    /// The whole figure's width.
    var width: Double { Double(columns) * Self.panelWidth }
    /// The whole figure's height.
    var height: Double { Self.titleHeight + Double(rows) * Self.panelHeight }

    /// The top-left corner of panel `index` (0-based, reading order).
    func origin(ofPanel index: Int) -> (x: Double, y: Double) {
        (Double(index % columns) * Self.panelWidth, Self.titleHeight + Double(index / columns) * Self.panelHeight)
    }
}

/// An axis-aligned rectangle in SVG pixels.
struct PlotFrame: Equatable {
    let x: Double
    let y: Double
    let width: Double
    let height: Double

    /// The right edge.
    var maxX: Double { x + width }
    /// The bottom edge.
    var maxY: Double { y + height }
}

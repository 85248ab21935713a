import Foundation

/// A captioned grid of pictures as a standalone SVG: `samples.svg` and `misclassified.svg`.
///
/// Each tile holds one or more pictures stacked vertically under a caption; every picture is an `<image>`
/// whose `href` is an embedded PNG, drawn at a legible size: small images enlarged by a whole factor with
/// crisp pixels, large ones shrunk. `rowNames` label the stacked pictures at the left of each band of tiles
/// ("original", "augmented").
public struct PictureGrid: Sendable {
    /// One captioned stack of images.
    public struct Tile: Equatable, Sendable {
        /// The text above the images.
        public var caption: String
        /// The pictures, top to bottom.
        public var images: [Picture]

        /// Creates a tile.
        public init(caption: String, images: [Picture]) {
            self.caption = caption
            self.images = images
        }
    }

    /// The heading above the grid.
    public var title: String
    /// The tiles in reading order.
    public var tiles: [Tile]
    /// Tiles per row.
    public var columns: Int
    /// Names of the stacked image rows, shown at the left of each band; empty for none.
    public var rowNames: [String]
    /// Screen pixels per image pixel.
    public var scale: Double

    /// Creates a grid; `columns` must be positive. The scale is ``legibleScale(largestSide:)`` of the largest
    /// picture unless given.
    public init(title: String, tiles: [Tile], columns: Int = 10, rowNames: [String] = [], scale: Double? = nil) {
        precondition(columns > 0 && (scale ?? 1) > 0, "a picture grid needs positive columns and scale")
        self.title = title
        self.tiles = tiles
        self.columns = columns
        self.rowNames = rowNames
        let largestSide = tiles.flatMap(\.images).map { max($0.width, $0.height) }.max() ?? 28
        self.scale = scale ?? Self.legibleScale(largestSide: largestSide)
    }

    /// Screen pixels per image pixel for pictures whose longer side is `largestSide`: a whole factor that brings
    /// small pictures to about 56 screen pixels (MNIST's 28 doubled, an 8×8 digit 7 times), 1 up to 112, and a
    /// fraction that shrinks larger pictures to 112.
    public static func legibleScale(largestSide: Int) -> Double {
        let (enlarged, largest) = (56, 112)
        if largestSide <= enlarged { return Double(enlarged / largestSide) }
        return largestSide <= largest ? 1 : Double(largest) / Double(largestSide)
    }

    /// The complete SVG document.
    public func svg() -> String {
        let imageWidth = Double(tiles.flatMap(\.images).map(\.width).max() ?? 28) * scale
        let imageHeight = Double(tiles.flatMap(\.images).map(\.height).max() ?? 28) * scale
        let stackDepth = tiles.map(\.images.count).max() ?? 1
        let captionHeight = 16.0
        let gap = 10.0
        let longestCaption = tiles.map(\.caption.count).max() ?? 0
        let tileWidth = max(imageWidth, Double(longestCaption) * 5.8) + gap
        let tileHeight = captionHeight + Double(stackDepth) * (imageHeight + 4) + gap
        let left = rowNames.isEmpty ? 16.0 : 24 + Double(rowNames.map(\.count).max() ?? 0) * 7.5
        let top = 48.0
        let bandCount = max(1, (tiles.count + columns - 1) / columns)
        let usedColumns = max(1, min(columns, tiles.count))

        var document = SVGDocument(
            width: left + Double(usedColumns) * tileWidth + 6, height: top + Double(bandCount) * tileHeight + 6)
        document.add(svgText(title, x: 16, y: 28, attributes: "font-size=\"16\" font-weight=\"600\""))
        for band in 0..<bandCount {
            let bandTop = top + Double(band) * tileHeight
            for (row, name) in rowNames.enumerated() {
                let y = bandTop + captionHeight + Double(row) * (imageHeight + 4) + imageHeight / 2 + 4
                document.add(svgText(name, x: left - 8, y: y, attributes: "text-anchor=\"end\" fill=\"#555555\""))
            }
        }
        for (index, tile) in tiles.enumerated() {
            let x = left + Double(index % columns) * tileWidth
            let y = top + Double(index / columns) * tileHeight
            var group = ["<g class=\"tile\">"]
            group.append(
                svgText(
                    tile.caption, x: x + (tileWidth - gap) / 2, y: y + 11,
                    attributes: "class=\"caption\" text-anchor=\"middle\" font-size=\"11\""))
            for (row, image) in tile.images.enumerated() {
                let imageX = x + (tileWidth - gap - imageWidth) / 2
                let imageY = y + captionHeight + Double(row) * (imageHeight + 4)
                group.append(imageElement(image, x: imageX, y: imageY))
            }
            group.append("</g>")
            document.add(group.joined(separator: "\n"))
        }
        return document.text
    }

    /// An `<image>` showing `image` at `scale` with its top-left corner at (`x`, `y`).
    private func imageElement(_ image: Picture, x: Double, y: Double) -> String {
        let encoded = Data(PNGEncoder.png(image)).base64EncodedString()
        return "<image x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(Double(image.width) * scale))\" "
            + "height=\"\(svgNumber(Double(image.height) * scale))\" "
            // Enlarged pictures keep crisp pixels; shrunk ones are smoothed by the viewer.
            + (scale >= 1 ? "image-rendering=\"pixelated\" style=\"image-rendering:pixelated\" " : "")
            + "preserveAspectRatio=\"none\" href=\"data:image/png;base64,\(encoded)\"/>"
    }
}

import Foundation
import Testing

@testable import NetcRuntime

/// A 28×28 digit whose pixels all equal `value`.
private func digit(_ value: UInt8) -> Picture {
    Picture(width: 28, height: 28, bytes: [UInt8](repeating: value, count: 784))
}

/// The PNG inside an `<image>`'s data URI.
private func embeddedPNG(_ image: SVGElement) throws -> [UInt8] {
    let href = try #require(image.attributes["href"])
    let prefix = "data:image/png;base64,"
    #expect(href.hasPrefix(prefix))
    return Array(try #require(Data(base64Encoded: String(href.dropFirst(prefix.count)))))
}

@Suite("Picture grids")
struct PictureGridTests {
    @Test("samples show 30 digits as labelled before/after pairs")
    func samples() throws {
        let originals = (0..<35).map { digit(UInt8($0)) }
        let augmented = (0..<35).map { digit(UInt8(100 + $0)) }
        let labels = (0..<35).map { $0 % 10 }
        let svg = PictureGrid.samples(originals: originals, augmented: augmented, labels: labels, classes: .numbers)
            .svg()
        let elements = try parseSVG(svg)
        #expect(elements[0].attributes["xmlns"] == "http://www.w3.org/2000/svg")
        let tiles = elements.groups(class: "tile")
        #expect(tiles.count == 30)
        #expect(elements.named("image").count == 60)
        #expect(elements.named("text", class: "caption").map(\.text) == (0..<30).map { "label \($0 % 10)" })

        // The second tile holds original 1 above augmented 101, each a 28×28 PNG scaled to 56 pixels.
        let images = elements.inside(tiles[1]).named("image")
        let decoded = try images.map { try DecodedPNG(embeddedPNG($0)) }
        #expect(decoded.map(\.width) == [28, 28])
        #expect(decoded[0].rawRows.prefix(3) == [0, 1, 1] && decoded[1].rawRows.prefix(3) == [0, 101, 101])
        #expect(try #require(images[1].number("y")) > #require(images[0].number("y")))
        #expect(images.allSatisfy { $0.attributes["width"] == "56" && $0.attributes["height"] == "56" })
        #expect(elements.named("text").filter { ["original", "augmented"].contains($0.text) }.count == 6)
    }

    @Test("misclassified digits are captioned true → predicted under a title with the count")
    func misclassified() throws {
        let mistakes = [(4, 9), (7, 1), (3, 5)].map {
            Misclassification(image: digit(200), trueLabel: $0, predictedLabel: $1)
        }
        let elements = try parseSVG(PictureGrid.misclassified(mistakes, classes: .numbers, limit: 2).svg())
        #expect(elements.named("text").first?.text == "3 misclassified images (showing the first 2)")
        #expect(
            elements.named("text", class: "caption").map(\.text) == ["true 4 → predicted 9", "true 7 → predicted 1"])
        #expect(elements.named("image").count == 2)

        let all = try parseSVG(PictureGrid.misclassified(Array(mistakes.prefix(1)), classes: .numbers).svg())
        #expect(all.named("text").first?.text == "1 misclassified image")
        let none = try parseSVG(PictureGrid.misclassified([], classes: .numbers).svg())
        #expect(none.named("image").isEmpty)
    }

    @Test("small pictures are enlarged by a whole factor, large ones shrunk, to a legible size")
    func legibleSizes() throws {
        #expect(
            [8, 13, 17, 28, 32, 56, 64, 112, 224].map { PictureGrid.legibleScale(largestSide: $0) } == [
                7, 4, 3, 2, 1, 1, 1, 1, 0.5,
            ])
        let small = Picture(width: 17, height: 13, colour: .rgb, bytes: [UInt8](repeating: 9, count: 13 * 17 * 3))
        let grid = PictureGrid(title: "t", tiles: [.init(caption: "Sneaker", images: [small])])
        let image = try #require(try parseSVG(grid.svg()).named("image").first)
        #expect(image.attributes["width"] == "51" && image.attributes["height"] == "39")
        #expect(try DecodedPNG(embeddedPNG(image)).colourType == 2)
    }

    @Test("captions use class names when the model gives them")
    func classNames() throws {
        let names = ClassNaming(["T-shirt", "Trouser", "Pullover"])
        let samples = PictureGrid.samples(originals: [digit(1)], augmented: [digit(2)], labels: [2], classes: names)
        #expect(try parseSVG(samples.svg()).named("text", class: "caption").map(\.text) == ["Pullover"])
        let mistakes = [Misclassification(image: digit(3), trueLabel: 0, predictedLabel: 1)]
        let grid = PictureGrid.misclassified(mistakes, classes: names)
        #expect(
            try parseSVG(grid.svg()).named("text", class: "caption").map(\.text) == ["true T-shirt → predicted Trouser"]
        )
    }
}

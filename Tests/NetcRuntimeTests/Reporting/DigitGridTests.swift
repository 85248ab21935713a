import Foundation
import Testing

@testable import NetcRuntime

/// A 28×28 digit whose pixels all equal `value`.
private func digit(_ value: UInt8) -> GreyImage {
    GreyImage(mnist: [UInt8](repeating: value, count: 784))
}

/// The PNG inside an `<image>`'s data URI.
private func embeddedPNG(_ image: SVGElement) throws -> [UInt8] {
    let href = try #require(image.attributes["href"])
    let prefix = "data:image/png;base64,"
    #expect(href.hasPrefix(prefix))
    return Array(try #require(Data(base64Encoded: String(href.dropFirst(prefix.count)))))
}

@Suite("Digit grids")
struct DigitGridTests {
    @Test("samples show 30 digits as labelled before/after pairs")
    func samples() throws {
        let originals = (0..<35).map { digit(UInt8($0)) }
        let augmented = (0..<35).map { digit(UInt8(100 + $0)) }
        let labels = (0..<35).map { $0 % 10 }
        let svg = DigitGrid.samples(originals: originals, augmented: augmented, labels: labels).svg()
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
        let elements = try parseSVG(DigitGrid.misclassified(mistakes, limit: 2).svg())
        #expect(elements.named("text").first?.text == "3 misclassified digits (showing the first 2)")
        #expect(
            elements.named("text", class: "caption").map(\.text) == ["true 4 → predicted 9", "true 7 → predicted 1"])
        #expect(elements.named("image").count == 2)

        let all = try parseSVG(DigitGrid.misclassified(Array(mistakes.prefix(1))).svg())
        #expect(all.named("text").first?.text == "1 misclassified digit")
        let none = try parseSVG(DigitGrid.misclassified([]).svg())
        #expect(none.named("image").isEmpty)
    }
}

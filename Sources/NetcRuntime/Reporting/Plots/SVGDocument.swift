import Foundation

/// A standalone SVG picture built element by element: the shared frame of every figure netc draws.
///
/// `text` is a complete document any browser opens: the XML declaration, the `svg` root with `xmlns`,
/// `width`, `height` and `viewBox`, a white background and a system-ui font.
struct SVGDocument {
    /// Width in pixels.
    let width: Double
    /// Height in pixels.
    let height: Double
    /// The elements drawn so far, in painting order.
    private var elements: [String] = []

    /// Starts an empty picture `width` × `height` pixels.
    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Appends one element (or a group) written as SVG markup.
    mutating func add(_ element: String) {
        elements.append(element)
    }

    /// The whole document.
    var text: String {
        let size = "width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\""
        let viewBox = "viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\""
        let font = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" \(size) \(viewBox) \(font) font-size="12">
            <rect width="100%" height="100%" fill="#ffffff"/>

            """ + elements.joined(separator: "\n") + "\n</svg>\n"
    }
}

/// A coordinate or length with at most two decimals and no trailing zeros: `12`, `3.5`, `0.25`.
func svgNumber(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    var text = String(format: "%.2f", rounded)
    while text.hasSuffix("0") { text.removeLast() }
    return text
}

/// `text` with the five XML special characters escaped, safe inside elements and quoted attributes.
func xmlEscaped(_ text: String) -> String {
    var escaped = ""
    for character in text {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&apos;"
        default: escaped.append(character)
        }
    }
    return escaped
}

/// A `<text>` element at (`x`, `y`) with extra attributes such as `text-anchor="middle"`.
func svgText(_ content: String, x: Double, y: Double, attributes: String = "") -> String {
    let extra = attributes.isEmpty ? "" : " " + attributes
    return "<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\"\(extra)>\(xmlEscaped(content))</text>"
}

/// A `<line>` from (`x1`, `y1`) to (`x2`, `y2`) in `stroke`.
func svgLine(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1) -> String {
    "<line x1=\"\(svgNumber(x1))\" y1=\"\(svgNumber(y1))\" x2=\"\(svgNumber(x2))\" y2=\"\(svgNumber(y2))\" "
        + "stroke=\"\(stroke)\" stroke-width=\"\(svgNumber(width))\"/>"
}

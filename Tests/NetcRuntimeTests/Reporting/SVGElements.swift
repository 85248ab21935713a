import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// One element of a parsed SVG document: its name, attributes, text and enclosing elements.
struct SVGElement {
    let name: String
    let attributes: [String: String]
    /// The indices (into the parsed list) of the elements around this one, outermost first.
    let ancestors: [Int]
    var text = ""

    /// A numeric attribute.
    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
    /// The `class` attribute.
    var className: String? { attributes["class"] }
}

/// Every element of `svg` in document order; throws when `svg` is not well-formed XML.
func parseSVG(_ svg: String) throws -> [SVGElement] {
    let collector = ElementCollector()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = collector
    guard parser.parse() else {
        throw SVGParseError(description: parser.parserError.map { "\($0)" } ?? "unknown XML error")
    }
    return collector.elements
}

struct SVGParseError: Error, CustomStringConvertible {
    let description: String
}

private final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [SVGElement] = []
    private var open: [Int] = []

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        elements.append(SVGElement(name: name, attributes: attributes, ancestors: open))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = open.last { elements[current].text += string }
    }
}

extension [SVGElement] {
    /// The elements named `name` with class `className` (any class when `nil`).
    func named(_ name: String, class className: String? = nil) -> [SVGElement] {
        filter { $0.name == name && (className == nil || $0.className == className) }
    }

    /// The elements inside the element at `index`.
    func inside(_ index: Int) -> [SVGElement] {
        filter { $0.ancestors.contains(index) }
    }

    /// The indices of the `<g>` elements of class `className`.
    func groups(class className: String) -> [Int] {
        indices.filter { self[$0].name == "g" && self[$0].className == className }
    }
}

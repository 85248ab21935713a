import NetcFrontEnd
import NetcGraph

/// Model source text with the expected positions of diagnostics marked by `⟨here⟩`, so a test shows the
/// position where the error must point; the markers are removed before parsing.
struct MarkedSource {
    /// The marker, placed just before the character a diagnostic must point at.
    static let marker = "⟨here⟩"

    /// The text with the markers removed.
    let text: String
    /// The marked positions, in order, as 1-based line and (UTF-8) column.
    let positions: [(line: Int, column: Int)]

    init(_ marked: String) {
        var lines: [String] = []
        var positions: [(line: Int, column: Int)] = []
        for (index, line) in marked.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var pieces = line.split(separator: Self.marker, omittingEmptySubsequences: false).map(String.init)
            var rebuilt = pieces.removeFirst()
            var column = rebuilt.utf8.count + 1
            for piece in pieces {
                positions.append((index + 1, column))
                rebuilt += piece
                column += piece.utf8.count
            }
            lines.append(rebuilt)
        }
        text = lines.joined(separator: "\n")
        self.positions = positions
    }

    /// The source under the name diagnostics are reported with.
    var source: ModelSource { ModelSource(path: "model.swift-dsl", text: text) }
}

/// Wraps layer statements in a valid network, one statement per line, indented by four spaces.
func network(_ body: String) -> String {
    let header = #"Network("test", input: Image(channels: 1, height: 8, width: 8), classes: 10) {"#
    let indented = body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
    return ([header] + indented + ["}"]).joined(separator: "\n")
}

/// The mistakes `FrontEnd.parse` reports for `source`, or an empty list if it parses.
func diagnostics(of source: ModelSource) -> [FrontEndDiagnostic] {
    do {
        _ = try FrontEnd.parse(source)
        return []
    } catch {
        return error.diagnostics
    }
}

extension LayerSpec {
    /// The layer with every location (its own and its children's) removed, to compare kinds and nesting.
    var withoutLocations: LayerSpec {
        guard case .sequential(let name, let layers) = kind else { return LayerSpec(kind) }
        return LayerSpec(.sequential(name: name, layers: layers.map(\.withoutLocations)))
    }
}

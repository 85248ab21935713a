import NetcGraph
import SwiftDiagnostics
import SwiftParser
import SwiftSyntax

/// Prints an error the way the Swift compiler does: a `FILE:LINE:COL: error: MESSAGE` header, then the
/// source line and a caret, drawn by swift-syntax's `DiagnosticsFormatter`.
///
/// ```
/// model.swift-dsl:4:9: error: unknown layer 'BatchNom'; did you mean 'BatchNorm'?
/// 4 |         BatchNom()
///   |         `- error: unknown layer 'BatchNom'; did you mean 'BatchNorm'?
/// ```
struct DiagnosticRenderer {
    private let tree: SourceFileSyntax
    private let converter: SourceLocationConverter
    private let formatter: DiagnosticsFormatter
    private let colorize: Bool

    /// Prepares to render errors in `source`.
    init(source: ModelSource, colorize: Bool) {
        tree = Parser.parse(source: source.text)
        converter = SourceLocationConverter(fileName: source.path, tree: tree)
        formatter = DiagnosticsFormatter(contextSize: 0, colorize: colorize)
        self.colorize = colorize
    }

    /// The header line and the annotated source line for an error at `location`.
    func render(at location: NetcGraph.SourceLocation, message: String) -> String {
        let header = Self.header(place: location.description, message: message, colorize: colorize)
        let position = converter.position(ofLine: location.line, column: location.column)
        let token = tree.token(at: position) ?? tree.endOfFileToken
        let diagnostic = Diagnostic(node: token, position: position, message: RenderedMessage(message: message))
        var annotated = formatter.annotatedSource(tree: tree, diags: [diagnostic])
        while annotated.last?.isNewline == true { annotated.removeLast() }
        return header + "\n" + annotated
    }

    /// `PLACE: error: MESSAGE`, or `error: MESSAGE` without a place; bold with a red `error:` when colouring.
    static func header(place: String?, message: String, colorize: Bool) -> String {
        let prefix = place.map { "\($0): " } ?? ""
        guard colorize else { return "\(prefix)error: \(message)" }
        let bold = "\u{1B}[1m"
        let boldRed = "\u{1B}[1;31m"
        let reset = "\u{1B}[0m"
        return "\(bold)\(prefix)\(boldRed)error: \(reset)\(bold)\(message)\(reset)"
    }
}

/// An already-worded error handed to `DiagnosticsFormatter`.
private struct RenderedMessage: DiagnosticMessage {
    let message: String
    var diagnosticID: MessageID { MessageID(domain: "netc", id: "model") }
    var severity: DiagnosticSeverity { .error }
}

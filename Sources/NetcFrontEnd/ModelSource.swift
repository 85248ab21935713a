import Foundation
import NetcGraph

/// The text of a model file and the path it is reported under.
///
/// It is what `FrontEnd.parse(_:)` reads and what renders diagnostics with their source lines, including the
/// `ModelError`s `GraphBuilder` throws for a spec read from this source.
public struct ModelSource: Hashable, Sendable {
    /// The file's path as the user gave it; diagnostics start with it.
    public let path: String
    /// The file's contents.
    public let text: String

    /// Wraps text that did not come from disk (tests, standard input); `path` names it in diagnostics.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// Reads a UTF-8 model file.
    ///
    /// - Throws: `FrontEndError.unreadableFile` when the file is missing, a directory, unreadable or not UTF-8.
    public init(path: String) throws(FrontEndError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadableFile(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadableFile(path: path, reason: "it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path: path, reason: "the file cannot be opened (check its permissions)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .unreadableFile(path: path, reason: "the file is not UTF-8 text")
        }
        self.init(path: path, text: text)
    }

    /// Renders diagnostics of this source as `FILE:LINE:COL: error: MESSAGE`, each followed by its source
    /// line and a caret, in the style of the Swift compiler.
    ///
    /// - Parameter colorize: Whether to use ANSI colours; pass `true` only when writing to a terminal.
    public func render(_ diagnostics: [FrontEndDiagnostic], colorize: Bool = false) -> String {
        // The source lines are drawn from swift-syntax's tree, which nesting too deep would take forever to build.
        guard SquareBracketNesting.firstTooDeep(in: text) == nil else {
            return diagnostics.map {
                DiagnosticRenderer.header(place: $0.location.description, message: $0.message, colorize: colorize)
            }.joined(separator: "\n")
        }
        let renderer = DiagnosticRenderer(source: self, colorize: colorize)
        return diagnostics.map { renderer.render(at: $0.location, message: $0.message) }.joined(separator: "\n")
    }

    /// Renders an error `GraphBuilder` threw for a spec read from this source, the same way as the front
    /// end's own diagnostics: `FILE:LINE:COL: error: layer 'PATH': MESSAGE`, the source line and a caret.
    ///
    /// An error without a location (or one in another file) is rendered as its `description` alone.
    public func render(_ error: ModelError, colorize: Bool = false) -> String {
        let message = (error.layerPath.isEmpty ? "" : "layer '\(error.layerPath)': ") + error.message
        guard let location = error.location, location.file == path else {
            return DiagnosticRenderer.header(place: error.location?.description, message: message, colorize: colorize)
        }
        return DiagnosticRenderer(source: self, colorize: colorize).render(at: location, message: message)
    }
}

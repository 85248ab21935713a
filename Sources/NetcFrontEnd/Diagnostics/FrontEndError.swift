import NetcGraph

/// One mistake in a model file: where it is and what is wrong.
public struct FrontEndDiagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Where the mistake is: for a call, the first character of its name.
    public var location: SourceLocation
    /// What is wrong, what was expected and, when one is likely, the fix.
    public var message: String

    /// Creates a diagnostic.
    public init(at location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// `FILE:LINE:COL: error: MESSAGE`, without the source line; see `ModelSource.render(_:colorize:)`.
    public var description: String { "\(location): error: \(message)" }
}

/// Why a model file could not be turned into a `NetworkSpec`.
///
/// Its `description` is what the command line prints: for each mistake, `FILE:LINE:COL: error: MESSAGE`
/// followed by the source line and a caret under the column.
public enum FrontEndError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file could not be read; `reason` says why ("no such file").
    case unreadableFile(path: String, reason: String)
    /// The file has mistakes: Swift syntax errors, or calls the language does not accept. All of them are
    /// reported, in source order.
    case invalidModel(source: ModelSource, diagnostics: [FrontEndDiagnostic])

    /// The located mistakes; empty when the file could not be read.
    public var diagnostics: [FrontEndDiagnostic] {
        switch self {
        case .unreadableFile: []
        case .invalidModel(_, let diagnostics): diagnostics
        }
    }

    /// The error as printed for a user, each mistake with its source line and caret.
    ///
    /// - Parameter colorize: Whether to use ANSI colours; pass `true` only when writing to a terminal.
    public func rendered(colorize: Bool) -> String {
        switch self {
        case .unreadableFile(let path, let reason):
            DiagnosticRenderer.header(place: path, message: "cannot read model file: \(reason)", colorize: colorize)
        case .invalidModel(let source, let diagnostics):
            source.render(diagnostics, colorize: colorize)
        }
    }

    /// The error rendered without colours.
    public var description: String { rendered(colorize: false) }
}

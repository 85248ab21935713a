import NetcGraph
import SwiftParser
import SwiftParserDiagnostics
import SwiftSyntax

/// Reads `.swift-dsl` model files into `NetworkSpec`s.
///
/// A model file is Swift syntax (so editors highlight it) read as a declarative description; it is never
/// compiled or run. It holds exactly one `Network` call whose block lists the layers in order:
///
/// ```swift
/// Network("mnist-cnn", input: Image(channels: 1, height: 28, width: 28), classes: 10) {
///     Sequential("conv1") {
///         Conv2D(32, kernel: 3, padding: 1)
///         ReLU()
///         MaxPool(2)
///     }
///     Flatten()
///     Linear(10)
///     Training {
///         epochs(5)
///         optimizer(.adam)
///     }
/// }
/// ```
///
/// The calls, with their defaults (PyTorch's):
///
/// | Call | Meaning |
/// |---|---|
/// | `Network(name, input: Image(channels:, height:, width:), classes:) { ... }` | the network, once per file |
/// | `Sequential(name) { ... }` | a named group of layers; may nest |
/// | `Residual(name) { ... } shortcut: { ... }` | body(x) + shortcut(x), identity without `shortcut:` |
/// | `Concat(name) { Branch { ... } ... }` | branches of the same input joined along channels |
/// | `Conv2D(outChannels, kernel:, stride: 1, padding: 0, dilation: 1, groups: 1, bias: true)` | 2-D convolution |
/// | `Linear(outFeatures, bias: true)` | fully connected layer |
/// | `ReLU()`, `LeakyReLU(0.01)`, `Sigmoid()`, `Tanh()`, `GELU()`, `SiLU()` | activations |
/// | `BatchNorm(momentum: 0.1, epsilon: 1e-5)` | batch normalisation over channels |
/// | `MaxPool(size, stride: size, padding: 0)`, `AvgPool(...)` | pooling |
/// | `GlobalAvgPool()` | the mean of each plane |
/// | `Dropout(p)` | dropout with probability `p` |
/// | `Flatten()` | `[N, C, H, W]` → `[N, C·H·W]` |
///
/// An optional `Training { ... }` block, directly in the `Network` block (conventionally last), sets the
/// training recipe, one setting per line, each at most once: `epochs(Int ≥ 1)`, `batchSize(Int ≥ 1)`,
/// `learningRate(Double > 0)`, `folds(Int ≥ 2)`, `seed(Int ≥ 0)`, `optimizer(.adam | .sgd | .adamw)`,
/// `schedule(.constant | .cosine | .onecycle)`, `augment(Bool)`, `weightDecay(Double ≥ 0)`,
/// `labelSmoothing(0...1)`, `emaDecay(0..<1)`, `timeBudget("30m")`. Settings left out stay `nil` so the
/// command line's defaults apply.
///
/// Unlabelled arguments come first, in order; labelled ones may be given in any order. Every value is a
/// literal: `32`, `-1`, `60_000`, `0x10`, `0.25`, `1e-4` (an integer literal is accepted where a number is
/// expected), `true`, `"conv1"`, `.adam`. Variables, arithmetic and calls are rejected because the file
/// is never run. Comments and trailing commas are allowed anywhere Swift allows them.
///
/// This reader checks the language: which calls exist, where, their arguments and literal types. Values
/// (a zero kernel, `p` outside [0, 1)), duplicate names and shapes are checked by `GraphBuilder`, which
/// throws `ModelError`s located with the `LayerSpec.location`s set here; render them with
/// `ModelSource.render(_:colorize:)`.
public enum FrontEnd {
    /// The network a model source describes.
    ///
    /// - Throws: `FrontEndError.invalidModel` with every mistake found, in source order: all Swift syntax
    ///   errors if there are any, otherwise every language mistake.
    public static func parse(_ source: ModelSource) throws(FrontEndError) -> NetworkSpec {
        if let place = SquareBracketNesting.firstTooDeep(in: source.text) {
            let location = NetcGraph.SourceLocation(file: source.path, line: place.line, column: place.column)
            let message = "square brackets nested more than \(SquareBracketNesting.limit) deep; "
                + "a model file lists values in one flat array at most"
            throw .invalidModel(source: source, diagnostics: [FrontEndDiagnostic(at: location, message)])
        }
        let tree = Parser.parse(source: source.text)
        let converter = SourceLocationConverter(fileName: source.path, tree: tree)
        let syntaxErrors = ParseDiagnosticsGenerator.diagnostics(for: tree).filter { $0.diagMessage.severity == .error }
        guard syntaxErrors.isEmpty else {
            let diagnostics = syntaxErrors.map { error in
                let place = error.location(converter: converter)
                let location = NetcGraph.SourceLocation(file: source.path, line: place.line, column: place.column)
                return FrontEndDiagnostic(at: location, error.message)
            }
            throw .invalidModel(source: source, diagnostics: inSourceOrder(diagnostics))
        }
        var reader = ModelReader(path: source.path, converter: converter)
        let network = reader.readFile(tree)
        guard let network, reader.diagnostics.isEmpty else {
            throw .invalidModel(source: source, diagnostics: inSourceOrder(reader.diagnostics))
        }
        return network
    }

    /// Reads and parses the model file at `path`.
    ///
    /// - Throws: `FrontEndError.unreadableFile` or `FrontEndError.invalidModel`.
    public static func parseFile(atPath path: String) throws(FrontEndError) -> NetworkSpec {
        try parse(ModelSource(path: path))
    }

    private static func inSourceOrder(_ diagnostics: [FrontEndDiagnostic]) -> [FrontEndDiagnostic] {
        diagnostics.enumerated().sorted { first, second in
            let a = first.element.location
            let b = second.element.location
            return (a.line, a.column, first.offset) < (b.line, b.column, second.offset)
        }.map(\.element)
    }
}

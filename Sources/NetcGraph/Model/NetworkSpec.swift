/// A position in a model source file, 1-based, as shown to users in `FILE:LINE:COL` diagnostics.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file's path as the user gave it.
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// The shape of one input image: channels × height × width.
public struct ImageShape: Hashable, Sendable {
    /// Number of channels (1 for greyscale).
    public var channels: Int
    /// Height in pixels.
    public var height: Int
    /// Width in pixels.
    public var width: Int

    /// Creates an image shape.
    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }
}

/// A network as the user described it: the declarative content of a `.swift-dsl` file.
///
/// The front end produces it; `GraphBuilder` turns it into a `Graph` with inferred shapes and named parameters.
public struct NetworkSpec: Hashable, Sendable {
    /// The network's name, the first argument of `Network(...)`.
    public var name: String
    /// The shape of one input image.
    public var input: ImageShape
    /// Number of classes the classifier outputs.
    public var classes: Int
    /// The top-level layers, in order.
    public var layers: [LayerSpec]
    /// Training settings from a `Training { ... }` block, if the file has one.
    public var training: TrainingSpec
    /// Where `Network(` appears in the source, if the spec came from a file.
    public var location: SourceLocation?

    /// Creates a network description.
    public init(
        name: String, input: ImageShape, classes: Int, layers: [LayerSpec],
        training: TrainingSpec = TrainingSpec(), location: SourceLocation? = nil
    ) {
        self.name = name
        self.input = input
        self.classes = classes
        self.layers = layers
        self.training = training
        self.location = location
    }
}

/// One layer of a network with the place it was written.
public struct LayerSpec: Hashable, Sendable {
    /// What the layer does.
    public var kind: LayerKind
    /// Where the layer's call starts in the source, if known.
    public var location: SourceLocation?

    /// Creates a layer description.
    public init(_ kind: LayerKind, at location: SourceLocation? = nil) {
        self.kind = kind
        self.location = location
    }
}

/// The layers netc understands, with PyTorch's meaning and defaults.
public enum LayerKind: Hashable, Sendable {
    /// `Conv2D(outChannels, kernel:, stride: 1, padding: 0, dilation: 1, groups: 1, bias: true)`; input channels
    /// are inferred; `groups` equal to the input channels is a depthwise convolution.
    case conv2D(
        outChannels: Int, kernel: Int, stride: Int, padding: Int, dilation: Int = 1, groups: Int = 1, bias: Bool)
    /// `Linear(out, bias: true)` on a flattened `[N, features]` tensor.
    case linear(outFeatures: Int, bias: Bool)
    /// `ReLU()`.
    case relu
    /// `LeakyReLU(0.01)`, `Sigmoid()`, `Tanh()`, `GELU()`, `SiLU()`.
    case activation(Activation)
    /// `BatchNorm(momentum: 0.1, epsilon: 1e-5)` over the channels of an `[N, C, H, W]` (PyTorch's `BatchNorm2d`)
    /// or `[N, C]` tensor (`BatchNorm1d`).
    case batchNorm(momentum: Double, epsilon: Double)
    /// `MaxPool(size, stride: size, padding: 0)`.
    case maxPool(size: Int, stride: Int, padding: Int = 0)
    /// `AvgPool(size, stride: size, padding: 0)`; padding counts in the mean (PyTorch's default).
    case avgPool(size: Int, stride: Int, padding: Int = 0)
    /// `GlobalAvgPool()`: `[N, C, H, W]` → `[N, C, 1, 1]`, the mean of each plane (`AdaptiveAvgPool2d(1)`).
    case globalAvgPool
    /// `Dropout(p)`: zeroes each element with probability `p` in training.
    case dropout(probability: Double)
    /// `Flatten()`: `[N, C, H, W]` → `[N, C·H·W]`.
    case flatten
    /// `Sequential(name) { ... }`: a named group whose children are numbered from 0 in parameter names.
    case sequential(name: String, layers: [LayerSpec])
    /// `Residual(name) { body } shortcut: { shortcut }`: body(x) + shortcut(x), the shortcut being the identity
    /// when empty; parameters are named `name.body.K` and `name.shortcut.K`.
    case residual(name: String, body: [LayerSpec], shortcut: [LayerSpec])
    /// `Concat(name) { Branch { ... } ... }`: every branch reads the same input and their outputs are joined
    /// along channels; parameters are named `name.B.K` (branch B, layer K).
    case concat(name: String, branches: [[LayerSpec]])
}

extension LayerKind {
    /// The name of a named group (`Sequential`, `Residual`, `Concat`), which becomes part of its children's
    /// parameter names; nil for a single layer.
    public var groupName: String? {
        switch self {
        case .sequential(let name, _), .residual(let name, _, _), .concat(let name, _): name
        case .conv2D, .linear, .relu, .activation, .batchNorm, .maxPool, .avgPool, .globalAvgPool, .dropout, .flatten:
            nil
        }
    }

    /// The layers nested directly inside a group, every branch and the shortcut included; empty for a single layer.
    public var children: [LayerSpec] {
        switch self {
        case .sequential(_, let layers): layers
        case .residual(_, let body, let shortcut): body + shortcut
        case .concat(_, let branches): branches.flatMap { $0 }
        case .conv2D, .linear, .relu, .activation, .batchNorm, .maxPool, .avgPool, .globalAvgPool, .dropout, .flatten:
            []
        }
    }
}

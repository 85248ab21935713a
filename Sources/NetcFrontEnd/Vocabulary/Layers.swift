import NetcGraph

/// A layer call a network body may contain (other than `Sequential`): its signature and how its arguments
/// make a `LayerKind`.
struct LayerForm: Sendable {
    /// The accepted call.
    var signature: Signature
    /// Builds the layer from matched arguments; values are checked later by `GraphBuilder`.
    var make: @Sendable (Arguments) -> LayerKind
}

/// The names and signatures of everything a `.swift-dsl` file can say; defaults follow PyTorch.
enum Vocabulary {
    /// The layers, by name.
    static let layers: [String: LayerForm] = Dictionary(
        uniqueKeysWithValues: layerForms.map { ($0.signature.name, $0) })

    private static let layerForms: [LayerForm] = [
        LayerForm(
            signature: Signature(
                name: "Conv2D",
                parameters: [
                    .unlabelled("outChannels", .integer), .labelled("kernel", .integer),
                    .labelled("stride", .integer, default: .value(.integer(1))),
                    .labelled("padding", .integer, default: .value(.integer(0))),
                    .labelled("dilation", .integer, default: .value(.integer(1))),
                    .labelled("groups", .integer, default: .value(.integer(1))),
                    .labelled("bias", .boolean, default: .value(.boolean(true))),
                ]),
            make: {
                .conv2D(
                    outChannels: $0.integer("outChannels"), kernel: $0.integer("kernel"),
                    stride: $0.integer("stride"), padding: $0.integer("padding"), dilation: $0.integer("dilation"),
                    groups: $0.integer("groups"), bias: $0.boolean("bias"))
            }),
        LayerForm(
            signature: Signature(
                name: "Linear",
                parameters: [
                    .unlabelled("outFeatures", .integer),
                    .labelled("bias", .boolean, default: .value(.boolean(true))),
                ]),
            make: { .linear(outFeatures: $0.integer("outFeatures"), bias: $0.boolean("bias")) }),
        LayerForm(signature: Signature(name: "ReLU", parameters: []), make: { _ in .relu }),
        LayerForm(
            signature: Signature(
                name: Activation.leakyReLU(slope: 0).layerName,
                parameters: [.unlabelled("slope", .number, default: .value(.number(0.01)))]),
            make: { .activation(.leakyReLU(slope: $0.number("slope"))) }),
        activationForm(.sigmoid),
        activationForm(.tanh),
        activationForm(.gelu),
        activationForm(.silu),
        LayerForm(
            signature: Signature(
                name: "BatchNorm",
                parameters: [
                    .labelled("momentum", .number, default: .value(.number(0.1))),
                    .labelled("epsilon", .number, default: .value(.number(1e-5))),
                ]),
            make: { .batchNorm(momentum: $0.number("momentum"), epsilon: $0.number("epsilon")) }),
        LayerForm(
            signature: poolSignature("MaxPool"),
            make: {
                .maxPool(size: $0.integer("size"), stride: $0.integer("stride"), padding: $0.integer("padding"))
            }),
        LayerForm(
            signature: poolSignature("AvgPool"),
            make: {
                .avgPool(size: $0.integer("size"), stride: $0.integer("stride"), padding: $0.integer("padding"))
            }),
        LayerForm(signature: Signature(name: "GlobalAvgPool", parameters: []), make: { _ in .globalAvgPool }),
        LayerForm(
            signature: Signature(name: "Dropout", parameters: [.unlabelled("p", .number)]),
            make: { .dropout(probability: $0.number("p")) }),
        LayerForm(signature: Signature(name: "Flatten", parameters: []), make: { _ in .flatten }),
    ]

    private static func poolSignature(_ name: String) -> Signature {
        Signature(
            name: name,
            parameters: [
                .unlabelled("size", .integer), .labelled("stride", .integer, default: .sameAs("size")),
                .labelled("padding", .integer, default: .value(.integer(0))),
            ])
    }

    /// An activation layer without arguments, `GELU()`.
    private static func activationForm(_ activation: Activation) -> LayerForm {
        LayerForm(
            signature: Signature(name: activation.layerName, parameters: []), make: { _ in .activation(activation) })
    }

    /// `Sequential(name) { layers }`.
    static let sequential = Signature(name: "Sequential", parameters: [.unlabelled("name", .string)], takesBlock: true)

    /// `Residual(name) { body } shortcut: { layers }`: the shortcut block is optional (the identity without it).
    static let residual = Signature(
        name: "Residual", parameters: [.unlabelled("name", .string)], takesBlock: true,
        labelledBlocks: [residualShortcut])

    /// The label of a `Residual`'s second block.
    static let residualShortcut = "shortcut"

    /// `Concat(name) { Branch { layers } ... }`.
    static let concat = Signature(name: "Concat", parameters: [.unlabelled("name", .string)], takesBlock: true)

    /// `Branch { layers }`, one input path of a `Concat`.
    static let branch = Signature(name: "Branch", parameters: [], takesBlock: true)

    /// `Network(name, input: Image(...), classes:) { layers }`.
    static let network = Signature(
        name: "Network",
        parameters: [.unlabelled("name", .string), .labelled("input", .image), .labelled("classes", .integer)],
        takesBlock: true)

    /// `Image(channels:height:width:)`, the value of `Network`'s `input:`.
    static let image = Signature(
        name: "Image",
        parameters: [.labelled("channels", .integer), .labelled("height", .integer), .labelled("width", .integer)])

    /// `Training { settings }`.
    static let training = Signature(name: "Training", parameters: [], takesBlock: true)

    /// The groups that hold layers in blocks.
    static let groups = [sequential, residual, concat]

    /// Every name that may start a statement inside a network body, for "did you mean" suggestions.
    static let bodyNames = layers.keys.sorted() + groups.map(\.name) + [branch.name, training.name]

    /// How to call a name that may appear in a network body, e.g. `Flatten()`; `nil` for other names.
    static func usage(ofBodyName name: String) -> String? {
        let signatures = groups + [branch, training] + layerForms.map(\.signature)
        return signatures.first { $0.name == name }?.usage
    }
}

/// The checks one layer must pass before it is added: values in range, and an input shape it can work on.
///
/// Every message names what was found and what was expected, with shapes written `[N, C, H, W]`.
struct LayerCheck {
    let layer: LayerSpec
    let path: String
    /// The incoming shape, batch first.
    let input: [Int]

    func validate() throws(ModelError) {
        switch layer.kind {
        case .conv2D(let outChannels, let kernel, let stride, let padding, let dilation, let groups, _):
            try require(outChannels > 0, "Conv2D needs a positive number of output channels, found \(outChannels)")
            try require(kernel > 0, "Conv2D kernel must be positive, found \(kernel)")
            try require(stride > 0, "Conv2D stride must be positive, found \(stride)")
            try require(padding >= 0, "Conv2D padding must not be negative, found \(padding)")
            try require(dilation > 0, "Conv2D dilation must be positive, found \(dilation)")
            try require(groups > 0, "Conv2D groups must be positive, found \(groups)")
            try requireImage("Conv2D")
            try requireWithinLimit(
                "Conv2D", ["output channels": outChannels, "kernel": kernel, "padding": padding, "dilation": dilation])
            try require(
                input[1] % groups == 0 && outChannels % groups == 0,
                "Conv2D groups \(groups) must divide both the input channels (\(input[1]), from \(shapeText)) and the "
                    + "output channels (\(outChannels))")
            try requireWeightWithinLimit([outChannels, input[1] / groups, kernel, kernel])
            let conv = ConvolutionAttributes(
                kernel: kernel, stride: stride, padding: padding, dilation: dilation, groups: groups)
            let spread = dilation == 1 ? "" : " at dilation \(dilation) (spanning \(conv.span) pixels)"
            try require(
                conv.outputLength(input[2]) > 0 && conv.outputLength(input[3]) > 0,
                "Conv2D kernel \(kernel)\(spread) with padding \(padding) does not fit its input \(shapeText)")
        case .linear(let outFeatures, _):
            try require(outFeatures > 0, "Linear needs a positive number of outputs, found \(outFeatures)")
            try require(
                input.count == 2,
                "Linear needs a flattened [N, features] input, found \(shapeText); add Flatten() before it")
            try requireWithinLimit("Linear", ["outputs": outFeatures])
            try requireWeightWithinLimit([outFeatures, input[1]])
        case .batchNorm(let momentum, let epsilon):
            try require((0...1).contains(momentum), "BatchNorm momentum must be in [0, 1], found \(momentum)")
            try require(epsilon > 0, "BatchNorm epsilon must be positive, found \(epsilon)")
            try require(
                input.count == 4 || input.count == 2,
                "BatchNorm needs an [N, C, H, W] or [N, C] input, found \(shapeText)")
        case .maxPool(let size, let stride, let padding), .avgPool(let size, let stride, let padding):
            let name = if case .maxPool = layer.kind { "MaxPool" } else { "AvgPool" }
            try require(size > 0, "\(name) size must be positive, found \(size)")
            try require(stride > 0, "\(name) stride must be positive, found \(stride)")
            try require(
                padding >= 0 && 2 * padding <= size,
                "\(name) padding must be between 0 and half the window (\(size / 2)), found \(padding)")
            try requireImage(name)
            let padded = padding == 0 ? "" : " padded by \(padding)"
            try require(
                size <= input[2] + 2 * padding && size <= input[3] + 2 * padding,
                "\(name) window \(size)×\(size) is larger than its input \(shapeText)\(padded)")
        case .globalAvgPool:
            try requireImage("GlobalAvgPool")
        case .dropout(let probability):
            try require(
                probability >= 0 && probability < 1, "Dropout probability must be in [0, 1), found \(probability)")
        case .flatten:
            try require(input.count >= 2, "Flatten needs a batched input, found \(shapeText)")
        case .sequential(let name, _):
            try requireGroupName(name, of: "Sequential")
        case .residual(let name, let body, _):
            try requireGroupName(name, of: "Residual")
            try require(!body.isEmpty, "Residual '\(name)' needs at least one layer in its body")
        case .concat(let name, let branches):
            try requireGroupName(name, of: "Concat")
            try require(!branches.isEmpty, "Concat '\(name)' needs at least one 'Branch { ... }'")
        case .relu, .activation:
            break
        }
    }

    private var shapeText: String { GraphBuilder.format(input) }

    private func requireGroupName(_ name: String, of group: String) throws(ModelError) {
        try require(!name.isEmpty, "a \(group) needs a non-empty name")
        try require(
            !name.contains(".") && !name.contains(where: \.isWhitespace),
            "\(group) name '\(name)' may not contain dots or spaces (it becomes part of parameter names)")
    }

    private func requireImage(_ name: String) throws(ModelError) {
        try require(input.count == 4, "\(name) needs an [N, C, H, W] input, found \(shapeText)")
    }

    /// Checks arguments that shapes are computed from, so that computing them cannot overflow.
    private func requireWithinLimit(_ name: String, _ arguments: KeyValuePairs<String, Int>) throws(ModelError) {
        for (argument, value) in arguments {
            try require(
                value <= ModelLimits.largestTensor,
                "\(name) \(argument) \(value) is larger than netc's limit of \(ModelLimits.largestTensor)")
        }
    }

    private func requireWeightWithinLimit(_ shape: [Int]) throws(ModelError) {
        try require(ModelLimits.elementCount(shape) != nil, ModelLimits.tooLarge("its weight", shape))
    }

    private func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(ModelError) {
        guard condition else { throw ModelError(at: layer.location, layer: path, message()) }
    }
}

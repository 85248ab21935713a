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
        case .conv2D(let outChannels, let kernel, let stride, let padding, _):
            try require(outChannels > 0, "Conv2D needs a positive number of output channels, found \(outChannels)")
            try require(kernel > 0, "Conv2D kernel must be positive, found \(kernel)")
            try require(stride > 0, "Conv2D stride must be positive, found \(stride)")
            try require(padding >= 0, "Conv2D padding must not be negative, found \(padding)")
            try requireImage("Conv2D")
            try requireWithinLimit("Conv2D", ["output channels": outChannels, "kernel": kernel, "padding": padding])
            try requireWeightWithinLimit([outChannels, input[1], kernel, kernel])
            let conv = ConvolutionAttributes(kernel: kernel, stride: stride, padding: padding)
            try require(
                conv.outputLength(input[2]) > 0 && conv.outputLength(input[3]) > 0,
                "Conv2D kernel \(kernel) with padding \(padding) does not fit its input \(shapeText)")
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
        case .maxPool(let size, let stride), .avgPool(let size, let stride):
            let name = if case .maxPool = layer.kind { "MaxPool" } else { "AvgPool" }
            try require(size > 0, "\(name) size must be positive, found \(size)")
            try require(stride > 0, "\(name) stride must be positive, found \(stride)")
            try requireImage(name)
            try require(
                size <= input[2] && size <= input[3],
                "\(name) window \(size)×\(size) is larger than its input \(shapeText)")
        case .dropout(let probability):
            try require(
                probability >= 0 && probability < 1, "Dropout probability must be in [0, 1), found \(probability)")
        case .flatten:
            try require(input.count >= 2, "Flatten needs a batched input, found \(shapeText)")
        case .sequential(let name, _):
            try require(!name.isEmpty, "a Sequential needs a non-empty name")
            try require(
                !name.contains(".") && !name.contains(where: \.isWhitespace),
                "Sequential name '\(name)' may not contain dots or spaces (it becomes part of parameter names)")
        case .relu:
            break
        }
    }

    private var shapeText: String { GraphBuilder.format(input) }

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

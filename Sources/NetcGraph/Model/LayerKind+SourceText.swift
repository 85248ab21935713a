extension LayerKind {
    /// The layer as it would be written in a `.swift-dsl` file, with arguments left at their defaults omitted:
    /// `Conv2D(32, kernel: 3, padding: 1)`; a group shows its call without its block.
    public var sourceText: String {
        switch self {
        case .conv2D(let outChannels, let kernel, let stride, let padding, let dilation, let groups, let bias):
            var arguments = ["\(outChannels)", "kernel: \(kernel)"]
            if stride != 1 { arguments.append("stride: \(stride)") }
            if padding != 0 { arguments.append("padding: \(padding)") }
            if dilation != 1 { arguments.append("dilation: \(dilation)") }
            if groups != 1 { arguments.append("groups: \(groups)") }
            if !bias { arguments.append("bias: false") }
            return "Conv2D(\(arguments.joined(separator: ", ")))"
        case .linear(let outFeatures, let bias):
            return bias ? "Linear(\(outFeatures))" : "Linear(\(outFeatures), bias: false)"
        case .relu:
            return "ReLU()"
        case .activation(.leakyReLU(let slope)):
            return slope == 0.01 ? "LeakyReLU()" : "LeakyReLU(\(slope))"
        case .activation(let activation):
            return "\(activation.layerName)()"
        case .batchNorm(let momentum, let epsilon):
            var arguments: [String] = []
            if momentum != 0.1 { arguments.append("momentum: \(momentum)") }
            if epsilon != 1e-5 { arguments.append("epsilon: \(epsilon)") }
            return "BatchNorm(\(arguments.joined(separator: ", ")))"
        case .maxPool(let size, let stride, let padding):
            return Self.pool("MaxPool", size: size, stride: stride, padding: padding)
        case .avgPool(let size, let stride, let padding):
            return Self.pool("AvgPool", size: size, stride: stride, padding: padding)
        case .globalAvgPool:
            return "GlobalAvgPool()"
        case .dropout(let probability):
            return "Dropout(\(probability))"
        case .flatten:
            return "Flatten()"
        case .sequential(let name, _):
            return "Sequential(\"\(name)\")"
        case .residual(let name, _, _):
            return "Residual(\"\(name)\")"
        case .concat(let name, _):
            return "Concat(\"\(name)\")"
        }
    }

    private static func pool(_ name: String, size: Int, stride: Int, padding: Int) -> String {
        var arguments = ["\(size)"]
        if stride != size { arguments.append("stride: \(stride)") }
        if padding != 0 { arguments.append("padding: \(padding)") }
        return "\(name)(\(arguments.joined(separator: ", ")))"
    }
}

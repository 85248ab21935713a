extension LayerKind {
    /// The layer as it would be written in a `.swift-dsl` file, with arguments left at their defaults omitted:
    /// `Conv2D(32, kernel: 3, padding: 1)`.
    public var sourceText: String {
        switch self {
        case .conv2D(let outChannels, let kernel, let stride, let padding, let bias):
            var arguments = ["\(outChannels)", "kernel: \(kernel)"]
            if stride != 1 { arguments.append("stride: \(stride)") }
            if padding != 0 { arguments.append("padding: \(padding)") }
            if !bias { arguments.append("bias: false") }
            return "Conv2D(\(arguments.joined(separator: ", ")))"
        case .linear(let outFeatures, let bias):
            return bias ? "Linear(\(outFeatures))" : "Linear(\(outFeatures), bias: false)"
        case .relu:
            return "ReLU()"
        case .batchNorm(let momentum, let epsilon):
            var arguments: [String] = []
            if momentum != 0.1 { arguments.append("momentum: \(momentum)") }
            if epsilon != 1e-5 { arguments.append("epsilon: \(epsilon)") }
            return "BatchNorm(\(arguments.joined(separator: ", ")))"
        case .maxPool(let size, let stride):
            return stride == size ? "MaxPool(\(size))" : "MaxPool(\(size), stride: \(stride))"
        case .avgPool(let size, let stride):
            return stride == size ? "AvgPool(\(size))" : "AvgPool(\(size), stride: \(stride))"
        case .dropout(let probability):
            return "Dropout(\(probability))"
        case .flatten:
            return "Flatten()"
        case .sequential(let name, _):
            return "Sequential(\"\(name)\")"
        }
    }
}

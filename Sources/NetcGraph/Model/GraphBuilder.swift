/// Walks a `NetworkSpec` in order, checks each layer against the shape flowing into it, and appends its ops,
/// parameters and state to a forward graph.
///
/// Parameter names follow PyTorch's `state_dict`: a `Sequential`'s children are numbered from 0 and named
/// groups use their name (`conv1.0.weight`); an unnamed top-level layer takes its position among the top-level
/// layers. Initialisers follow PyTorch's defaults.
struct GraphBuilder {
    let spec: NetworkSpec
    let batchSize: Int
    let mode: GraphMode
    private(set) var graph = Graph()
    private(set) var layers: [LayerSummary] = []
    private var dropoutCount: UInt64 = 0
    private var limits = ModelLimits()

    init(spec: NetworkSpec, batchSize: Int, mode: GraphMode) {
        self.spec = spec
        self.batchSize = batchSize
        self.mode = mode
    }

    mutating func build() throws(ModelError) {
        try checkNetwork()
        let input = spec.input
        var x = graph.add(
            .input(.images), [], type: .float(batchSize, input.channels, input.height, input.width), name: "input")
        x = try addLayers(spec.layers, prefix: "", input: x)
        let shape = graph.type(of: x).shape
        guard shape == [batchSize, spec.classes] else {
            throw ModelError(
                at: spec.location, layer: "",
                "the network ends with shape \(Self.format(shape)) but declares classes: \(spec.classes); "
                    + "it must end with [N, \(spec.classes)] (Flatten() then Linear(\(spec.classes)))")
        }
        graph.outputs.append(GraphOutput("logits", x))
    }

    private func checkNetwork() throws(ModelError) {
        let input = spec.input
        guard min(input.channels, input.height, input.width) > 0 else {
            throw ModelError(
                at: spec.location, layer: "",
                "input image sizes must be positive, found channels: \(input.channels), height: \(input.height), "
                    + "width: \(input.width)")
        }
        guard spec.classes > 0 else {
            throw ModelError(at: spec.location, layer: "", "classes must be positive, found \(spec.classes)")
        }
        guard batchSize > 0 else {
            throw ModelError(at: spec.location, layer: "", "the batch size must be positive, found \(batchSize)")
        }
        try ModelLimits.checkNetwork(spec, batchSize: batchSize)
    }

    /// Adds a list of sibling layers; `prefix` is the parent's path with a trailing dot, or empty at top level.
    private mutating func addLayers(
        _ children: [LayerSpec], prefix: String, input: ValueID
    ) throws(ModelError)
        -> ValueID
    {
        var seen: [String: LayerSpec] = [:]
        var x = input
        for (index, child) in children.enumerated() {
            var path = prefix + String(index)
            if case .sequential(let name, _) = child.kind {
                path = prefix + name
                if let first = seen[name] {
                    let previous = first.location.map { " (first defined at \($0))" } ?? ""
                    throw ModelError(at: child.location, layer: path, "duplicate name '\(name)'\(previous)")
                }
                seen[name] = child
            }
            x = try addLayer(child, path: path, input: x)
        }
        return x
    }

    private mutating func addLayer(
        _ layer: LayerSpec, path: String, input x: ValueID
    ) throws(ModelError)
        -> ValueID
    {
        let check = LayerCheck(layer: layer, path: path, input: graph.type(of: x).shape)
        try check.validate()
        let parametersBefore = graph.parameters.count
        let y: ValueID
        switch layer.kind {
        case .sequential(_, let children):
            return try addLayers(children, prefix: "\(path).", input: x)
        case .conv2D(let outChannels, let kernel, let stride, let padding, let bias):
            let inChannels = graph.type(of: x).shape[1]
            let fanIn = inChannels * kernel * kernel
            var inputs = [x, parameter(path, "weight", [outChannels, inChannels, kernel, kernel], fanIn: fanIn)]
            if bias { inputs.append(parameter(path, "bias", [outChannels], fanIn: fanIn)) }
            let conv = ConvolutionAttributes(kernel: kernel, stride: stride, padding: padding)
            y = graph.add(.conv2D(conv), inputs, name: path)
        case .linear(let outFeatures, let bias):
            let inFeatures = graph.type(of: x).shape[1]
            var inputs = [x, parameter(path, "weight", [outFeatures, inFeatures], fanIn: inFeatures)]
            if bias { inputs.append(parameter(path, "bias", [outFeatures], fanIn: inFeatures)) }
            y = graph.add(.linear, inputs, name: path)
        case .relu:
            y = graph.add(.relu, [x], name: path)
        case .batchNorm(let momentum, let epsilon):
            y = try addBatchNorm(x, layer: layer, path: path, momentum: momentum, epsilon: epsilon)
        case .maxPool(let size, let stride):
            y = graph.add(.maxPool(PoolAttributes(size: size, stride: stride)), [x], name: path)
        case .avgPool(let size, let stride):
            y = graph.add(.avgPool(PoolAttributes(size: size, stride: stride)), [x], name: path)
        case .dropout(let probability):
            y = addDropout(x, path: path, probability: probability)
        case .flatten:
            let shape = graph.type(of: x).shape
            y = graph.add(.reshape, [x], type: .float(shape[0], shape.dropFirst().reduce(1, *)), name: path)
        }
        let owned = graph.parameters.dropFirst(parametersBefore)
        let parameterCount = owned.reduce(0) { $0 + graph.type(of: $1).elementCount }
        try limits.count(output: graph.type(of: y).shape, parameters: parameterCount, of: layer, path: path)
        layers.append(
            LayerSummary(
                path: path, description: layer.kind.sourceText,
                outputShape: Array(graph.type(of: y).shape.dropFirst()), parameterCount: parameterCount))
        return y
    }

    private mutating func addBatchNorm(
        _ x: ValueID, layer: LayerSpec, path: String, momentum: Double, epsilon: Double
    ) throws(ModelError) -> ValueID {
        let channels = graph.type(of: x).shape[1]
        let samples = graph.type(of: x).elementCount / channels
        guard mode == .inference || samples > 1 else {
            // As PyTorch: the unbiased variance of a single value is undefined.
            throw ModelError(
                at: layer.location, layer: path,
                "BatchNorm in training needs more than one value per channel, but a batch of \(batchSize) gives "
                    + "\(samples) (N·H·W); train with a larger --batch-size")
        }
        let gamma = graph.add(.parameter(.constant(1)), [], type: .float(channels), name: "\(path).weight")
        let beta = graph.add(.parameter(.constant(0)), [], type: .float(channels), name: "\(path).bias")
        let runningMean = graph.add(.state(.constant(0)), [], type: .float(channels), name: "\(path).running_mean")
        let runningVariance = graph.add(
            .state(.constant(1)), [], type: .float(channels), name: "\(path).running_var")
        let count = graph.add(.state(.constant(0)), [], type: .scalar(.int64), name: "\(path).num_batches_tracked")
        switch mode {
        case .inference:
            return graph.add(
                .batchNormInference(epsilon: epsilon), [x, runningMean, runningVariance, gamma, beta], name: path)
        case .training:
            let moments = graph.add(.batchMoments, [x], name: "\(path).moments")
            let newMean = graph.add(
                .movingAverage(momentum: momentum, row: 0, scale: 1), [runningMean, moments],
                name: "\(path).running_mean.update")
            let newVariance = graph.add(
                .movingAverage(momentum: momentum, row: 1, scale: Double(samples) / Double(samples - 1)),
                [runningVariance, moments], name: "\(path).running_var.update")
            let newCount = graph.add(.increment, [count], name: "\(path).num_batches_tracked.update")
            graph.updates += [
                StateUpdate(target: runningMean, newValue: newMean),
                StateUpdate(target: runningVariance, newValue: newVariance),
                StateUpdate(target: count, newValue: newCount),
            ]
            return graph.add(.batchNormTraining(epsilon: epsilon), [x, moments, gamma, beta], name: path)
        }
    }

    private mutating func addDropout(_ x: ValueID, path: String, probability: Double) -> ValueID {
        defer { dropoutCount += 1 }
        guard mode == .training, probability > 0 else { return x }
        let seed = graph.input(.seed) ?? graph.add(.input(.seed), [], type: .scalar(.int64), name: "seed")
        let step = graph.input(.step) ?? graph.add(.input(.step), [], type: .scalar(.int64), name: "step")
        let attributes = DropoutAttributes(probability: probability, stream: dropoutCount)
        return graph.add(.dropout(attributes), [x, seed, step], name: path)
    }

    /// A weight or bias with PyTorch's default initialisation: both Kaiming-uniform with a = √5 for weights and
    /// the bias rule come to uniform(±1/√fan_in).
    private mutating func parameter(_ path: String, _ role: String, _ shape: [Int], fanIn: Int) -> ValueID {
        graph.add(
            .parameter(.uniform(bound: 1 / Double(fanIn).squareRoot())), [], type: TensorType(.float32, shape),
            name: "\(path).\(role)")
    }

    static func format(_ shape: [Int]) -> String {
        "[" + shape.enumerated().map { $0.offset == 0 ? "N" : String($0.element) }.joined(separator: ", ") + "]"
    }
}

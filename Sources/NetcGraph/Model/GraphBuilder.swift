/// Walks a `NetworkSpec` in order, checks each layer against the shape flowing into it, and appends its ops,
/// parameters and state to a forward graph.
///
/// Parameter names follow PyTorch's `state_dict`: a `Sequential`'s children are numbered from 0 and named
/// groups use their name (`conv1.0.weight`); an unnamed top-level layer takes its position among the top-level
/// layers; a `Residual`'s children live in `name.body` and `name.shortcut`, a `Concat`'s in `name.B` for branch
/// B. Initialisers follow PyTorch's defaults.
///
/// The graph is a DAG: a residual block's input is read by its body and its shortcut (or the join itself), a
/// concatenation's by every branch.
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
            if let name = child.kind.groupName {
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
        case .residual(_, let body, let shortcut):
            y = try addResidual(layer, path: path, input: x, body: body, shortcut: shortcut)
        case .concat(_, let branches):
            y = try addConcat(layer, path: path, input: x, branches: branches)
        case .conv2D(let outChannels, let kernel, let stride, let padding, let dilation, let groups, let bias):
            let groupChannels = graph.type(of: x).shape[1] / groups
            let fanIn = groupChannels * kernel * kernel
            var inputs = [x, parameter(path, "weight", [outChannels, groupChannels, kernel, kernel], fanIn: fanIn)]
            if bias { inputs.append(parameter(path, "bias", [outChannels], fanIn: fanIn)) }
            let conv = ConvolutionAttributes(
                kernel: kernel, stride: stride, padding: padding, dilation: dilation, groups: groups)
            y = graph.add(.conv2D(conv), inputs, name: path)
        case .linear(let outFeatures, let bias):
            let inFeatures = graph.type(of: x).shape[1]
            var inputs = [x, parameter(path, "weight", [outFeatures, inFeatures], fanIn: inFeatures)]
            if bias { inputs.append(parameter(path, "bias", [outFeatures], fanIn: inFeatures)) }
            y = graph.add(.linear, inputs, name: path)
        case .relu:
            y = graph.add(.relu, [x], name: path)
        case .activation(let activation):
            y = graph.add(.activation(activation), [x], name: path)
        case .batchNorm(let momentum, let epsilon):
            y = try addBatchNorm(x, layer: layer, path: path, momentum: momentum, epsilon: epsilon)
        case .maxPool(let size, let stride, let padding):
            y = graph.add(.maxPool(PoolAttributes(size: size, stride: stride, padding: padding)), [x], name: path)
        case .avgPool(let size, let stride, let padding):
            y = graph.add(.avgPool(PoolAttributes(size: size, stride: stride, padding: padding)), [x], name: path)
        case .globalAvgPool:
            y = graph.add(.globalAvgPool, [x], name: path)
        case .dropout(let probability):
            y = addDropout(x, path: path, probability: probability)
        case .flatten:
            let shape = graph.type(of: x).shape
            y = graph.add(.reshape, [x], type: .float(shape[0], shape.dropFirst().reduce(1, *)), name: path)
        }
        // A group's children count their own parameters; its row is the join alone.
        let owned = layer.kind.children.isEmpty ? graph.parameters.dropFirst(parametersBefore) : []
        let parameterCount = owned.reduce(0) { $0 + graph.type(of: $1).elementCount }
        try limits.count(output: graph.type(of: y).shape, parameters: parameterCount, of: layer, path: path)
        layers.append(
            LayerSummary(
                path: path, description: layer.kind.sourceText, inputShape: Array(graph.type(of: x).shape.dropFirst()),
                outputShape: Array(graph.type(of: y).shape.dropFirst()), parameterCount: parameterCount))
        return y
    }

    /// body(x) + shortcut(x), with the identity as shortcut when none is given; the two must have one shape.
    private mutating func addResidual(
        _ layer: LayerSpec, path: String, input x: ValueID, body: [LayerSpec], shortcut: [LayerSpec]
    ) throws(ModelError) -> ValueID {
        let main = try addLayers(body, prefix: "\(path).body.", input: x)
        let side = shortcut.isEmpty ? x : try addLayers(shortcut, prefix: "\(path).shortcut.", input: x)
        let (mainShape, sideShape) = (graph.type(of: main).shape, graph.type(of: side).shape)
        guard mainShape == sideShape else {
            let sideName = shortcut.isEmpty ? "its input (the identity shortcut)" : "its shortcut"
            let fix =
                shortcut.isEmpty
                ? "; add a projection, e.g. shortcut: { Conv2D(\(mainShape.count > 1 ? mainShape[1] : 1), kernel: 1, "
                    + "stride: ...) }"
                : ""
            throw ModelError(
                at: layer.location, layer: path,
                "Residual body gives \(Self.format(mainShape)) but \(sideName) gives \(Self.format(sideShape)); "
                    + "the two are added, so their shapes must agree\(fix)")
        }
        return graph.add(.add, [main, side], name: path)
    }

    /// Every branch applied to x, joined along channels; all other dimensions must agree.
    private mutating func addConcat(
        _ layer: LayerSpec, path: String, input x: ValueID, branches: [[LayerSpec]]
    ) throws(ModelError) -> ValueID {
        var outputs: [ValueID] = []
        for (index, branch) in branches.enumerated() {
            outputs.append(try addLayers(branch, prefix: "\(path).\(index).", input: x))
        }
        let first = graph.type(of: outputs[0]).shape
        for (index, output) in outputs.enumerated().dropFirst() {
            let shape = graph.type(of: output).shape
            var (left, right) = (first, shape)
            if left.count > 1 && right.count > 1 { (left[1], right[1]) = (0, 0) }
            guard left == right else {
                throw ModelError(
                    at: layer.location, layer: path,
                    "Concat joins its branches along channels, so every other dimension must agree, but branch 0 "
                        + "gives \(Self.format(first)) and branch \(index) gives \(Self.format(shape))")
            }
        }
        guard first.count > 1 else {
            throw ModelError(
                at: layer.location, layer: path, "Concat needs batched inputs, found \(Self.format(first))")
        }
        return graph.add(.concat, outputs, name: path)
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

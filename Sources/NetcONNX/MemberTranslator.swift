import NetcGraph
import ONNXProto

/// Writes one model's inference graph into an ONNX graph, node by node: each op as the ONNX operator that computes
/// the same, parameters and running statistics as initialisers, and an inference BatchNorm folded into the
/// convolution or linear layer before it when that layer feeds nothing else (see `BatchNormFolding`).
///
/// Every ONNX name is the netc name behind `prefix` (`fold2/conv1.0`, `fold2/conv1.0.weight`); a folded pair is
/// named after both layers (`fold2/features.0+features.1`).
struct MemberTranslator {
    private let graph: Graph
    private let tensors: [String: Tensor]
    private let member: String
    private let prefix: String
    /// Convolution and linear layers whose only reader is a BatchNorm, mapped to that BatchNorm.
    private let foldedInto: [ValueID: ValueID]
    /// The ONNX name of every value written so far.
    private var names: [ValueID: String] = [:]

    /// A translator for `graph`, an inference graph whose parameters and state are `tensors`; `member` names the
    /// model in errors.
    init(graph: Graph, tensors: [String: Tensor], member: String, prefix: String) {
        self.graph = graph
        self.tensors = tensors
        self.member = member
        self.prefix = prefix
        foldedInto = Self.foldableLayers(in: graph)
    }

    /// Adds the graph's nodes reading the normalised images `input`, and returns the name of its logits, which is
    /// `output`.
    mutating func translate(
        input: String, output: String, into builder: inout ONNXGraphBuilder
    ) throws(ONNXExportError)
        -> String
    {
        guard let logits = graph.output(named: "logits") else { preconditionFailure("a network without logits") }
        for value in graph.values {
            let isOutput = value == logits || foldedInto[value] == logits
            try translate(value, named: isOutput ? output : nil, input: input, into: &builder)
        }
        guard let name = names[logits] else { preconditionFailure("the logits were not written") }
        return name
    }

    /// The one place that decides each op's ONNX form.
    private mutating func translate(
        _ value: ValueID, named outputName: String?, input: String, into builder: inout ONNXGraphBuilder
    ) throws(ONNXExportError) {
        let node = graph[value]
        let folded = foldedInto[value].map { "+" + graph[$0].name } ?? ""
        let name = prefix + node.name + folded
        func output(_ opType: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto]) {
            names[value] = builder.addNode(
                opType, inputs, output: outputName ?? name, name: name, attributes: attributes)
        }
        switch node.op {
        case .input(.images):
            names[value] = input
        case .parameter, .state:
            break  // written as initialisers where they are read
        case .conv2D(let conv):
            let attributes: [Onnx_AttributeProto] = [
                .ints("kernel_shape", [conv.kernel, conv.kernel]), .ints("strides", [conv.stride, conv.stride]),
                .ints("pads", Array(repeating: conv.padding, count: 4)),
                .ints("dilations", [conv.dilation, conv.dilation]), .int("group", conv.groups),
            ]
            output("Conv", try [operand(node.inputs[0], &builder)] + weights(of: value, &builder), attributes)
        case .linear:
            output("Gemm", try [operand(node.inputs[0], &builder)] + weights(of: value, &builder), [.int("transB", 1)])
        case .batchNormInference(let epsilon):
            if foldedInto[node.inputs[0]] == value {
                names[value] = names[node.inputs[0]]
            } else {
                // ONNX orders the inputs x, scale, bias, mean, variance; netc x, mean, variance, scale, bias.
                let operands = try [0, 3, 4, 1, 2].map { index throws(ONNXExportError) in
                    try operand(node.inputs[index], &builder)
                }
                output("BatchNormalization", operands, [.float("epsilon", epsilon)])
            }
        case .relu:
            output("Relu", [try operand(node.inputs[0], &builder)], [])
        case .activation(let function):
            let x = try operand(node.inputs[0], &builder)
            names[value] = Self.activation(function, of: x, output: outputName ?? name, node: name, &builder)
        case .maxPool(let pool):
            output("MaxPool", [try operand(node.inputs[0], &builder)], Self.window(pool))
        case .avgPool(let pool):
            // Padding counts in the mean, as in PyTorch's default.
            let attributes = Self.window(pool) + [.int("count_include_pad", 1)]
            output("AveragePool", [try operand(node.inputs[0], &builder)], attributes)
        case .globalAvgPool:
            output("GlobalAveragePool", [try operand(node.inputs[0], &builder)], [])
        case .concat:
            let inputs = try node.inputs.map { input throws(ONNXExportError) in try operand(input, &builder) }
            output("Concat", inputs, [.int("axis", 1)])
        case .reshape:
            let x = try operand(node.inputs[0], &builder)
            let shape = node.type.shape
            guard let images = graph.input(.images), shape.first == graph.type(of: images).shape.first else {
                throw noONNXForm(node, "it mixes the images of a batch")
            }
            if shape.count == 2 {
                output("Flatten", [x], [.int("axis", 1)])
            } else {
                // 0 keeps the batch dimension, whatever its size at run time.
                let target = builder.addInitializer(name + ".shape", int64: [0] + shape.dropFirst())
                output("Reshape", [x, target], [])
            }
        case .add:
            output("Add", try node.inputs.map { input throws(ONNXExportError) in try operand(input, &builder) }, [])
        case .input, .dropout, .batchMoments, .batchNormTraining, .softmaxCrossEntropy, .movingAverage, .increment:
            throw noONNXForm(node, "it belongs to training; netc exports a network's inference graph")
        case .constant, .reluBackward, .activationBackward, .conv2DBackwardInput, .conv2DBackwardWeight,
            .linearBackwardInput, .linearBackwardWeight, .sumToChannels, .maxPoolBackward, .avgPoolBackward,
            .globalAvgPoolBackward, .channelSlice, .dropoutBackward, .batchNormTrainingBackward,
            .batchNormScaleGradient, .softmaxCrossEntropyBackward:
            throw noONNXForm(node, "it belongs to the backward pass; netc exports a network's inference graph")
        case .adamFirstMoment, .adamSecondMoment, .adamUpdate, .sgdMomentum, .sgdUpdate, .exponentialMovingAverage:
            throw noONNXForm(node, "it is an optimizer step; netc exports a network's inference graph")
        }
    }

    /// The ONNX name of `value`; a parameter or state tensor is added as an initialiser the first time it is read.
    private mutating func operand(
        _ value: ValueID, _ builder: inout ONNXGraphBuilder
    ) throws(ONNXExportError)
        -> String
    {
        if let name = names[value] { return name }
        let tensor = try tensor(value)
        let name = builder.addInitializer(prefix + graph[value].name, float32: tensor.scalars, shape: tensor.shape)
        names[value] = name
        return name
    }

    /// The weight and bias operands of a convolution or linear layer, folded with its BatchNorm when it has one.
    private mutating func weights(
        of layer: ValueID, _ builder: inout ONNXGraphBuilder
    ) throws(ONNXExportError)
        -> [String]
    {
        let parameters = graph[layer].inputs.dropFirst()
        guard let norm = foldedInto[layer] else {
            return try parameters.map { parameter throws(ONNXExportError) in try operand(parameter, &builder) }
        }
        let statistics = graph[norm].inputs
        guard case .batchNormInference(let epsilon) = graph[norm].op else { preconditionFailure("not a BatchNorm") }
        let folding = try BatchNormFolding(
            weight: tensor(parameters[parameters.startIndex]),
            bias: parameters.count > 1 ? tensor(parameters[parameters.startIndex + 1]) : nil,
            mean: tensor(statistics[1]), variance: tensor(statistics[2]), scale: tensor(statistics[3]),
            shift: tensor(statistics[4]), epsilon: epsilon)
        let name = prefix + graph[layer].name + "+" + graph[norm].name
        return [
            builder.addInitializer(name + ".weight", float32: folding.weight.scalars, shape: folding.weight.shape),
            builder.addInitializer(name + ".bias", float32: folding.bias.scalars, shape: folding.bias.shape),
        ]
    }

    /// The model's value of a parameter or state tensor.
    private func tensor(_ value: ValueID) throws(ONNXExportError) -> Tensor {
        guard let tensor = tensors[graph[value].name] else {
            throw ONNXExportError(.missingTensor(name: graph[value].name, member: member))
        }
        return tensor
    }

    private func noONNXForm(_ node: Node, _ reason: String) -> ONNXExportError {
        ONNXExportError(.noONNXForm(layer: node.name, op: node.op.mnemonic, reason: reason))
    }

    private static func window(_ pool: PoolAttributes) -> [Onnx_AttributeProto] {
        [
            .ints("kernel_shape", [pool.size, pool.size]), .ints("strides", [pool.stride, pool.stride]),
            .ints("pads", Array(repeating: pool.padding, count: 4)),
        ]
    }

    /// Adds `function(x)` as ONNX nodes, the last one computing `output`; returns `output`'s unique name. GELU
    /// (exact) and SiLU have no operator of their own before opset 20, so they are written out.
    private static func activation(
        _ function: Activation, of x: String, output: String, node: String, _ builder: inout ONNXGraphBuilder
    ) -> String {
        switch function {
        case .leakyReLU(let slope):
            return builder.addNode("LeakyRelu", [x], output: output, name: node, attributes: [.float("alpha", slope)])
        case .sigmoid:
            return builder.addNode("Sigmoid", [x], output: output, name: node)
        case .tanh:
            return builder.addNode("Tanh", [x], output: output, name: node)
        case .gelu:
            // x/2·(1 + erf(x/√2))
            let scaled = builder.addNode(
                "Mul", [x, builder.scalar(Activation.inverseSquareRootOfTwo)], output: node + "/scaled")
            let erf = builder.addNode("Erf", [scaled], output: node + "/erf")
            let shifted = builder.addNode("Add", [erf, builder.scalar(1)], output: node + "/erf_plus_1")
            let product = builder.addNode("Mul", [x, shifted], output: node + "/product")
            return builder.addNode("Mul", [product, builder.scalar(0.5)], output: output, name: node)
        case .silu:
            // x·sigmoid(x)
            let sigmoid = builder.addNode("Sigmoid", [x], output: node + "/sigmoid")
            return builder.addNode("Mul", [x, sigmoid], output: output, name: node)
        }
    }

    /// Convolutions and linear layers read by nothing but an inference BatchNorm (so folding it in changes no
    /// other reader), each mapped to that BatchNorm.
    static func foldableLayers(in graph: Graph) -> [ValueID: ValueID] {
        var readers = [ValueID: Int]()
        for value in graph.values { for input in graph[value].inputs { readers[input, default: 0] += 1 } }
        for output in graph.outputs { readers[output.value, default: 0] += 1 }
        var folds = [ValueID: ValueID]()
        for value in graph.values {
            guard case .batchNormInference = graph[value].op else { continue }
            let layer = graph[value].inputs[0]
            let op = graph[layer].op
            let isConvolutionOrLinear = if case .conv2D = op { true } else { op == .linear }
            if isConvolutionOrLinear && readers[layer] == 1 { folds[layer] = value }
        }
        return folds
    }
}

import NetcGraph

extension KernelSignature {
    /// The signatures of every scheduled convolution and linear kernel of `graph` (all but grouped and dilated
    /// convolutions, which take the general lowering), in graph order without repeats, each as its kernel is
    /// compiled (a forward convolution that sums BatchNorm statistics says so; a weight gradient summed in a BatchNorm
    /// backward pass, `FusionGroup.weightGradient`, has no kernel of its own).
    public static func all(in graph: Graph) -> [KernelSignature] {
        let fusion = LoopPipeline.fusion(of: graph)
        var found: [KernelSignature] = []
        for value in graph.values {
            if let signature = scheduled(value, in: graph, fusion), !found.contains(signature) {
                found.append(signature)
            }
        }
        return found
    }

    /// The signature of `value`'s kernel when it is a scheduled convolution or linear kernel of its own.
    private static func scheduled(_ value: ValueID, in graph: Graph, _ fusion: FusionPlan) -> KernelSignature? {
        let node = graph[value]
        switch node.op {
        case .conv2D(let conv):
            guard !conv.needsGeneralLowering else { return nil }
            let group = fusion.groups.first { $0.root == value }
            return KernelSignature(
                convolution: .forward, input: graph.type(of: node.inputs[0]).shape,
                outChannels: graph.type(of: node.inputs[1]).shape[0], conv,
                sumsStatistics: group.map(fusion.sumsStatistics) ?? false)
        case .conv2DBackwardInput(let conv):
            guard !conv.needsGeneralLowering else { return nil }
            return KernelSignature(
                convolution: .inputGradient, input: node.type.shape,
                outChannels: graph.type(of: node.inputs[1]).shape[0], conv)
        case .conv2DBackwardWeight(let conv):
            guard !conv.needsGeneralLowering, !fusion.groups.contains(where: { $0.weightGradient == value }) else {
                return nil
            }
            return KernelSignature(
                convolution: .weightGradient, input: graph.type(of: node.inputs[0]).shape,
                outChannels: graph.type(of: node.inputs[1]).shape[1], conv)
        case .linear:
            let (x, w) = (graph.type(of: node.inputs[0]).shape, graph.type(of: node.inputs[1]).shape)
            return KernelSignature(linear: .forward, batch: x[0], inFeatures: x[1], outFeatures: w[0])
        case .linearBackwardInput:
            let (dy, w) = (graph.type(of: node.inputs[0]).shape, graph.type(of: node.inputs[1]).shape)
            return KernelSignature(linear: .inputGradient, batch: dy[0], inFeatures: w[1], outFeatures: dy[1])
        case .linearBackwardWeight:
            let (x, dy) = (graph.type(of: node.inputs[0]).shape, graph.type(of: node.inputs[1]).shape)
            return KernelSignature(linear: .weightGradient, batch: x[0], inFeatures: x[1], outFeatures: dy[1])
        case .input, .parameter, .state, .constant, .relu, .activation, .maxPool, .avgPool, .globalAvgPool, .concat,
            .dropout, .reshape, .batchMoments, .batchNormTraining, .batchNormInference, .softmaxCrossEntropy,
            .movingAverage, .increment, .reluBackward, .activationBackward, .sumToChannels, .maxPoolBackward,
            .avgPoolBackward, .globalAvgPoolBackward, .channelSlice, .dropoutBackward, .batchNormTrainingBackward,
            .batchNormScaleGradient, .softmaxCrossEntropyBackward, .add, .adamFirstMoment, .adamSecondMoment,
            .adamUpdate, .sgdMomentum, .sgdUpdate, .exponentialMovingAverage:
            return nil
        }
    }

    /// A graph computing exactly this kernel from random sources (`kernel.x`, `kernel.w`, `kernel.dy`, ...), its result
    /// the output `result` (and, when the kernel sums statistics, their `batchMoments` the output `moments`): what
    /// `netc tune` times and what tests compare with the interpreter.
    public var graph: Graph {
        var graph = Graph()
        func source(_ name: String, _ shape: [Int]) -> ValueID {
            graph.add(.state(.uniform(bound: 1)), [], type: TensorType(.float32, shape), name: "kernel.\(name)")
        }
        func result(_ op: Op, _ inputs: [ValueID], _ shape: [Int], _ name: String) {
            let value = graph.add(op, inputs, type: TensorType(.float32, shape), name: "kernel.\(name)")
            graph.outputs = [GraphOutput("result", value)]
        }
        if operation == "linear" {
            let (batch, features, outputs) = (sizes[0], sizes[1], sizes[2])
            switch role {
            case .forward:
                let inputs = [
                    source("x", [batch, features]), source("w", [outputs, features]), source("b", [outputs]),
                ]
                result(.linear, inputs, [batch, outputs], "y")
            case .inputGradient:
                result(
                    .linearBackwardInput, [source("dy", [batch, outputs]), source("w", [outputs, features])],
                    [batch, features], "dx")
            case .weightGradient:
                result(
                    .linearBackwardWeight, [source("x", [batch, features]), source("dy", [batch, outputs])],
                    [outputs, features], "dw")
            }
            return graph
        }
        precondition(operation == "conv2d" && sizes.count == 8, "a convolution's or linear layer's signature")
        let (input, outChannels) = (Array(sizes[0...3]), sizes[4])
        let conv = ConvolutionAttributes(kernel: sizes[5], stride: sizes[6], padding: sizes[7])
        let output = [input[0], outChannels, conv.outputLength(input[2]), conv.outputLength(input[3])]
        let weight = [outChannels, input[1], conv.kernel, conv.kernel]
        switch role {
        case .forward:
            result(.conv2D(conv), [source("x", input), source("w", weight), source("b", [outChannels])], output, "y")
            if sumsStatistics, let y = graph.outputs.first?.value {
                graph.outputs.append(GraphOutput("moments", graph.add(.batchMoments, [y], name: "kernel.moments")))
            }
        case .inputGradient:
            result(.conv2DBackwardInput(conv), [source("dy", output), source("w", weight)], input, "dx")
        case .weightGradient:
            result(.conv2DBackwardWeight(conv), [source("x", input), source("dy", output)], weight, "dw")
        }
        return graph
    }
}

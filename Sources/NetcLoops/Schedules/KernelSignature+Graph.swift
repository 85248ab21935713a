import NetcGraph

extension KernelSignature {
    /// The signatures of every convolution kernel of `graph`, in graph order without repeats.
    public static func all(in graph: Graph) -> [KernelSignature] {
        var found: [KernelSignature] = []
        for value in graph.values {
            let node = graph[value]
            let signature: KernelSignature
            switch node.op {
            case .conv2D(let conv):
                signature = KernelSignature(
                    convolution: .forward, input: graph.type(of: node.inputs[0]).shape,
                    outChannels: graph.type(of: node.inputs[1]).shape[0], conv)
            case .conv2DBackwardInput(let conv):
                signature = KernelSignature(
                    convolution: .inputGradient, input: node.type.shape,
                    outChannels: graph.type(of: node.inputs[1]).shape[0], conv)
            case .conv2DBackwardWeight(let conv):
                signature = KernelSignature(
                    convolution: .weightGradient, input: graph.type(of: node.inputs[0]).shape,
                    outChannels: graph.type(of: node.inputs[1]).shape[1], conv)
            default:
                continue
            }
            if !found.contains(signature) { found.append(signature) }
        }
        return found
    }

    /// A graph computing exactly this kernel from random sources (`kernel.x`, `kernel.w`, `kernel.dy`, ...), its result
    /// the output `result`: what `netc tune` times and what tests compare with the interpreter.
    public var graph: Graph {
        precondition(operation == "conv2d" && sizes.count == 8, "a convolution's signature")
        let (input, outChannels) = (Array(sizes[0...3]), sizes[4])
        let conv = ConvolutionAttributes(kernel: sizes[5], stride: sizes[6], padding: sizes[7])
        let output = [input[0], outChannels, conv.outputLength(input[2]), conv.outputLength(input[3])]
        let weight = [outChannels, input[1], conv.kernel, conv.kernel]
        var graph = Graph()
        func source(_ name: String, _ shape: [Int]) -> ValueID {
            graph.add(.state(.uniform(bound: 1)), [], type: TensorType(.float32, shape), name: "kernel.\(name)")
        }
        let result: ValueID
        switch role {
        case .forward:
            let (x, w, b) = (source("x", input), source("w", weight), source("b", [outChannels]))
            result = graph.add(.conv2D(conv), [x, w, b], type: TensorType(.float32, output), name: "kernel.y")
        case .inputGradient:
            let (dy, w) = (source("dy", output), source("w", weight))
            result = graph.add(
                .conv2DBackwardInput(conv), [dy, w], type: TensorType(.float32, input), name: "kernel.dx")
        case .weightGradient:
            let (x, dy) = (source("x", input), source("dy", output))
            result = graph.add(
                .conv2DBackwardWeight(conv), [x, dy], type: TensorType(.float32, weight), name: "kernel.dw")
        }
        graph.outputs = [GraphOutput("result", result)]
        return graph
    }
}

import NetcGraph

/// Makes `reluBackward` test the ReLU's output instead of its input, so the convolution before a ReLU has one
/// reader and the ReLU can run as its epilogue (`conv_relu` in one kernel, the pre-activation never stored).
///
///     before:  %5 = conv2D(%0, %1, %2)   %6 = relu(%5)   ...   %30 = reluBackward(%5, %29)
///     after:   %5 = conv2D(%0, %1, %2)   %6 = relu(%5)   ...   %30 = reluBackward(%6, %29)
///
/// Sound because relu(x) > 0 exactly when x > 0. Node ids do not change.
struct ReluBackwardFromOutput {
    /// The graph with every such `reluBackward` rewritten.
    func rewritten(_ graph: Graph) -> Graph {
        var reluOf: [ValueID: ValueID] = [:]
        for value in graph.values where graph[value].op == .relu {
            reluOf[graph[value].inputs[0]] = reluOf[graph[value].inputs[0]] ?? value
        }
        var result = Graph()
        for value in graph.values {
            let node = graph[value]
            var inputs = node.inputs
            if node.op == .reluBackward, let relu = reluOf[inputs[0]], relu < value {
                inputs[0] = relu
            }
            result.add(node.op, inputs, type: node.type, name: node.name)
        }
        result.outputs = graph.outputs
        result.updates = graph.updates
        return result
    }
}

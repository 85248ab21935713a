extension Graph {
    /// The graph as text, one node a line, then its outputs and state updates:
    ///
    ///     %3 = conv2D[kernel 3, stride 1, padding 1](%0, %1, %2) : f32[100, 32, 28, 28]  // conv1.0
    ///     outputs: logits = %30, loss = %32
    ///     updates: conv1.2.running_mean ← %12
    public var text: String {
        var lines: [String] = []
        for value in values {
            let node = self[value]
            let attributes = node.op.attributeText.isEmpty ? "" : "[\(node.op.attributeText)]"
            let arguments = node.inputs.isEmpty ? "" : "(\(node.inputs.map(\.description).joined(separator: ", ")))"
            lines.append("\(value) = \(node.op.mnemonic)\(attributes)\(arguments) : \(node.type)  // \(node.name)")
        }
        if !outputs.isEmpty {
            lines.append("outputs: " + outputs.map { "\($0.name) = \($0.value)" }.joined(separator: ", "))
        }
        for update in updates {
            lines.append("update: \(self[update.target].name) ← \(update.newValue)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The graph in Graphviz DOT: sources as ellipses, ops as boxes labelled with the layer name, op and shape,
    /// state updates as dashed edges back to their targets.
    public var dot: String {
        var lines = ["digraph netc {", "  rankdir=TB;", "  node [fontname=\"Helvetica\", fontsize=10];"]
        for value in values {
            let node = self[value]
            let shape = node.op.isSource ? "ellipse" : "box"
            let label = "\(node.name)\\n\(node.op.mnemonic)\\n\(node.type)"
            lines.append("  n\(value.index) [shape=\(shape), label=\"\(Self.escaped(label))\"];")
            for input in node.inputs {
                lines.append("  n\(input.index) -> n\(value.index);")
            }
        }
        for output in outputs {
            lines.append("  out_\(output.value.index) [shape=plaintext, label=\"\(Self.escaped(output.name))\"];")
            lines.append("  n\(output.value.index) -> out_\(output.value.index);")
        }
        for update in updates {
            lines.append("  n\(update.newValue.index) -> n\(update.target.index) [style=dashed, constraint=false];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escaped(_ text: String) -> String {
        text.flatMap { $0 == "\"" ? ["\\", "\""] : [$0] }.map(String.init).joined()
    }
}

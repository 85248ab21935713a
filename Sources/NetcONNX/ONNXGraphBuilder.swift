import ONNXProto

/// Appends nodes and initialisers to an ONNX graph, keeping every value name unique (ONNX graphs are in SSA
/// form: each name is assigned once).
struct ONNXGraphBuilder {
    /// The graph so far.
    private(set) var graph = Onnx_GraphProto()
    private var usedNames: Set<String> = []
    private var scalars: [Double: String] = [:]

    /// Claims `name`, or `name` with the first free `_2`, `_3`, … suffix when it is taken.
    mutating func uniqueName(_ name: String) -> String {
        var candidate = name
        var counter = 1
        while usedNames.contains(candidate) {
            counter += 1
            candidate = "\(name)_\(counter)"
        }
        usedNames.insert(candidate)
        return candidate
    }

    /// Adds a float32 initialiser and returns its name.
    mutating func addInitializer(_ name: String, float32 values: [Double], shape: [Int]) -> String {
        let unique = uniqueName(name)
        graph.initializer.append(Onnx_TensorProto(name: unique, float32: values, shape: shape))
        return unique
    }

    /// A float32 scalar initialiser holding `value`, added the first time it is asked for.
    mutating func scalar(_ value: Double) -> String {
        if let name = scalars[value] { return name }
        let name = addInitializer("constant_\(value)", float32: [value], shape: [])
        scalars[value] = name
        return name
    }

    /// Adds an int64 initialiser and returns its name.
    mutating func addInitializer(_ name: String, int64 values: [Int]) -> String {
        let unique = uniqueName(name)
        graph.initializer.append(Onnx_TensorProto(name: unique, int64: values, shape: [values.count]))
        return unique
    }

    /// Adds a node of the default ONNX domain computing one value, and returns the value's name; the node is
    /// called `name`, or like its output.
    @discardableResult
    mutating func addNode(
        _ opType: String, _ inputs: [String], output: String, name: String? = nil,
        attributes: [Onnx_AttributeProto] = []
    ) -> String {
        let unique = uniqueName(output)
        var node = Onnx_NodeProto()
        node.opType = opType
        node.name = name ?? unique
        node.input = inputs
        node.output = [unique]
        node.attribute = attributes
        graph.node.append(node)
        return unique
    }

    /// Declares a graph input.
    mutating func addInput(_ name: String, dimensions: [ONNXDimension]) -> String {
        let unique = uniqueName(name)
        graph.input.append(Onnx_ValueInfoProto(name: unique, float32: dimensions))
        return unique
    }

    /// Declares `name`, already computed by a node, a graph output.
    mutating func addOutput(_ name: String, dimensions: [ONNXDimension]) {
        graph.output.append(Onnx_ValueInfoProto(name: name, float32: dimensions))
    }

    /// The number of weights the initialisers hold.
    var weightCount: Int {
        graph.initializer.reduce(0) { $0 + Int($1.dims.reduce(1, *)) }
    }
}

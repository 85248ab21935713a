/// The result of a graph node, by the node's index. Values are in topological order: a node's inputs always
/// have smaller ids.
public struct ValueID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The index of the node in `Graph.nodes`.
    public let index: Int

    /// Creates an id for the node at `index`.
    public init(_ index: Int) { self.index = index }

    public static func < (a: ValueID, b: ValueID) -> Bool { a.index < b.index }

    public var description: String { "%\(index)" }
}

/// One operation of a graph with its inputs and result type.
public struct Node: Hashable, Sendable {
    /// What the node computes.
    public var op: Op
    /// The values it reads, in the order `Op` documents.
    public var inputs: [ValueID]
    /// The static type of its result.
    public var type: TensorType
    /// A readable name in the user's terms: the `state_dict` name for parameters and state
    /// (`conv1.2.running_mean`), otherwise the layer path and role (`conv1.0.conv`, `conv1.0.conv.dw`).
    public var name: String
}

/// A persistent tensor and the value that replaces it after a run (a parameter and its optimizer update,
/// a running statistic and its moving average).
public struct StateUpdate: Hashable, Sendable {
    /// The `.parameter` or `.state` source node.
    public var target: ValueID
    /// The value written back to it when the run ends.
    public var newValue: ValueID

    /// Creates an update of `target` to `newValue`.
    public init(target: ValueID, newValue: ValueID) {
        self.target = target
        self.newValue = newValue
    }
}

/// A named result of a graph run.
public struct GraphOutput: Hashable, Sendable {
    /// The name callers ask for: `logits`, `loss`, `conv1.0.weight.grad`.
    public var name: String
    /// The value.
    public var value: ValueID

    /// Creates a named output.
    public init(_ name: String, _ value: ValueID) {
        self.name = name
        self.value = value
    }
}

/// A dataflow graph of tensor ops with static shapes: the forward pass, or a whole training step.
///
/// Nodes are kept in topological order in one array; values are referred to by index. A run reads the
/// `.input` sources, the persistent `.parameter`/`.state` sources, computes `outputs`, and writes each
/// `updates` value back to its target.
public struct Graph: Hashable, Sendable {
    /// All nodes in topological order.
    public private(set) var nodes: [Node] = []
    /// Named results of a run: `logits`, `loss`, and gradients when asked for.
    public var outputs: [GraphOutput] = []
    /// Persistent tensors rewritten by a run.
    public var updates: [StateUpdate] = []

    /// Creates an empty graph.
    public init() {}

    /// The node producing a value.
    public subscript(value: ValueID) -> Node { nodes[value.index] }

    /// The type of a value.
    public func type(of value: ValueID) -> TensorType { nodes[value.index].type }

    /// Every value id, in topological order.
    public var values: [ValueID] { nodes.indices.map(ValueID.init) }

    /// Appends a node whose type is inferred from its op and inputs.
    ///
    /// The inputs must already be checked (the builder reports user mistakes before adding); a mismatch here is
    /// a compiler bug and stops the program.
    @discardableResult
    public mutating func add(_ op: Op, _ inputs: [ValueID] = [], name: String) -> ValueID {
        let inputTypes = inputs.map { type(of: $0) }
        return add(op, inputs, type: op.resultType(for: inputTypes), name: name)
    }

    /// Appends a node with an explicit type: sources, `reshape`, and backward ops whose result has the shape of
    /// a forward input.
    @discardableResult
    public mutating func add(_ op: Op, _ inputs: [ValueID], type: TensorType, name: String) -> ValueID {
        precondition(inputs.allSatisfy { $0.index < nodes.count }, "inputs must precede their node")
        nodes.append(Node(op: op, inputs: inputs, type: type, name: name))
        return ValueID(nodes.count - 1)
    }

    /// The value of the named output, if there is one.
    public func output(named name: String) -> ValueID? {
        outputs.first { $0.name == name }?.value
    }

    /// The source nodes of a given kind, in order: e.g. every `.parameter`.
    public func sources(where isIncluded: (Op) -> Bool) -> [ValueID] {
        values.filter { self[$0].op.isSource && isIncluded(self[$0].op) }
    }

    /// The trainable parameters, in declaration order.
    public var parameters: [ValueID] {
        sources { if case .parameter = $0 { true } else { false } }
    }

    /// The non-trainable persistent tensors, in declaration order.
    public var states: [ValueID] {
        sources { if case .state = $0 { true } else { false } }
    }

    /// The input of the given kind, if the graph reads it.
    public func input(_ kind: InputKind) -> ValueID? {
        sources { $0 == .input(kind) }.first
    }
}

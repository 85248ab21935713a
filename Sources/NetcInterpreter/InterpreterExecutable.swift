import NetcGraph

/// A graph prepared for the interpreter, with its parameters and state held by name between runs.
public final class InterpreterExecutable: Executable {
    /// The graph this executable runs.
    public let graph: Graph
    /// The interpreter (and its precision) that runs it.
    public let interpreter: Interpreter
    /// The current value of every `.parameter` and `.state` source, by the source's name.
    public private(set) var persistentTensors: [String: Tensor]
    /// Whether `run` checks each node's result and throws `NumericalFault` at the first NaN or infinity.
    public var checksNumerics = false

    /// Creates an executable with the given persistent tensors (one per parameter and state source).
    public init(graph: Graph, interpreter: Interpreter, persistent: [String: Tensor]) {
        self.graph = graph
        self.interpreter = interpreter
        self.persistentTensors = persistent
    }

    /// Runs the graph once: computes every node, returns the named outputs, then writes each update's new value
    /// into its target (all new values are computed before any is written).
    ///
    /// - Throws: `InputError` for a missing or mistyped input; `NumericalFault` when checking numerics and a node
    ///   computed a NaN or an infinity (nothing is updated then).
    public func run(_ inputs: [InputKind: Tensor]) throws -> [String: Tensor] {
        try run(inputs, replacing: [:])
    }

    /// Runs the graph once as `run(_:)` does, with elements of computed nodes replaced as
    /// `Interpreter.evaluate(_:inputs:persistent:checkingNumerics:replacing:)` describes.
    public func run(_ inputs: [InputKind: Tensor], replacing: [ValueID: [Int: Double]]) throws -> [String: Tensor] {
        let values = try interpreter.evaluate(
            graph, inputs: inputs, persistent: persistentTensors, checkingNumerics: checksNumerics,
            replacing: replacing)
        for update in graph.updates {
            persistentTensors[graph[update.target].name] = values[update.newValue.index]
        }
        var outputs: [String: Tensor] = [:]
        for output in graph.outputs {
            outputs[output.name] = values[output.value.index]
        }
        return outputs
    }

    /// Every node's value for these inputs and the current persistent tensors, indexed by `ValueID.index`,
    /// leaving the persistent tensors as they are: for debugging and per-value comparison with other backends.
    public func values(for inputs: [InputKind: Tensor]) throws -> [Tensor] {
        try interpreter.evaluate(graph, inputs: inputs, persistent: persistentTensors)
    }

    /// The current value of a parameter or state tensor, by name.
    public func persistent(named name: String) -> Tensor? {
        persistentTensors[name]
    }

    /// Replaces a parameter or state tensor's value.
    ///
    /// - Throws: `PersistentTensorError` when the graph has no such tensor or the value's type differs.
    public func setPersistent(named name: String, to value: Tensor) throws {
        guard let current = persistentTensors[name] else {
            throw PersistentTensorError.unknown(name: name)
        }
        guard current.type == value.type else {
            throw PersistentTensorError.typeMismatch(name: name, expected: current.type, actual: value.type)
        }
        persistentTensors[name] = value
    }
}

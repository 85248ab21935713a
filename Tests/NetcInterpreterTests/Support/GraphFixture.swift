import NetcGraph
import NetcInterpreter

/// A tiny graph built by hand in a test, with the values of its parameters and inputs.
struct GraphFixture {
    /// The nodes.
    var graph = Graph()
    /// The value of every parameter, by name.
    var persistent: [String: Tensor] = [:]
    /// The `.input` values the graph reads.
    var inputs: [InputKind: Tensor] = [:]

    /// Adds a float32 `.parameter` source holding the given scalars.
    mutating func tensor(_ name: String, _ shape: [Int], _ scalars: [Double]) -> ValueID {
        let type = TensorType(.float32, shape)
        persistent[name] = Tensor(type, scalars)
        return graph.add(.parameter(.constant(0)), [], type: type, name: name)
    }

    /// Adds an `.input` source fed with the given tensor.
    mutating func input(_ kind: InputKind, _ value: Tensor) -> ValueID {
        inputs[kind] = value
        return graph.add(.input(kind), [], type: value.type, name: kind.rawValue)
    }

    /// The `seed` and `step` inputs dropout reads.
    mutating func dropoutKey(seed: Double, step: Double) -> (seed: ValueID, step: ValueID) {
        (input(.seed, .scalar(seed, .int64)), input(.step, .scalar(step, .int64)))
    }

    /// The elements of one value after evaluating the graph.
    func evaluate(_ value: ValueID, precision: Interpreter.Precision = .float64) throws -> [Double] {
        try Interpreter(precision: precision).evaluate(graph, inputs: inputs, persistent: persistent)[value.index]
            .scalars
    }
}

import NetcGraph

/// The reference backend: runs a graph node by node with the plainest loops that define each op.
///
/// It favours being checkable by eye over speed (no fusion, no threads): compiled backends are compared with it
/// value by value, and gradient checks run it in `float64`.
public struct Interpreter: Backend {
    /// How the interpreter rounds the results of ops.
    public enum Precision: String, Hashable, Sendable, CaseIterable {
        /// Every value is a `Double`: for finite differences and gradient checks.
        case float64
        /// Every `float32` result element is rounded through `Float` (sums still accumulate in `Double`): the
        /// reference for compiled float32 code.
        case float32
    }

    /// How op results are rounded.
    public var precision: Precision

    /// Creates an interpreter; `float32` matches compiled code, `float64` is for gradient checks.
    public init(precision: Precision = .float32) {
        self.precision = precision
    }

    /// `interpreter`.
    public var name: String { "interpreter" }

    /// Prepares a graph to run, with its parameters and state set to `graph.initialValues(seed:)`.
    public func prepare(_ graph: Graph, seed: UInt64) throws -> any Executable {
        InterpreterExecutable(graph: graph, interpreter: self, persistent: graph.initialValues(seed: seed))
    }

    /// The value of every node of a graph, indexed by `ValueID.index`, without applying the graph's updates.
    ///
    /// - Parameters:
    ///   - inputs: a tensor for every `.input` source, of the source's type.
    ///   - persistent: a tensor for every `.parameter` and `.state` source, by the source's name.
    ///   - checkingNumerics: whether to check every computed node and stop at the first NaN or infinity.
    ///   - replacing: values that take the place of elements of computed nodes, by node and element index, before
    ///     any later node reads them (for checks whose reference follows another backend at chosen elements).
    /// - Throws: `InputError` for a missing or mistyped input or a label outside the classes;
    ///   `PersistentTensorError` for a missing or mistyped persistent tensor; `NumericalFault` naming the first
    ///   node that computed a NaN or an infinity, when checking numerics.
    public func evaluate(
        _ graph: Graph, inputs: [InputKind: Tensor], persistent: [String: Tensor], checkingNumerics: Bool = false,
        replacing: [ValueID: [Int: Double]] = [:]
    ) throws
        -> [Tensor]
    {
        try graph.validate(inputs: inputs)
        try graph.validate(persistent: persistent)
        var values: [Tensor] = []
        values.reserveCapacity(graph.nodes.count)
        for (index, node) in graph.nodes.enumerated() {
            let scalars =
                node.op.isSource
                ? sourceScalars(node, inputs: inputs, persistent: persistent)
                : Kernels.evaluate(node, node.inputs.map { values[$0.index] })
            var value = Tensor(node.type, rounded(scalars, to: node.type.dtype))
            for (element, replacement) in replacing[ValueID(index)] ?? [:] { value.scalars[element] = replacement }
            if checkingNumerics, !node.op.isSource, let index = value.scalars.firstIndex(where: { !$0.isFinite }) {
                throw NumericalFault(producer: node.name, tensor: node.name, index: index, value: value.scalars[index])
            }
            values.append(value)
        }
        return values
    }

    /// The value of a source: the caller's input, the persistent tensor of its name, or the constant.
    private func sourceScalars(_ node: Node, inputs: [InputKind: Tensor], persistent: [String: Tensor]) -> [Double] {
        if case .input(let kind) = node.op { return inputs[kind]?.scalars ?? [] }
        if case .constant(let value) = node.op { return Array(repeating: value, count: node.type.elementCount) }
        return persistent[node.name]?.scalars ?? []
    }

    /// The scalars as this precision stores a result of the given element type.
    private func rounded(_ scalars: [Double], to dtype: DType) -> [Double] {
        guard precision == .float32, dtype == .float32 else { return scalars }
        return scalars.map { Double(Float($0)) }
    }
}

extension Graph {
    /// The initial value of every persistent tensor (`.parameter` and `.state` sources), by name, drawn from the
    /// counter-based generator so that every backend starts from the same numbers for the same seed.
    ///
    /// Parameter number *i* (in declaration order) draws element *j* as `Philox(seed)` stream
    /// `RandomStream.initialization(parameter: i)`, index *j*.
    public func initialValues(seed: UInt64) -> [String: Tensor] {
        let generator = Philox(seed: seed)
        var values: [String: Tensor] = [:]
        for (number, value) in (parameters + states).enumerated() {
            let node = self[value]
            guard let initializer = node.op.initializer else {
                preconditionFailure("only parameters and state are persistent")
            }
            let scalars: [Double]
            switch initializer {
            case .constant(let constant):
                scalars = Array(repeating: constant, count: node.type.elementCount)
            case .uniform(let bound):
                let stream = RandomStream.initialization(parameter: number)
                scalars = (0..<node.type.elementCount).map { index in
                    // Round through Float so float32 backends start from exactly these values.
                    Double(Float(bound * (2 * generator.uniform(stream: stream, step: 0, index: UInt32(index)) - 1)))
                }
            }
            values[node.name] = Tensor(node.type, scalars)
        }
        return values
    }
}

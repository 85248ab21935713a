import NetcGraph
import NetcInterpreter
import NetcLLVM
import Testing

/// Runs a graph on the JIT and on the float32 interpreter from the same initial values and inputs, and
/// compares every output and every persistent tensor afterwards.
enum BackendAgreement {
    /// Every tensor that differs beyond the tolerance, with its comparison, over `runs` runs.
    ///
    /// Each run is one step from the same state: outputs, then every parameter and state tensor are compared,
    /// and the interpreter's persistent tensors are copied into the JIT before the next run, so an element
    /// whose update was legitimately undetermined cannot make later runs diverge. Parameters whose graph
    /// exposes their gradient (`NAME.grad`) are compared as updated parameters: elements whose reference
    /// gradient is zero within the tolerance may move by up to `stepBound` in either direction (see
    /// `TensorComparison.init(updatedParameter:...)`).
    static func failures(
        of graph: Graph, inputs: [InputKind: Tensor], seed: UInt64 = 7, runs: Int = 1,
        options: CompilationOptions = CompilationOptions(reusesMemory: false), tolerance: Tolerance = Tolerance(),
        stepBound: Double = 0
    ) throws -> [TensorComparison] {
        let reference = try Interpreter(precision: .float32).prepare(graph, seed: seed)
        let compiled = try JITBackend(options: options).prepare(graph, seed: seed)
        var comparisons: [TensorComparison] = []
        for _ in 0..<runs {
            let expected = try reference.run(inputs)
            let actual = try compiled.run(inputs)
            for (name, tensor) in expected.sorted(by: { $0.key < $1.key }) {
                let value = try #require(actual[name], "output \(name)")
                comparisons.append(TensorComparison(name: name, actual: value, reference: tensor, tolerance: tolerance))
            }
            for value in graph.parameters + graph.states {
                let name = graph[value].name
                let referenceValue = try #require(reference.persistent(named: name))
                let actualValue = try #require(compiled.persistent(named: name))
                if let gradient = expected["\(name).grad"] {
                    comparisons.append(
                        TensorComparison(
                            updatedParameter: name, actual: actualValue, reference: referenceValue,
                            referenceGradient: gradient, stepBound: stepBound, tolerance: tolerance))
                } else {
                    comparisons.append(
                        TensorComparison(
                            name: name, actual: actualValue, reference: referenceValue, tolerance: tolerance))
                }
                try compiled.setPersistent(named: name, to: referenceValue)
            }
        }
        return comparisons.filter { !$0.passes }
    }

    /// The largest move of one Adam step with learning rate `learningRate` and default betas:
    /// lr·(1 − β₁)/√(1 − β₂), reached when a gradient appears after a run of zeros.
    static func adamStepBound(learningRate: Double, _ adam: AdamAttributes = AdamAttributes()) -> Double {
        learningRate * (1 - adam.beta1) / (1 - adam.beta2).squareRoot()
    }
}

import NetcGraph
import NetcInterpreter
import NetcLLVM
import Testing

/// Runs a graph on the JIT and on the float32 interpreter from the same initial values and inputs, and
/// compares every output and every persistent tensor afterwards.
enum BackendAgreement {
    /// Every tensor that differs beyond the tolerance, with its comparison, after `runs` runs.
    static func failures(
        of graph: Graph, inputs: [InputKind: Tensor], seed: UInt64 = 7, runs: Int = 1,
        options: CompilationOptions = CompilationOptions(reusesMemory: false), tolerance: Tolerance = Tolerance()
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
        }
        for value in graph.parameters + graph.states {
            let name = graph[value].name
            let expected = try #require(reference.persistent(named: name))
            let actual = try #require(compiled.persistent(named: name))
            comparisons.append(TensorComparison(name: name, actual: actual, reference: expected, tolerance: tolerance))
        }
        return comparisons.filter { !$0.passes }
    }
}

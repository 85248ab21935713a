import NetcGraph
import NetcInterpreter
import NetcLLVM
import Testing

/// Runs a graph on the JIT and on the float32 interpreter from the same initial values and inputs, and
/// compares every output and every persistent tensor afterwards.
enum BackendAgreement {
    /// The comparison of every output both backends give and of every parameter and state tensor, step by step.
    ///
    /// Each element of `steps` is the inputs of one step from the same state on both: outputs are compared, then
    /// every persistent tensor, and the interpreter's persistent tensors are copied into the JIT before the next
    /// step, so an element whose update was legitimately undetermined cannot make later steps diverge.
    ///
    /// The interpreter runs `reference` (by default `graph` itself). To check a training step as training compiles
    /// it, without gradients among its outputs, give the same step with `exposingGradients` as `reference`: the
    /// interpreter's gradients then tell which parameter elements have an undetermined update under `optimizer`
    /// (see `TensorComparison.init(updatedParameter:...)`), and so do the moving averages of those elements, which
    /// take a fraction of the update. Parameters whose reference gradient is unknown, or with no optimizer given,
    /// are compared as plain tensors.
    ///
    /// `referencePrecision` is the interpreter's. Over several steps of a batch-100 network, float32 summation order
    /// alone can reorder the two largest inputs of a max-pool window, and the gradient then takes another path: the
    /// float32 interpreter itself differs from the float64 one that way at step 3 of `TrainingFeatureTests`. Checks
    /// over several large-batch steps therefore compare with the float64 interpreter, the exact one of the two.
    static func comparisons(
        of graph: Graph, reference referenceGraph: Graph? = nil, optimizer: Optimizer? = nil,
        steps: [[InputKind: Tensor]], seed: UInt64 = 7, referencePrecision: Interpreter.Precision = .float32,
        options: CompilationOptions = CompilationOptions(reusesMemory: false), tolerance: Tolerance = Tolerance()
    ) throws -> [TensorComparison] {
        let referenceGraph = referenceGraph ?? graph
        let reference = try Interpreter(precision: referencePrecision).prepare(referenceGraph, seed: seed)
        let compiled = try JITBackend(options: options).prepare(graph, seed: seed)
        let persistentNames = (graph.parameters + graph.states).map { graph[$0].name }
        var comparisons: [TensorComparison] = []
        for inputs in steps {
            var before: [String: Tensor] = [:]
            for name in persistentNames { before[name] = reference.persistent(named: name) }
            let expected = try reference.run(inputs.filter { referenceGraph.input($0.key) != nil })
            let actual = try compiled.run(inputs.filter { graph.input($0.key) != nil })
            for (name, value) in actual.sorted(by: { $0.key < $1.key }) {
                let referenceValue = try #require(expected[name], "reference output \(name)")
                comparisons.append(
                    TensorComparison(name: name, actual: value, reference: referenceValue, tolerance: tolerance))
            }
            for name in persistentNames {
                let referenceValue = try #require(reference.persistent(named: name))
                let actualValue = try #require(compiled.persistent(named: name))
                let average = graph.averagedParameter(of: name)
                let parameter = average?.parameter ?? name
                if let optimizer, let gradient = expected["\(parameter).grad"] {
                    let step = Int(try #require(inputs[.step]).scalars[0])
                    let update = ReferenceUpdate(
                        optimizer: optimizer, parameter: try #require(before[parameter]),
                        state: try optimizer.stateNames(of: parameter).map { try #require(before[$0]) },
                        gradient: gradient, learningRate: try #require(inputs[.learningRate]).scalars[0],
                        step: step, reach: average.map { step == 1 ? 1 : 1 - $0.decay } ?? 1)
                    comparisons.append(
                        TensorComparison(
                            updatedParameter: name, actual: actualValue, reference: referenceValue, update: update,
                            tolerance: tolerance))
                } else {
                    comparisons.append(
                        TensorComparison(
                            name: name, actual: actualValue, reference: referenceValue, tolerance: tolerance))
                }
                try compiled.setPersistent(named: name, to: referenceValue)
            }
        }
        return comparisons
    }
}

extension [TensorComparison] {
    /// The comparisons that failed.
    var failures: [TensorComparison] { filter { !$0.passes } }
}

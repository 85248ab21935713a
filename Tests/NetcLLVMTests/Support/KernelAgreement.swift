import NetcGraph
import NetcInterpreter
import NetcLLVM
import NetcLoopEvaluator
import Testing

/// Runs a graph kernel by kernel on the loop evaluator and the JIT from the same initial values, comparing each
/// stored value with the float32 interpreter's (lowering) and the JIT's with the evaluator's (code generation).
enum KernelAgreement {
    static func check(
        of graph: Graph, inputs: [InputKind: Tensor], seed: UInt64 = 7,
        options: CompilationOptions = CompilationOptions(reusesMemory: false)
    ) throws -> KernelCheck {
        let interpreter = try #require(
            try Interpreter(precision: .float32).prepare(graph, seed: seed) as? InterpreterExecutable)
        let evaluator = LoopExecutable(graph: graph, pipeline: options.pipeline, seed: seed)
        let compiled = try JITBackend(options: options).compile(graph, seed: seed)
        return try KernelCheck(
            engines: [evaluator, compiled], inputs: inputs, reference: interpreter.values(for: inputs))
    }

    /// Every row that does not pass, and the evaluator's fault if it had one, as text for an expectation.
    static func failures(of check: KernelCheck) -> [String] {
        let rows = check.rows.filter { !$0.comparison.passes }.map {
            "\($0.stage.rawValue) of \($0.kernel) (\($0.value)): max abs error \($0.comparison.maxAbsoluteError)"
        }
        return rows + (check.fault.map { ["fault: \($0)"] } ?? [])
    }
}

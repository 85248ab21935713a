import ArgumentParser
import NetcGraph
import NetcInterpreter
import NetcLLVM
import NetcLoopEvaluator

extension CheckCommand {
    /// Runs the step kernel by kernel on the loop evaluator and the JIT (memory reused, as training runs it) and
    /// prints each kernel's worst value, then the first divergence and which stage it blames; true when every
    /// kernel agrees.
    func checkKernels(of graph: Graph, inputs: [InputKind: Tensor]) throws -> Bool {
        let graphInputs = inputs.filter { graph.input($0.key) != nil }
        let interpreter = InterpreterExecutable(
            graph: graph, interpreter: Interpreter(precision: .float32), persistent: graph.initialValues(seed: seed))
        let options = try target.compilation()
        let evaluator = LoopExecutable(graph: graph, pipeline: options.pipeline, seed: seed)
        let compiled = try JITBackend(options: options).compile(graph, seed: seed)
        let check = try KernelCheck(
            engines: [evaluator, compiled], inputs: graphInputs, reference: interpreter.values(for: graphInputs))
        print(
            "\nkernel by kernel (training step): lowering = loop evaluator vs interpreter, "
                + "code generation = JIT vs evaluator")
        print("kernel".padding(toLength: 44, withPad: " ", startingAt: 0), "values  lowering err   codegen err")
        var kernels: [String] = []
        for row in check.rows where !kernels.contains(row.kernel) { kernels.append(row.kernel) }
        for kernel in kernels {
            let rows = check.rows.filter { $0.kernel == kernel }
            func worst(_ stage: KernelCheck.Stage) -> Double {
                rows.filter { $0.stage == stage }.map(\.comparison.maxAbsoluteError).max() ?? 0
            }
            let values = rows.filter { $0.stage == .lowering }.count
            print(
                kernel.padding(toLength: 44, withPad: " ", startingAt: 0),
                String(format: "%6d  %.3e    %.3e", values, worst(.lowering), worst(.codeGeneration))
                    + (rows.allSatisfy(\.comparison.passes) ? "" : "  FAIL"))
        }
        if let fault = check.fault {
            Terminal.printError("error: lowering: \(fault)")
            return false
        }
        if let first = check.firstDivergence {
            Terminal.printError(
                "error: \(first.stage.rawValue): kernel '\(first.kernel)' (computing \(first.computes.joined(separator: ", ")))"
                    + " stores '\(first.value)' \(String(format: "%.3e", first.comparison.maxAbsoluteError)) away from "
                    + (first.stage == .lowering ? "the interpreter" : "the loop evaluator"))
            return false
        }
        print("every kernel agrees (\(check.rows.count) comparisons)")
        return true
    }
}

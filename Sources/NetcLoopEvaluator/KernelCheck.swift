import NetcGraph
import NetcLoops

/// Checks a lowered program kernel by kernel: after each kernel, every graph value it stored is compared with
/// the interpreter's value of that node, on the loop evaluator (a difference is a lowering bug) and on each
/// further engine, such as the JIT, against the evaluator (a difference there is a code-generation bug).
///
/// After each kernel every engine's stored values are set to the interpreter's, so each kernel is judged on the
/// reference's inputs: a difference is that kernel's own, not one carried from an earlier kernel, and rounding
/// differences do not build up along the program.
public struct KernelCheck {
    /// Where a divergence comes from.
    public enum Stage: String, Hashable, Sendable {
        /// The loop evaluator disagrees with the interpreter: the kernel's loop nest is wrong.
        case lowering
        /// The evaluator agrees with the interpreter but compiled code does not: LLVM IR emission or its
        /// optimisation is wrong.
        case codeGeneration = "code generation"
    }

    /// One stored value of one kernel, compared.
    public struct Row: Hashable, Sendable {
        /// The kernel's name.
        public var kernel: String
        /// The graph values the kernel computes.
        public var computes: [String]
        /// The compared value's node name.
        public var value: String
        /// Which comparison this is.
        public var stage: Stage
        /// The comparison itself (named after the value).
        public var comparison: TensorComparison
    }

    /// The rows of every kernel, in kernel order.
    public private(set) var rows: [Row] = []
    /// A kernel that could not run as written (out-of-bounds access, mistyped value), with its fault.
    public private(set) var fault: LoopFault?

    /// The first row that does not pass, or nil when every kernel agrees.
    public var firstDivergence: Row? { rows.first { !$0.comparison.passes } }

    /// Runs `engines` (the loop evaluator first; any others are checked against it) kernel by kernel on one run's
    /// inputs and compares their stored values.
    ///
    /// - Parameters:
    ///   - reference: every node's value from the interpreter (float32) for these inputs and the engines'
    ///     persistent tensors, indexed by `ValueID.index` of the graph the engines' program was lowered from.
    public init(
        engines: [any KernelStepping], inputs: [InputKind: Tensor], reference: [Tensor],
        tolerance: Tolerance = Tolerance()
    ) throws {
        guard let evaluator = engines.first else { return }
        let program = evaluator.program
        precondition(engines.allSatisfy { $0.program == program }, "every engine runs the same program")
        for engine in engines { try engine.writeInputs(inputs) }
        for (index, kernel) in program.kernels.enumerated() {
            do {
                try evaluator.runKernel(at: index)
            } catch let fault as LoopFault {
                self.fault = fault
                return
            }
            for engine in engines.dropFirst() { try engine.runKernel(at: index) }
            for stored in program.storedValues where stored.kernel == index {
                let expected = reference[stored.value.index]
                let lowered = Tensor(expected.type, evaluator.contents(of: stored.buffer))
                rows.append(
                    Row(
                        kernel: kernel.name, computes: kernel.computes, value: stored.name, stage: .lowering,
                        comparison: TensorComparison(
                            name: stored.name, actual: lowered, reference: expected, tolerance: tolerance)))
                for engine in engines.dropFirst() {
                    let compiled = Tensor(expected.type, engine.contents(of: stored.buffer))
                    rows.append(
                        Row(
                            kernel: kernel.name, computes: kernel.computes, value: stored.name, stage: .codeGeneration,
                            comparison: TensorComparison(
                                name: stored.name, actual: compiled, reference: lowered, tolerance: tolerance)))
                }
                for engine in engines { engine.setContents(of: stored.buffer, to: expected.scalars) }
            }
        }
    }
}

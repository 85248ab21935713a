import ArgumentParser
import NetcGraph
import NetcInterpreter
import NetcLLVM
import NetcLoopEvaluator

/// `--backend`: which engine runs the graphs.
enum BackendChoice: String, ExpressibleByArgument, CaseIterable {
    /// The plain Swift reference interpreter (slow, float32 semantics).
    case interpreter
    /// LLVM-compiled code through ORC LLJIT.
    case jit
    /// The program the JIT compiles, its kernels evaluated in Swift without LLVM (slow; it tells a lowering bug
    /// from a code-generation bug).
    case loops

    /// The backend this choice names; the JIT compiles for `target` with its tuned schedules.
    func backend(_ target: TargetOptions) throws -> any Backend {
        switch self {
        case .interpreter: Interpreter(precision: .float32)
        case .jit: JITBackend(options: try target.compilation())
        case .loops: LoopBackend(pipeline: try target.compilation().pipeline)
        }
    }
}

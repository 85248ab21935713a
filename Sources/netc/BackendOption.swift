import ArgumentParser
import NetcGraph
import NetcInterpreter
import NetcLLVM

/// `--backend`: which engine runs the graphs.
enum BackendChoice: String, ExpressibleByArgument, CaseIterable {
    /// The plain Swift reference interpreter (slow, float32 semantics).
    case interpreter
    /// LLVM-compiled code through ORC LLJIT.
    case jit

    /// The backend this choice names.
    var backend: any Backend {
        switch self {
        case .interpreter: Interpreter(precision: .float32)
        case .jit: JITBackend()
        }
    }
}

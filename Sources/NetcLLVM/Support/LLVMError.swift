internal import CLLVM

/// A failure reported by LLVM while netc verifies, optimises, emits or JIT-compiles a module.
///
/// `message` is LLVM's own text, unchanged, or netc's where LLVM gives none; `stage` names the step of the pipeline that failed, so a
/// caller can say where things went wrong without parsing the message.
public struct LLVMError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The step of the LLVM pipeline that reported the failure.
    public enum Stage: String, Equatable, Sendable {
        /// Looking up or creating the target machine for the host.
        case target = "target machine creation"
        /// Checking that a module is well-formed IR (`LLVMVerifyModule`).
        case verification = "IR verification"
        /// Running the optimisation pipeline (`LLVMRunPasses`).
        case optimization = "optimisation"
        /// Emitting assembly or an object file.
        case emission = "code emission"
        /// Creating a JIT, adding a module to it or looking a symbol up.
        case jit = "JIT compilation"
    }

    /// The step that failed.
    public let stage: Stage
    /// What went wrong, in LLVM's words when it gave any.
    public let message: String

    /// Makes an error for `stage` carrying `message`.
    public init(stage: Stage, message: String) {
        self.stage = stage
        self.message = message
    }

    /// A one-line account: the failing step, then LLVM's message.
    public var description: String {
        "LLVM \(stage.rawValue) failed: \(message)"
    }
}

// The messages netc itself writes, for failures LLVM reports without words.
extension LLVMError {
    /// LLVM has a backend for the host's triple but would not make a machine for its CPU.
    static func noTargetMachine(for host: HostTarget) -> LLVMError {
        LLVMError(stage: .target, message: "no target machine for '\(host.triple)' with CPU '\(host.cpuName)'")
    }

    /// `LLVMOrcCreateLLJIT` reported success but gave no JIT.
    static let noJIT = LLVMError(stage: .jit, message: "LLVMOrcCreateLLJIT succeeded but returned no JIT")

    /// Writing the emitted file at `path` failed for LLVM's `reason` (which does not name the path).
    static func cannotWrite(_ path: String, reason: String) -> LLVMError {
        LLVMError(stage: .emission, message: "cannot write '\(path)': \(reason)")
    }

    /// A JIT symbol resolved to address zero, which no callable code can have.
    static func nullAddress(of symbol: String) -> LLVMError {
        LLVMError(stage: .jit, message: "symbol '\(symbol)' resolved to a null address")
    }
}

extension LLVMError {
    /// Throws the LLVM error `error` (taking ownership of it) as an `LLVMError` of `stage`; does nothing
    /// when `error` is nil, which is how the C API reports success.
    static func check(_ error: LLVMErrorRef?, stage: Stage) throws(LLVMError) {
        guard let error else { return }
        throw LLVMError(stage: stage, message: takeErrorMessage(error))
    }
}

/// Reads and consumes an `LLVMErrorRef`, returning its message.
func takeErrorMessage(_ error: LLVMErrorRef) -> String {
    let message = LLVMGetErrorMessage(error)
    defer { LLVMDisposeErrorMessage(message) }
    return message.map { String(cString: $0) } ?? ""
}

/// Copies a `char *` that LLVM handed over (e.g. from `LLVMPrintModuleToString`) into a `String` and
/// frees it with `LLVMDisposeMessage`; nil becomes the empty string.
func takeMessage(_ message: UnsafeMutablePointer<CChar>?) -> String {
    defer { LLVMDisposeMessage(message) }
    return message.map { String(cString: $0) } ?? ""
}

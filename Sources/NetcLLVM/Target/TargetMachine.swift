internal import CLLVM

/// An LLVM target machine for the host: what optimisation consults for costs and what emits code.
///
/// It compiles at LLVM's aggressive code-generation level with position-independent code, so its
/// objects can be linked into shared libraries as well as executables.
public final class TargetMachine {
    let ref: LLVMTargetMachineRef
    /// The host this machine compiles for.
    public let host: HostTarget

    /// Creates a target machine for `host` (the machine netc runs on unless stated otherwise).
    ///
    /// Throws an `LLVMError` of stage `.target` when LLVM has no backend for the host's triple.
    public convenience init(host: HostTarget = .current) throws(LLVMError) {
        try self.init(host: host, codeModel: LLVMCodeModelDefault)
    }

    /// A target machine for objects the JIT links into this process (its code model reaches any address).
    static func forJIT(_ host: HostTarget) throws(LLVMError) -> TargetMachine {
        try TargetMachine(host: host, codeModel: LLVMCodeModelJITDefault)
    }

    init(host: HostTarget, codeModel: LLVMCodeModel) throws(LLVMError) {
        ref = try makeTargetMachine(for: host, codeModel: codeModel)
        self.host = host
    }

    deinit {
        LLVMDisposeTargetMachine(ref)
    }

    /// The data layout string this machine's code assumes (sizes, alignments, endianness).
    public var dataLayout: String {
        let layout = LLVMCreateTargetDataLayout(ref)
        defer { LLVMDisposeTargetData(layout) }
        return takeMessage(LLVMCopyStringRepOfTargetData(layout))
    }
}

/// Creates a new target machine handle for `host`; the caller owns it and must dispose of it or hand it
/// to a consuming LLVM call.
func makeTargetMachine(for host: HostTarget, codeModel: LLVMCodeModel) throws(LLVMError) -> LLVMTargetMachineRef {
    NativeTarget.initialize()
    var target: LLVMTargetRef?
    var message: UnsafeMutablePointer<CChar>?
    let notFound = LLVMGetTargetFromTriple(host.triple, &target, &message) != 0
    let report = takeMessage(message)
    guard !notFound, let target else {
        throw LLVMError(stage: .target, message: report)
    }
    guard
        let machine = LLVMCreateTargetMachine(
            target, host.triple, host.cpuName, host.features, LLVMCodeGenLevelAggressive, LLVMRelocPIC,
            codeModel)
    else {
        throw LLVMError.noTargetMachine(for: host)
    }
    return machine
}

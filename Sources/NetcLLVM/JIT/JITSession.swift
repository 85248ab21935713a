internal import CLLVM

/// A just-in-time compiler for the host (an ORC `LLJIT`): add modules, then look up their functions'
/// addresses and call them.
///
/// Code is compiled for the host CPU at LLVM's aggressive code-generation level when a symbol is first
/// looked up. Symbols of the running process (e.g. `expf` from the C library) resolve automatically, so
/// intrinsics that lower to library calls work. Every address stays valid until the session is
/// destroyed, which frees all compiled code; a session is meant for one thread at a time.
public final class JITSession {
    let ref: LLVMOrcLLJITRef

    /// Creates a JIT for `target` (the host unless stated otherwise), whose code the host must be able to run.
    /// With `reportsToPerf` (by default when `NETC_PERF` asks for it), the code it compiles is named and kept for
    /// Linux `perf` (`PerfProfiling`).
    ///
    /// Throws an `LLVMError` of stage `.target` or `.jit` when LLVM cannot target it.
    public init(target: HostTarget = .current, reportsToPerf: Bool = PerfProfiling.isRequested) throws(LLVMError) {
        // The JIT code model lets compiled code reach the process's symbols wherever they are mapped.
        let machine = try makeTargetMachine(for: target, codeModel: LLVMCodeModelJITDefault)
        let builder = LLVMOrcCreateLLJITBuilder()
        // Both calls take ownership: the machine goes to its builder, the builder to LLVMOrcCreateLLJIT.
        LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(
            builder, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(machine))
        if reportsToPerf {
            PerfProfiling.warnsOnceIfUnavailable
            LLVMOrcLLJITBuilderSetObjectLinkingLayerCreator(builder, PerfProfiling.objectLinkingLayer, nil)
        }
        var jit: LLVMOrcLLJITRef?
        try LLVMError.check(LLVMOrcCreateLLJIT(&jit, builder), stage: .jit)
        guard let jit else { throw LLVMError.noJIT }
        do {
            try Self.exposeProcessSymbols(to: jit)
        } catch {
            Self.dispose(jit)
            throw error
        }
        ref = jit
    }

    deinit {
        Self.dispose(ref)
    }

    /// Hands `module` to the JIT, which owns it from now on; its functions become available to
    /// `address(of:)`.
    ///
    /// The module may be optimised already (`optimize(_:for:)`) or not; the JIT compiles it as it is.
    /// Throws an `LLVMError` of stage `.verification` for malformed IR, or of stage `.jit` when the
    /// module clashes with what the session has, e.g. by defining a symbol twice.
    public func add(_ module: consuming IRModule) throws(LLVMError) {
        try module.verify()
        let threadSafeModule = module.takeThreadSafeModule()
        // The JIT takes ownership of the module whether adding succeeds or not.
        let error = LLVMOrcLLJITAddLLVMIRModule(ref, LLVMOrcLLJITGetMainJITDylib(ref), threadSafeModule)
        try LLVMError.check(error, stage: .jit)
    }

    /// Hands the JIT a relocatable object file (compiled for the host with the JIT code model) to link; its
    /// functions become available to `address(of:)`.
    ///
    /// Throws an `LLVMError` of stage `.jit` when the object clashes with what the session has.
    public func addObjectFile(_ bytes: [UInt8], named name: String) throws(LLVMError) {
        let buffer = bytes.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                LLVMCreateMemoryBufferWithMemoryRangeCopy($0.baseAddress, $0.count, name)
            }
        }
        // The JIT takes ownership of the buffer whether adding succeeds or not.
        let error = LLVMOrcLLJITAddObjectFile(ref, LLVMOrcLLJITGetMainJITDylib(ref), buffer)
        try LLVMError.check(error, stage: .jit)
    }

    /// Compiles, if not done yet, and returns the address of the function or global named `symbol`.
    ///
    /// Cast the address to the matching `@convention(c)` function type to call it. Throws an
    /// `LLVMError` of stage `.jit` when no added module defines `symbol` or compilation fails.
    public func address(of symbol: String) throws(LLVMError) -> UnsafeRawPointer {
        var address: LLVMOrcExecutorAddress = 0
        try LLVMError.check(LLVMOrcLLJITLookup(ref, &address, symbol), stage: .jit)
        guard let pointer = UnsafeRawPointer(bitPattern: UInt(address)) else {
            throw LLVMError.nullAddress(of: symbol)
        }
        return pointer
    }

    /// Lets code in `jit` call functions of the running process, such as the C library's `expf`.
    private static func exposeProcessSymbols(to jit: LLVMOrcLLJITRef) throws(LLVMError) {
        var generator: LLVMOrcDefinitionGeneratorRef?
        let error = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
            &generator, LLVMOrcLLJITGetGlobalPrefix(jit), nil, nil)
        try LLVMError.check(error, stage: .jit)
        // The dylib takes ownership of the generator.
        LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(jit), generator)
    }

    /// Destroys `jit` and all code and modules it holds.
    private static func dispose(_ jit: LLVMOrcLLJITRef) {
        // Tearing down reports failures of JIT'd code's deinitialisers, which netc's kernels never have;
        // there is nobody left to tell, so the error is only consumed.
        if let error = LLVMOrcDisposeLLJIT(jit) {
            LLVMConsumeError(error)
        }
    }
}

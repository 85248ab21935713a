internal import CLLVM

/// How hard LLVM works on a module before code generation.
public enum OptimizationLevel: Sendable {
    /// No IR passes at all (`netc --no-opt`): the code runs as emitted, which helps debugging.
    case off
    /// LLVM's `default<O2>` pipeline with loop and SLP vectorisation, interleaving and unrolling. (`O3` unrolls
    /// more: on the reference network it ran no faster and took 40% longer to compile.)
    case aggressive
}

extension IRModule {
    /// Ties the module to `machine`: its triple and data layout, and on every defined function the
    /// `target-cpu`/`target-features` attributes that let the vectorisers use the host's AVX2 and FMA.
    ///
    /// Functions also get `prefer-vector-width` from the target's default vector width, which is what LLVM's own
    /// vectorisers use; kernels with explicit wider vector loops say so themselves (`min-legal-vector-width`).
    ///
    /// And they get `no-jump-tables`: a jump table's entries are 32-bit offsets from `.rodata` to `.text`, which the
    /// JIT's linker (RuntimeDyld, which maps each section apart, wherever there is room) truncates without a word
    /// when the two land more than 2 GiB apart, so the code jumps into data. The compare-and-branch trees LLVM builds
    /// instead reach only into `.text`; ahead-of-time code gets the same attribute, so both compile alike.
    mutating func prepare(for machine: TargetMachine) {
        LLVMSetTarget(ref, machine.host.triple)
        let layout = LLVMCreateTargetDataLayout(machine.ref)
        defer { LLVMDisposeTargetData(layout) }
        LLVMSetModuleDataLayout(ref, layout)
        for function in functions where !function.isDeclaration {
            function.setAttribute("target-cpu", to: machine.host.cpuName)
            function.setAttribute("target-features", to: machine.host.features)
            function.setAttribute("prefer-vector-width", to: "\(machine.host.description.vectorBits)")
            function.setAttribute("no-jump-tables", to: "true")
        }
    }

    /// Verifies the module, prepares it for `machine` and runs the optimisation pipeline of `level`.
    ///
    /// Throws an `LLVMError` of stage `.verification` for malformed IR (the passes would crash on it)
    /// or of stage `.optimization` when the pipeline fails.
    public mutating func optimize(_ level: OptimizationLevel, for machine: TargetMachine) throws(LLVMError) {
        try verify()
        prepare(for: machine)
        guard level == .aggressive else { return }
        let options = LLVMCreatePassBuilderOptions()
        defer { LLVMDisposePassBuilderOptions(options) }
        LLVMPassBuilderOptionsSetLoopVectorization(options, 1)
        LLVMPassBuilderOptionsSetSLPVectorization(options, 1)
        LLVMPassBuilderOptionsSetLoopInterleaving(options, 1)
        LLVMPassBuilderOptionsSetLoopUnrolling(options, 1)
        try LLVMError.check(LLVMRunPasses(ref, "default<O2>", machine.ref, options), stage: .optimization)
    }
}

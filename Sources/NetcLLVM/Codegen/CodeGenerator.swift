import NetcLoops

/// What the code generator makes of a `LoopProgram`: LLVM IR text, assembly or an object file.
///
/// Modules are verified, tied to the target (triple, data layout, CPU and features on every function) and
/// optimised at the given level before they are printed or emitted.
public enum CodeGenerator {
    /// The program's LLVM IR as text, optimised (`.aggressive`) or as emitted (`.off`).
    public static func llvmIR(
        for program: LoopProgram, optimization: OptimizationLevel, target: HostTarget = .current
    ) throws(LLVMError) -> String {
        let machine = try TargetMachine(host: target)
        var module = ProgramEmitter.module(for: program)
        try module.optimize(optimization, for: machine)
        return module.text
    }

    /// The program compiled for `target` as assembly text or object-file bytes.
    public static func machineCode(
        for program: LoopProgram, as format: OutputFormat, optimization: OptimizationLevel = .aggressive,
        target: HostTarget = .current
    ) throws(LLVMError) -> [UInt8] {
        let machine = try TargetMachine(host: target)
        var module = ProgramEmitter.module(for: program)
        try module.optimize(optimization, for: machine)
        return try machine.emit(module, as: format)
    }
}

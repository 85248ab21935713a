internal import CLLVM

/// The machine netc runs on, as LLVM names it: what generated code is compiled for.
///
/// The CPU name and feature list come from LLVM's own host detection (`LLVMGetHostCPUName`,
/// `LLVMGetHostCPUFeatures`), so the code uses every extension the host has (AVX2, FMA, ...).
public struct HostTarget: Equatable, Sendable {
    /// The target triple, e.g. `x86_64-pc-linux-gnu`.
    public let triple: String
    /// The CPU name, e.g. `znver3` or `skylake`.
    public let cpuName: String
    /// The comma-separated feature list, e.g. `+avx2,+fma,-avx512f,...`.
    public let features: String

    /// The host, detected once per process; detection also initialises LLVM's native target.
    public static let current: HostTarget = {
        NativeTarget.initialize()
        return HostTarget(
            triple: takeMessage(LLVMGetDefaultTargetTriple()),
            cpuName: takeMessage(LLVMGetHostCPUName()),
            features: takeMessage(LLVMGetHostCPUFeatures()))
    }()

    /// True when the feature list enables `feature` (e.g. `"avx2"`).
    public func hasFeature(_ feature: String) -> Bool {
        features.split(separator: ",").contains { $0 == "+\(feature)" }
    }
}

/// LLVM's registry of the native target, its assembly printer and parser, which must be filled in once
/// per process before any target machine or JIT is made.
enum NativeTarget {
    /// Runs the registration on first use; Swift runs a static initialiser exactly once, thread-safely.
    private static let registered: Void = {
        let failed =
            LLVMInitializeNativeTarget() != 0 || LLVMInitializeNativeAsmPrinter() != 0
            || LLVMInitializeNativeAsmParser() != 0
        precondition(!failed, "the linked LLVM library was built without the native target")
    }()

    /// Makes sure the native target is registered; cheap after the first call.
    static func initialize() {
        registered
    }
}

internal import CLLVM
import Foundation
import NetcLoops

/// The machine code is compiled for, as LLVM names it (triple, CPU, features), with the description lowering
/// sizes its loops from (vector width, registers, FMA units, caches).
///
/// `current` is the host: its CPU name and features come from LLVM's own detection (`LLVMGetHostCPUName`,
/// `LLVMGetHostCPUFeatures`), the rest from `HostCPU`. `named(_:)` gives a fixed CPU, so every code path can be
/// built and checked on any machine that can run it.
public struct HostTarget: Hashable, Sendable {
    /// The target triple, e.g. `x86_64-pc-linux-gnu`.
    public let triple: String
    /// The CPU name, e.g. `znver3` or `skylake`.
    public let cpuName: String
    /// The comma-separated feature list, e.g. `+avx2,+fma,-avx512f,...` (empty: the CPU name's own).
    public let features: String
    /// What lowering needs to know about the CPU.
    public let description: TargetDescription

    /// Creates a target.
    public init(triple: String, cpuName: String, features: String, description: TargetDescription) {
        self.triple = triple
        self.cpuName = cpuName
        self.features = features
        self.description = description
    }

    /// The host, detected once per process; detection also initialises LLVM's native target.
    public static let current: HostTarget = {
        NativeTarget.initialize()
        let features = takeMessage(LLVMGetHostCPUFeatures())
        let cpuName = takeMessage(LLVMGetHostCPUName())
        return HostTarget(
            triple: takeMessage(LLVMGetDefaultTargetTriple()), cpuName: cpuName, features: features,
            description: hostDescription(cpuName: cpuName, features: features, cpu: .current))
    }()

    /// True when the feature list enables `feature` (e.g. `"avx2"`).
    public func hasFeature(_ feature: String) -> Bool {
        features.split(separator: ",").contains { $0 == "+\(feature)" }
    }

    /// The description of a CPU with LLVM features `features`: 512-bit vectors and 32 registers with AVX-512 (256-bit
    /// by default where the CPU splits 512-bit operations), 256 bits and 16 registers with AVX2, 128 bits otherwise;
    /// two FMA units from AVX2 on; caches as the operating system reports them.
    static func hostDescription(cpuName: String, features: String, cpu: HostCPU) -> TargetDescription {
        let has = { (feature: String) in features.split(separator: ",").contains { $0 == "+\(feature)" } }
        let widest = has("avx512f") ? 512 : has("avx2") ? 256 : 128
        let preferred = widest == 512 && cpu.splitsWideVectors ? 256 : widest
        let fallback = TargetDescription.haswell.cacheBytes
        return TargetDescription(
            name: "native (\(cpuName))", vectorBits: preferred, widestVectorBits: widest,
            vectorRegisters: has("avx512f") ? 32 : 16, fmaUnits: has("fma") ? 2 : 1,
            cacheBytes: TargetDescription.CacheSizes(
                level1: cpu.cacheBytes[1] ?? fallback.level1, level2: cpu.cacheBytes[2] ?? fallback.level2,
                level3: cpu.cacheBytes[3] ?? fallback.level3))
    }
}

/// LLVM's registry of the native target, its assembly printer and parser, which must be filled in once
/// per process before any target machine or JIT is made, and the code generator's process-wide options.
enum NativeTarget {
    /// Options for every target machine of the process, as `llc` takes them. `-x86-cmov-converter=false`: the
    /// selects netc emits choose by data (a window's maximum, a ReLU mask) and are mispredicted when x86 code
    /// branches on them, but LLVM's conversion of conditional moves into branches judges them by the CPU's
    /// latencies alone; on Haswell's model it turned the max-pool gradient's conditional moves into branches,
    /// 3× slower on a Zen 4 (1.0 against 0.32 ms of a training step).
    static let codeGeneratorOptions = ["-x86-cmov-converter=false"]

    /// Runs the registration on first use; Swift runs a static initialiser exactly once, thread-safely.
    private static let registered: Void = {
        let failed =
            LLVMInitializeNativeTarget() != 0 || LLVMInitializeNativeAsmPrinter() != 0
            || LLVMInitializeNativeAsmParser() != 0
        precondition(!failed, "the linked LLVM library was built without the native target")
        let arguments = ["netc"] + codeGeneratorOptions
        var pointers = arguments.map { strdup($0) }
        defer { for pointer in pointers { free(pointer) } }
        pointers.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { arguments in
                LLVMParseCommandLineOptions(Int32(arguments.count), arguments.baseAddress, nil)
            }
        }
    }()

    /// Makes sure the native target is registered; cheap after the first call.
    static func initialize() {
        registered
    }
}

import NetcLoops

/// The CPUs `--target` names: the host, or a fixed CPU whose code any machine with its features can run.
public enum TargetName: String, CaseIterable, Sendable {
    /// The machine netc runs on, with every extension it has.
    case native
    /// Intel Haswell: AVX2 and FMA, 16 vector registers (the baseline of `Generated/`).
    case haswell
    /// Intel Skylake server: AVX-512 (F, CD, BW, DQ, VL).
    case skylakeAVX512 = "skylake-avx512"
    /// Intel Ice Lake server: AVX-512 with VNNI, VBMI and more.
    case icelakeServer = "icelake-server"
    /// AMD Zen 3: AVX2 and FMA.
    case znver3
    /// AMD Zen 4: AVX-512 on 256-bit units.
    case znver4

    /// The target this name stands for.
    public var target: HostTarget {
        switch self {
        case .native: .current
        case .haswell: .haswell
        case .skylakeAVX512: Self.fixed("skylake-avx512", .skylakeAVX512)
        case .icelakeServer: Self.fixed("icelake-server", .icelakeServer)
        case .znver3: Self.fixed("znver3", .znver3)
        // LLVM 14 predates Zen 4: Zen 3 with its AVX-512 extensions.
        case .znver4:
            Self.fixed("znver3", .znver4, features: Self.zen4Extensions.map { "+\($0)" }.joined(separator: ","))
        }
    }

    /// The CPU features code for this target may use that the host must have to run it.
    public var requiredFeatures: [String] {
        let avx512 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        switch self {
        case .native: return []
        case .haswell, .znver3: return ["avx2", "fma", "bmi2"]
        case .skylakeAVX512: return ["avx2", "fma"] + avx512
        case .icelakeServer: return ["avx2", "fma"] + avx512 + ["avx512vnni", "avx512vbmi", "avx512vbmi2"]
        case .znver4: return ["avx2", "fma"] + Self.zen4Extensions
        }
    }

    /// The features in `requiredFeatures` the host lacks: when not empty, the JIT cannot run this target's code here.
    public var featuresMissingOnHost: [String] {
        requiredFeatures.filter { !HostTarget.current.hasFeature($0) }
    }

    private static let zen4Extensions = [
        "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512ifma", "avx512vbmi", "avx512vbmi2",
        "avx512vnni", "avx512bitalg", "avx512vpopcntdq", "avx512bf16",
    ]

    private static func fixed(_ cpu: String, _ description: TargetDescription, features: String = "") -> HostTarget {
        HostTarget(triple: HostTarget.current.triple, cpuName: cpu, features: features, description: description)
    }
}

extension HostTarget {
    /// A fixed x86-64 baseline with AVX2 and FMA (Haswell), for ahead-of-time code that must not change
    /// with the machine it was generated on.
    public static let haswell = HostTarget(
        triple: "x86_64-pc-linux-gnu", cpuName: "haswell", features: "+avx2,+fma", description: .haswell)
}

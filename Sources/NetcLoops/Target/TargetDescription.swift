/// What lowering needs to know about the CPU it compiles for: the vector width to write loops in, how many
/// vector registers a register tile may fill, how many FMA units keep sums busy, and the cache sizes that bound
/// a blocked loop's working set.
///
/// It is a plain value so that every layer can hold one: the LLVM layer fills it from the host (LLVM's CPU name
/// and features, sysfs for caches) or from a named CPU (`--target haswell`), and lowering sizes every vector loop
/// and register tile from it, so no lane or register count is written into the loop nests themselves.
public struct TargetDescription: Hashable, Sendable, Codable {
    /// The name the user chose or the host's CPU as LLVM names it (`haswell`, `icelake-server`, `native`).
    public var name: String
    /// The widest vector the code uses by default, in bits (128, 256 or 512).
    public var vectorBits: Int
    /// The widest vector the CPU can execute, in bits: what a schedule may choose instead of `vectorBits`.
    public var widestVectorBits: Int
    /// The architectural vector registers (16 with AVX2, 32 with AVX-512, also for 256-bit code).
    public var vectorRegisters: Int
    /// Fused multiply-add units per core: how many independent multiply-add chains keep the core busy per cycle
    /// of latency.
    public var fmaUnits: Int
    /// The data caches per core (L1, L2) and shared (L3), in bytes.
    public var cacheBytes: CacheSizes

    /// The cache hierarchy's sizes in bytes.
    public struct CacheSizes: Hashable, Sendable, Codable {
        /// The first-level data cache of one core.
        public var level1: Int
        /// The second-level cache of one core.
        public var level2: Int
        /// The last-level cache, shared.
        public var level3: Int

        /// Creates cache sizes.
        public init(level1: Int, level2: Int, level3: Int) {
            (self.level1, self.level2, self.level3) = (level1, level2, level3)
        }
    }

    /// Creates a description.
    public init(
        name: String, vectorBits: Int, widestVectorBits: Int, vectorRegisters: Int, fmaUnits: Int,
        cacheBytes: CacheSizes
    ) {
        precondition([128, 256, 512].contains(vectorBits) && vectorBits <= widestVectorBits, "vector widths")
        self.name = name
        self.vectorBits = vectorBits
        self.widestVectorBits = widestVectorBits
        self.vectorRegisters = vectorRegisters
        self.fmaUnits = fmaUnits
        self.cacheBytes = cacheBytes
    }

    /// Lanes of `type` in one vector of the default width: 8 `f32` lanes in 256 bits, 16 in 512.
    public func lanes(of type: ScalarType = .float32) -> Int {
        vectorBits / (8 * type.byteCount)
    }

    /// The vector widths a schedule may use, narrowest first (256 and, where the CPU has it, 512 bits).
    public var vectorWidths: [Int] {
        [128, 256, 512].filter { $0 >= min(256, widestVectorBits) && $0 <= widestVectorBits }
    }

    /// The same CPU with `bits`-wide vectors by default.
    public func withVectorBits(_ bits: Int) -> TargetDescription {
        var copy = self
        copy.vectorBits = bits
        return copy
    }
}

extension TargetDescription {
    /// Intel Haswell and later AVX2 CPUs without AVX-512: 256-bit vectors, 16 registers, two FMA units.
    public static let haswell = TargetDescription(
        name: "haswell", vectorBits: 256, widestVectorBits: 256, vectorRegisters: 16, fmaUnits: 2,
        cacheBytes: CacheSizes(level1: 32 << 10, level2: 256 << 10, level3: 8 << 20))
    /// Intel Skylake server (Xeon Scalable, first generation): AVX-512 with 32 registers and two FMA units.
    public static let skylakeAVX512 = TargetDescription(
        name: "skylake-avx512", vectorBits: 512, widestVectorBits: 512, vectorRegisters: 32, fmaUnits: 2,
        cacheBytes: CacheSizes(level1: 32 << 10, level2: 1 << 20, level3: 16 << 20))
    /// Intel Ice Lake server: AVX-512, 32 registers, two FMA units, larger first- and second-level caches.
    public static let icelakeServer = TargetDescription(
        name: "icelake-server", vectorBits: 512, widestVectorBits: 512, vectorRegisters: 32, fmaUnits: 2,
        cacheBytes: CacheSizes(level1: 48 << 10, level2: 1_280 << 10, level3: 32 << 20))
    /// AMD Zen 3: AVX2, 16 registers, two 256-bit FMA pipes.
    public static let znver3 = TargetDescription(
        name: "znver3", vectorBits: 256, widestVectorBits: 256, vectorRegisters: 16, fmaUnits: 2,
        cacheBytes: CacheSizes(level1: 32 << 10, level2: 512 << 10, level3: 32 << 20))
    /// AMD Zen 4: AVX-512 executed as two 256-bit halves, so 256-bit code by default, but 32 registers for it.
    public static let znver4 = TargetDescription(
        name: "znver4", vectorBits: 256, widestVectorBits: 512, vectorRegisters: 32, fmaUnits: 2,
        cacheBytes: CacheSizes(level1: 32 << 10, level2: 1 << 20, level3: 32 << 20))
}

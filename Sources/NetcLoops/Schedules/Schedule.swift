/// How one convolution or linear kernel is laid out in loops: the knobs `netc tune` turns and the heuristic sets.
///
/// Every kernel reads them in its own terms (see the lowering of each): the register tile is `rows` × `vectors`
/// vectors of `vectorBits / 32` channel lanes, so it takes `rows · vectors` vector registers of sums.
public struct Schedule: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Which loop the kernel's caller splits over threads.
    public enum Parallelism: String, Hashable, Sendable, Codable, CaseIterable {
        /// One image (or group of images) per iteration.
        case images
        /// One output row of one image per iteration: finer, so small batches keep every core busy.
        case rows
    }

    /// How a convolution computes its sums.
    public enum Algorithm: String, Hashable, Sendable, Codable, CaseIterable {
        /// Every product of every kernel tap, summed in the register tiles described above.
        case direct
        /// Direct convolution (forward pass, input gradient) whose register tile holds one pixel of `rows` images
        /// instead of `rows` pixels of a row: for planes a few pixels wide, whose pixels share too few kernel taps to
        /// reuse a weight vector loaded (each pixel of a padded 3×3 convolution's 2×2 output reaches 4 of the 9 taps,
        /// and neighbours share 2), while images read the same taps at the same pixel. It sums in direct
        /// convolution's order, so its results are the same to the bit.
        case directAcrossImages
        /// Winograd's F(2×2, 3×3) for 3×3 kernels at stride 1 (`Lowering.lowerWinogradConvolution`,
        /// `Lowering.lowerWinogradWeightGradient`): 16 products per pair of channels for each 2×2 tile of output pixels
        /// where direct convolution takes 36; the register tile is `rows` tiles (weight gradient: input channels) ×
        /// `vectors` vectors of output channels. Cached as `winograd`, its name before F(4×4, 3×3).
        case winograd2x2 = "winograd"
        /// Winograd's F(4×4, 3×3), as `winograd2x2` with 36 products for each 4×4 tile where direct convolution takes
        /// 144, and larger transforms (with factors up to 8, so a larger rounding error).
        case winograd4x4
    }

    /// The vector width, in bits (256 or 512).
    public var vectorBits: Int
    /// Rows of the register tile: output pixels of a row (forward), input pixels a stride apart (input gradient),
    /// kernel taps (weight gradient), or as `algorithm` says.
    public var rows: Int
    /// Vectors of channels in the register tile.
    public var vectors: Int
    /// Which loop runs in parallel.
    public var parallelism: Parallelism
    /// How the sums are computed (convolutions; linear layers are always `direct`).
    public var algorithm: Algorithm
    /// Whether a forward convolution writes its output with non-temporal stores, which bypass the caches and skip
    /// reading each line before writing it (`Kernel.streamedBuffers`). That can pay for an output too large to stay
    /// cached until its reader runs and costs when it would have: on the Zen 2 (16 MiB of L3), the reference
    /// network's first convolution took 1.5 → 0.85 ms in the training step (10 MB written) and 0.55 → 1.6 ms in
    /// inference (50 images); on the Zen 3 (32 MiB of L3), 0.9-1.1 → 2.8 ms in the step. So `netc tune` times both
    /// (`ScheduleSpace.streamingTwin`).
    public var streamsOutput: Bool

    /// Creates a schedule.
    public init(
        vectorBits: Int, rows: Int, vectors: Int, parallelism: Parallelism = .images, algorithm: Algorithm = .direct,
        streamsOutput: Bool = false
    ) {
        precondition(rows > 0 && vectors > 0, "a register tile holds at least one vector")
        self.vectorBits = vectorBits
        self.rows = rows
        self.vectors = vectors
        self.parallelism = parallelism
        self.algorithm = algorithm
        self.streamsOutput = streamsOutput
    }

    /// Decodes a schedule; one cached before there was a choice of algorithm is `direct`, and one cached before
    /// there was a choice of stores caches its output.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            vectorBits: try container.decode(Int.self, forKey: .vectorBits),
            rows: try container.decode(Int.self, forKey: .rows),
            vectors: try container.decode(Int.self, forKey: .vectors),
            parallelism: try container.decode(Parallelism.self, forKey: .parallelism),
            algorithm: try container.decodeIfPresent(Algorithm.self, forKey: .algorithm) ?? .direct,
            streamsOutput: try container.decodeIfPresent(Bool.self, forKey: .streamsOutput) ?? false)
    }

    /// `f32` lanes in one vector.
    public var lanes: Int { vectorBits / 32 }

    /// `512b 7x2 images`, `256b 3x2 images winograd4x4`, `256b 4x3 images streaming`.
    public var description: String {
        "\(vectorBits)b \(rows)x\(vectors) \(parallelism.rawValue)" + (algorithm == .direct ? "" : " \(algorithm)")
            + (streamsOutput ? " streaming" : "")
    }
}

/// The schedules compilation uses: tuned ones by kernel signature, the built-in heuristic for the rest.
public struct ScheduleTable: Hashable, Sendable {
    /// Tuned schedules (from `netc tune`'s cache) by signature.
    public var tuned: [KernelSignature: Schedule]

    /// Creates a table; with no tuned schedules every kernel gets the heuristic's.
    public init(tuned: [KernelSignature: Schedule] = [:]) {
        self.tuned = tuned
    }
}

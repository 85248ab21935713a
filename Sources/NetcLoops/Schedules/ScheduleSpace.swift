/// The schedules a convolution or linear kernel may use on a target, and the one the compiler picks without
/// measuring.
///
/// A register tile of `rows` × `vectors` vectors of sums needs `rows · vectors` registers, plus the vectors of weights
/// (or gradients) it keeps loaded — one per vector for each kernel column that reaches the tile, for convolutions —
/// and a couple for broadcasts: candidates fill the register file to different degrees with rows that split the
/// extent evenly, in every vector width the CPU has; `netc tune` times them all. The heuristic takes the tile with
/// the most sums that fits the default vector width.
public enum ScheduleSpace {
    /// The generation of the lowering and of the candidates: schedules tuned under another generation are not used
    /// (`ScheduleCache.table`). Raise it with any change that can change which candidate wins, as when steps of rows
    /// of Winograd tiles made Winograd the faster algorithm for 7×7 and 14×14 planes that caches tuned before had
    /// given to direct convolution. Caches written before there were generations hold generation 0.
    /// Generation 2 added tiles across images (`Schedule.Algorithm.directAcrossImages`); generation 3 packed the
    /// weights of direct convolutions by register tile (`Lowering.packWeights`), which made wide tiles of one vector
    /// the faster ones for many output channels; generation 4 holds one kernel column's weights at a time in forward
    /// convolutions and strided input gradients (`residentVectors`), which lets tiles of more sums fit; generation 5
    /// times each forward convolution's fastest schedule against its streaming twin (`streamingTwin`).
    public static let generation = 5

    /// The schedules worth timing for `signature` on `target`, the heuristic's first: in every vector width the
    /// CPU has, the `perWidth` best register tiles by the heuristic's ranking, and the heuristic's tile with the
    /// other parallel loop.
    ///
    /// The ranking counts loads, not the registers LLVM spills when a tile's sums, weights and inputs nearly fill
    /// the file, so the fastest tile is often not among its first three: on the Zen 4 with AVX-512, taking 5 per
    /// width instead of 3 made the reference network's kernels 15.24 → 14.71 ms per step (the first convolution 0.79
    /// → 0.60 ms with a 4×3 tile instead of a spilling 6×4; medians of 7 interleaved rounds) and `netc tune` 30 →
    /// 47-59 s; 8 per width gave 14.46 ms in 59-65 s, at or over issue 13's minute.
    public static func candidates(
        for signature: KernelSignature, on target: TargetDescription, perWidth: Int = 5,
        algorithms: Set<Schedule.Algorithm> = strictAlgorithms
    ) -> [Schedule] {
        let first = heuristic(for: signature, on: target)
        var all = [first]
        func add(_ schedule: Schedule) { if !all.contains(schedule) { all.append(schedule) } }
        for bits in target.vectorWidths {
            let ranked = ranked(
                tiles(for: signature, lanes: bits / 32, registers: target.vectorRegisters), target
            ) { groupedLoadsPerMultiplyAdd(signature, $0, lanes: bits / 32) }
            for tile in ranked.prefix(perWidth) {
                add(Schedule(vectorBits: bits, rows: tile.rows, vectors: tile.vectors, parallelism: first.parallelism))
            }
        }
        if tilesAcrossImages(signature) && algorithms.contains(.directAcrossImages) {
            for bits in target.vectorWidths {
                let tiles = tiles(
                    for: signature, lanes: bits / 32, registers: target.vectorRegisters, acrossImages: true)
                let ranked = ranked(tiles, target) {
                    Double($0.rows + $0.vectors) / Double($0.rows * $0.vectors)
                }
                for tile in ranked.prefix(2) {
                    add(
                        Schedule(
                            vectorBits: bits, rows: tile.rows, vectors: tile.vectors, algorithm: .directAcrossImages))
                }
            }
        }
        if allowsWinograd(signature) {
            for algorithm in Schedule.Algorithm.allCases where algorithms.contains(algorithm) {
                guard let winograd = WinogradTile(algorithm) else { continue }
                for bits in target.vectorWidths {
                    let tiles = winogradTiles(signature, outputs: winograd.outputs, lanes: bits / 32, target)
                    for tile in tiles.prefix(2) {
                        add(Schedule(vectorBits: bits, rows: tile.rows, vectors: tile.vectors, algorithm: algorithm))
                    }
                }
            }
        }
        for parallelism in parallelisms(for: signature) where parallelism != first.parallelism {
            add(
                Schedule(
                    vectorBits: first.vectorBits, rows: first.rows, vectors: first.vectors, parallelism: parallelism))
        }
        return all
    }

    /// `schedule` with its output written by non-temporal stores (`Schedule.streamsOutput`), for a kernel that can
    /// write so: a forward convolution vectorised over pixels (`Lowering.lowerPixelConvolution`, the first layers,
    /// whose outputs are the largest), which stores whole vectors of a row, at least 16-byte aligned where the row's
    /// length is a multiple of 4. The channel-vectorised loops store each lane's pixels in a plane of its own, short
    /// runs in as many planes as lanes, which x86 writes non-temporally only on AMD (`movntss`) and whose partial
    /// cache lines would evict each other from the few write-combining buffers. `netc tune` times the twin of a
    /// kernel's fastest candidate against it (`Tuner.measure`).
    public static func streamingTwin(of schedule: Schedule, for signature: KernelSignature) -> Schedule? {
        guard signature.role == .forward, isPixelVectorised(signature), !schedule.streamsOutput else { return nil }
        switch schedule.algorithm {
        case .direct:
            var twin = schedule
            twin.streamsOutput = true
            return twin
        case .directAcrossImages, .winograd2x2, .winograd4x4: return nil
        }
    }

    /// Whether compilation may use `schedule` for `signature` on `target`: one of the candidates of any algorithm,
    /// or a candidate's streaming twin.
    public static func admits(
        _ schedule: Schedule, for signature: KernelSignature, on target: TargetDescription
    )
        -> Bool
    {
        candidates(for: signature, on: target, algorithms: Set(Schedule.Algorithm.allCases)).contains {
            $0 == schedule || streamingTwin(of: $0, for: signature) == schedule
        }
    }

    /// The algorithms `netc tune` times unless asked for more: those whose results round about as direct
    /// convolution's do. Winograd's F(4×4, 3×3) rounds several times worse (about 1.6e-6 of a result's scale where
    /// F(2×2, 3×3) and direct convolution give 1-3e-7; the ResNet example's gradients then differ from the
    /// interpreter's 2-3 times more than direct convolution's at batch 100), so it is timed only when asked for.
    public static let strictAlgorithms: Set<Schedule.Algorithm> = [.direct, .directAcrossImages, .winograd2x2]

    /// Tiles best first: enough independent sums to keep every FMA unit busy through a multiply-add's latency
    /// (about 4 cycles), then the fewest loads per multiply-add (`loads`: for direct convolution and linear layers,
    /// `groupedLoadsPerMultiplyAdd`), then the most sums.
    static func ranked(
        _ tiles: [(rows: Int, vectors: Int)], _ target: TargetDescription,
        loads: ((rows: Int, vectors: Int)) -> Double
    ) -> [(rows: Int, vectors: Int)] {
        let enough = target.fmaUnits * 4
        func key(_ tile: (rows: Int, vectors: Int)) -> (Int, Double, Int) {
            let sums = tile.rows * tile.vectors
            return (min(sums, enough), -loads(tile), sums)
        }
        return tiles.sorted { key($0) > key($1) }
    }

    /// The schedule used when none was tuned: the default vector width, and of the register tiles that fit, the one
    /// with the fewest loads per multiply-add (then the most sums, to hide the FMA latency); parallel over images
    /// when there are enough of them to share out.
    public static func heuristic(for signature: KernelSignature, on target: TargetDescription) -> Schedule {
        let best = ranked(
            tiles(for: signature, lanes: target.lanes(), registers: target.vectorRegisters), target
        ) { groupedLoadsPerMultiplyAdd(signature, $0, lanes: target.lanes()) }
        .first
        let batch = signature.sizes[0]
        let parallelism: Schedule.Parallelism =
            parallelisms(for: signature).contains(.rows) && batch < 8 ? .rows : .images
        return Schedule(
            vectorBits: target.vectorBits, rows: best?.rows ?? 1, vectors: best?.vectors ?? 1, parallelism: parallelism)
    }

    /// `loadsPerMultiplyAdd` over every channel group of the tile (`ChannelGroups`): tiles of `tile.vectors` vectors
    /// of `lanes` channels, then one of the vectors left over, which loads as much per row for fewer sums. A 3 × 3
    /// tile then ranks below a 5 × 2 one for 32 output channels (4 vectors of 8: a 3-vector group and a 1-vector
    /// one), which on the Zen 3 took 3.26 against 2.32 ms for the reference network's conv1_3 forward pass.
    static func groupedLoadsPerMultiplyAdd(
        _ signature: KernelSignature, _ tile: (rows: Int, vectors: Int), lanes: Int
    ) -> Double {
        guard !isPixelVectorised(signature) else { return loadsPerMultiplyAdd(signature, tile) }
        let channelVectors = (tileExtent(signature).channels + lanes - 1) / lanes
        let (whole, rest) = max(channelVectors, tile.vectors).quotientAndRemainder(dividingBy: tile.vectors)
        let loads =
            loadsPerMultiplyAdd(signature, tile) * Double(whole * tile.vectors)
            + (rest > 0 ? loadsPerMultiplyAdd(signature, (tile.rows, rest)) * Double(rest) : 0)
        return loads / Double(whole * tile.vectors + rest)
    }

    /// Loads (vector loads and broadcasts) per vector multiply-add of a tile in its innermost step: what decides
    /// whether the load ports or the FMA units bound it.
    static func loadsPerMultiplyAdd(_ signature: KernelSignature, _ tile: (rows: Int, vectors: Int)) -> Double {
        let s = signature.sizes
        let (rows, vectors) = (Double(tile.rows), Double(tile.vectors))
        // Linear: per step, a vector of B per vector and a broadcast of A per row.
        guard signature.operation == "conv2d" else { return (rows + vectors) / (rows * vectors) }
        if isPixelVectorised(signature) {
            // Forward: per tap, a vector per output row and a broadcast weight per channel; weight gradient: per row,
            // a vector of dy per channel and of input per tap.
            let taps = Double(s[1] * s[5] * s[5])
            return signature.role == .weightGradient
                ? (rows + taps) / (rows * taps) : (rows + vectors) / (rows * vectors)
        }
        let kernel = Double(s[5])
        switch signature.role {
        case .forward:
            // Per input channel and kernel tap: its weight vectors and one input value per row.
            return (vectors + rows) / (rows * vectors)
        case .inputGradient where Lowering.takesColumnsOneAtATime(stride: s[6], acrossImages: false):
            // Per output channel and kernel tap: its weight vectors and one output gradient per pixel of the phase it
            // reaches.
            return (vectors + rows) / (rows * vectors)
        case .inputGradient:
            // Stride 1, per output channel and kernel row: every column's weight vectors and each output gradient once.
            return (kernel * vectors + rows + kernel - 1) / (kernel * rows * vectors)
        case .weightGradient:
            // Per output pixel: its dy vectors and one input value per tap.
            return (vectors + rows) / (rows * vectors)
        }
    }

    /// The register tiles for `signature` with `lanes`-wide vectors and `registers` vector registers: for each
    /// number of vectors, the most rows that fit and about half as many, balanced over the extent (the images,
    /// `acrossImages`).
    static func tiles(
        for signature: KernelSignature, lanes: Int, registers: Int, acrossImages: Bool = false
    ) -> [(rows: Int, vectors: Int)] {
        var found: [(rows: Int, vectors: Int)] = []
        func add(_ rows: Int, _ vectors: Int) {
            if !found.contains(where: { $0 == (rows, vectors) }) { found.append((rows, vectors)) }
        }
        let s = signature.sizes
        if isPixelVectorised(signature) {
            // Vectors of output columns: rows are output channels, vectors output rows (forward) or one (weight
            // gradient, whose tile holds every tap of each channel).
            let (outChannels, taps) = (s[4], s[1] * s[5] * s[5])
            if signature.role == .weightGradient {
                let most = min(outChannels, (registers - 2) / (taps + 1))
                for rows in Set([most, max(1, most / 2)]).sorted(by: >) where rows >= 1 { add(rows, 1) }
            } else {
                let outHeight = (s[2] + 2 * s[7] - s[5]) / s[6] + 1
                for vectors in [1, 2, 3, 4, 6] where vectors <= outHeight {
                    let most = min(outChannels, (registers - vectors - 2) / vectors)
                    guard most >= 1 else { continue }
                    for rows in Set([most, max(1, most / 2)]).sorted(by: >) { add(rows, vectors) }
                }
            }
            return found
        }
        let (rowExtent, channels) = tileExtent(signature)
        let extent = acrossImages ? s[0] : rowExtent
        let channelVectors = (channels + lanes - 1) / lanes
        // Linear layers keep an `f64` total (two registers) beside each vector of `f32` block sums.
        let width = signature.operation == "conv2d" ? 1 : 3
        // An input gradient whose tiles take every phase of a row holds the sums of each phase's pixels.
        // (A tile across images takes one pixel of one phase.)
        let phases = interleavesPhases(signature) && !acrossImages ? signature.sizes[6] : 1
        for vectors in [1, 2, 3, 4, 6, 8] where vectors <= channelVectors {
            let most = min(
                extent,
                (registers - residentVectors(signature, acrossImages: acrossImages) * vectors * width - 2)
                    / (vectors * width * phases))
            guard most >= 1 else { continue }
            if signature.operation == "conv2d" && signature.role == .weightGradient {
                // Taps come a whole kernel, a kernel row or one at a time, so the pixel loops split at the border
                // the same way for every tap of the tile.
                let kernel = s[5]
                for taps in [kernel * kernel, kernel, 1] where taps <= most { add(taps, vectors) }
                // A 1×1 kernel has one tap: its rows are input channels instead (a divisor of them), so each vector
                // of dy loaded feeds several sums rather than one.
                if kernel == 1 {
                    let fitting = (1...most).filter { s[1] % $0 == 0 }
                    for rows in [fitting.last, fitting.last { $0 <= max(1, most / 2) }] { add(rows ?? 1, vectors) }
                }
                continue
            }
            for limit in Set([most, max(1, most / 2)]).sorted(by: >) { add(balanced(extent, limit), vectors) }
        }
        return found
    }

    /// Whether a convolution may run as Winograd's F(2×2, 3×3) or F(4×4, 3×3) (`WinogradTile`): a 3×3 kernel at
    /// stride 1, its forward pass and weight gradient when vectorised over channels, its input gradient when the
    /// padding is at most 2 (the gradient is then a convolution padded by 2 − p).
    static func allowsWinograd(_ signature: KernelSignature) -> Bool {
        let s = signature.sizes
        guard signature.operation == "conv2d", s[5] == 3, s[6] == 1 else { return false }
        switch signature.role {
        case .forward, .weightGradient: return !isPixelVectorised(signature)
        case .inputGradient: return s[7] <= 2
        }
    }

    /// Winograd register tiles for tiles of `outputs` × `outputs` pixels, best first as `ranked` orders them: `rows`
    /// tiles of a step's rows of tiles (forward, input gradient) or input channels (weight gradient, a divisor of them) ×
    /// `vectors` vectors of output channels, beside one vector of transformed weights or output gradients per vector
    /// of sums; each step broadcasts one transformed input per row.
    static func winogradTiles(
        _ signature: KernelSignature, outputs: Int, lanes: Int, _ target: TargetDescription
    ) -> [(rows: Int, vectors: Int)] {
        let s = signature.sizes
        func stepTiles(_ height: Int, _ width: Int) -> Int {
            WinogradGeometry.tilesPerStep(height: height, width: width, outputs: outputs)
        }
        // What the rows cover (the tiles of a step, y: height and width + 2p − 2, dx: the input's; or the input
        // channels) and the channels of the vectors.
        let (extent, channels): (Int, Int)
        switch signature.role {
        case .forward: (extent, channels) = (stepTiles(s[2] + 2 * s[7] - 2, s[3] + 2 * s[7] - 2), s[4])
        case .inputGradient: (extent, channels) = (stepTiles(s[2], s[3]), s[1])
        case .weightGradient: (extent, channels) = (s[1], s[4])
        }
        let channelVectors = (channels + lanes - 1) / lanes
        let tiles: [(rows: Int, vectors: Int)] = [1, 2, 3, 4].compactMap { vectors in
            let most = min(extent, (target.vectorRegisters - vectors - 2) / vectors)
            guard vectors <= channelVectors && most >= 1 else { return nil }
            switch signature.role {
            case .forward, .inputGradient: return (balanced(extent, most), vectors)
            case .weightGradient: return ((1...most).last { extent % $0 == 0 } ?? 1, vectors)
            }
        }
        return ranked(tiles, target) { Double($0.rows + $0.vectors) / Double($0.rows * $0.vectors) }
    }

    /// Whether a convolution kernel is vectorised over output columns rather than channels (few input channels,
    /// stride 1: `Lowering.vectorisesOverPixels`); its input gradient never is.
    static func isPixelVectorised(_ signature: KernelSignature) -> Bool {
        signature.operation == "conv2d" && signature.role != .inputGradient
            && Lowering.vectorisesOverPixels(inChannels: signature.sizes[1], stride: signature.sizes[6])
    }

    /// The vectors of operands a tile keeps in registers per vector of sums: the weight vector of the current kernel
    /// tap (forward: `Lowering.lowerConvolution` takes a tile's kernel columns one at a time; input gradient, when
    /// `Lowering.takesColumnsOneAtATime`), one for every kernel column that reaches the tile (other input gradients),
    /// or the one vector of dy of the current pixel (weight gradient).
    ///
    /// With every column's weights held at once, a 16-register file left room for at most 8 sums at 3×3 kernels, and
    /// for 7 at 7 pixels × 1 vector (the reference network's 14-pixel rows): too few independent sums to hide the
    /// multiply-add's latency. Holding one column's, a 5 × 2 tile fits. On the Zen 3 (AVX2), the reference network's
    /// stride-2 conv1_3 forward pass took 2.88 → 2.42 ms per training step and 2.33 → 2.10 ms per inference
    /// micro-batch (`netc tune`, each binary's winner); in 4 interleaved rounds of `netc bench`, 2.39-3.03 → 2.07-2.13
    /// ms of an inference micro-batch, and inference 18,451-19,702 → 20,112-21,079 img/s.
    static func residentVectors(_ signature: KernelSignature, acrossImages: Bool) -> Int {
        let s = signature.sizes
        guard signature.operation == "conv2d" else { return 1 }
        let (kernel, stride) = (s[5], s[6])
        switch signature.role {
        case .forward: return 1
        case .inputGradient:
            // A tile that holds every column's weights has stride 1, so every column reaches it.
            return Lowering.takesColumnsOneAtATime(stride: stride, acrossImages: acrossImages) ? 1 : kernel
        case .weightGradient: return 1
        }
    }

    /// Whether a convolution's forward pass or input gradient may tile across images
    /// (`Schedule.Algorithm.directAcrossImages`): one vectorised over channels whose tiles along a row would hold at
    /// most 4 pixels (of the output, or of one phase of the input), so that each weight loaded feeds about one sum.
    static func tilesAcrossImages(_ signature: KernelSignature) -> Bool {
        let s = signature.sizes
        return signature.operation == "conv2d" && signature.role != .weightGradient && !isPixelVectorised(signature)
            && s[0] > 1 && tileExtent(signature).rows <= 4
    }

    /// Whether an input gradient's tiles take every phase of a row (`Lowering.interleavesPhases`).
    static func interleavesPhases(_ signature: KernelSignature) -> Bool {
        signature.operation == "conv2d" && signature.role == .inputGradient
            && Lowering.interleavesPhases(stride: signature.sizes[6], width: signature.sizes[3])
    }

    /// The extent the tile's rows cover and the channels its vectors cover.
    static func tileExtent(_ signature: KernelSignature) -> (rows: Int, channels: Int) {
        let s = signature.sizes
        guard signature.operation == "conv2d" else {
            // Linear (batch, in, out): rows of images over outputs, of images over features, of outputs over features.
            switch signature.role {
            case .forward: return (s[0], s[2])
            case .inputGradient: return (s[0], s[1])
            case .weightGradient: return (s[2], s[1])
            }
        }
        let (inChannels, width, outChannels, kernel, stride, padding) = (s[1], s[3], s[4], s[5], s[6], s[7])
        switch signature.role {
        case .forward: return ((width + 2 * padding - kernel) / stride + 1, outChannels)
        case .inputGradient: return ((width + stride - 1) / stride, inChannels)
        // A 1×1 kernel's weight-gradient tiles take input channels as rows, other kernels' take taps.
        case .weightGradient: return (kernel == 1 ? inChannels : kernel * kernel, outChannels)
        }
    }

    /// The parallel loops a kernel offers: rows as well as images for the forward and input-gradient convolutions.
    static func parallelisms(for signature: KernelSignature) -> [Schedule.Parallelism] {
        signature.operation == "conv2d" && signature.role != .weightGradient && !isPixelVectorised(signature)
            ? [.images, .rows] : [.images]
    }

    /// The tile size at most `limit` that splits `extent` into equal tiles as nearly as possible.
    static func balanced(_ extent: Int, _ limit: Int) -> Int {
        let tiles = (extent + limit - 1) / limit
        return (extent + tiles - 1) / tiles
    }
}

extension ScheduleTable {
    /// The schedule for `signature` on `target`: the tuned one when `netc tune` may still pick it there
    /// (`ScheduleSpace.admits`), else the heuristic's.
    ///
    /// A schedule tuned by an older netc whose lowering read it differently (since session 21, a strided input
    /// gradient's tile takes its rows in every phase, twice the sums at stride 2) may no longer fit the registers;
    /// the space leaves such tiles out, so the heuristic stands in for them until `netc tune` runs again.
    public func schedule(for signature: KernelSignature, on target: TargetDescription) -> Schedule {
        if let schedule = tuned[signature], ScheduleSpace.admits(schedule, for: signature, on: target) {
            return schedule
        }
        return ScheduleSpace.heuristic(for: signature, on: target)
    }
}

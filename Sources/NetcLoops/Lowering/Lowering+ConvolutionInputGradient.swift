import NetcGraph

extension Lowering {
    /// dx[n, ci, iy, ix] = Σ_{co, ky, kx} dy[n, co, oy, ox] · w[co, ci, ky, kx] over the (oy, ox) whose window reads
    /// (iy, ix) at (ky, kx) — a gather, so each element is written once — then the epilogue; the weights are packed
    /// by tile of input channels (`packWeights`).
    ///
    /// Register tiles hold `schedule.rows` input pixels of each phase × `schedule.vectors` vectors of input
    /// channels. The pixels of a phase are a stride apart (one phase of the row), so they receive from the same kernel
    /// columns: which columns reach a pixel is known when the kernel is built, and border tiles leave out the ones
    /// that fall outside. Where every phase of a row has as many pixels (`interleavesPhases`), a tile takes the same
    /// pixels of every phase, so it covers neighbouring pixels that its stores write as runs (`StoreRun`) and loads
    /// each output gradient once for all phases; otherwise a tile takes one phase. Kernel rows are tested once per
    /// row and tile. Rows no kernel row reaches (a 1×1 stride-2 shortcut's odd rows) hold only the epilogue of zero,
    /// written as vectors of neighbouring pixels, one channel at a time, so whatever the epilogue reads there is read
    /// contiguously rather than gathered across channel planes. Tiled across images
    /// (`Schedule.Algorithm.directAcrossImages`), a tile holds one pixel of `schedule.rows` images instead, in blocks of
    /// images run in parallel, summing each result in the same order.
    mutating func lowerConvolutionInputGradient(
        _ group: FusionGroup, _ attributes: ConvolutionAttributes, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let (dy, w) = (node.inputs[0], node.inputs[1])
        let g = ConvolutionShape(input: node.type.shape, outChannels: graph.type(of: w).shape[0], attributes)
        let schedule = schedules.schedule(
            for: KernelSignature(
                convolution: .inputGradient, input: node.type.shape, outChannels: g.outChannels, attributes),
            on: target)
        let acrossImages: Bool
        switch schedule.algorithm {
        case .direct: acrossImages = false
        case .directAcrossImages: acrossImages = true
        case .winograd2x2, .winograd4x4:
            return lowerWinogradConvolution(group, .inputGradient, attributes, schedule, name: name, &builder)
        }
        let (stride, padding, width) = (g.stride, g.padding, schedule.rows)
        let channels = ChannelGroups(channels: g.inChannels, lanes: schedule.lanes, vectors: schedule.vectors)
        let packing = packWeights(w, g, channels, name: name, innermost: .inputInnermost)
        /// The input pixels (n + r, iy, phase + stride·(first + p)) of each of `images` images r, each phase and each
        /// p, reached by kernel columns `columns[p]` of the phase at output columns `origin[kx] + first + p`, channels
        /// `tile`.
        func pixels(
            _ n: Expr, _ iy: Expr, first: Expr, phases: [PhaseTile], images: Int = 1, _ tile: ChannelGroups.Tile,
            _ builder: inout KernelBuilder
        ) {
            builder.vectorLoop(0..<tile.lanes, lanes: tile.lanes) { builder, lane in
                let ci = (0..<tile.vectors).map { tile.first + .integer($0 * tile.lanes) + lane }
                let sums = (0..<images).map { _ in
                    phases.map { phase in
                        phase.columns.map { _ in ci.map { _ in builder.local(.float32, .f32(0)) } }
                    }
                }
                let reached = Set(phases.flatMap { $0.columns.joined() }).sorted()
                // One column at a time, the last first: each sum then takes its columns in the order it does when
                // every column's weights are held (its output gradients from left to right, so its kernel columns
                // from right to left), and a tile across images sums to the bit as a tile along the row.
                let columnGroups =
                    Self.takesColumnsOneAtATime(stride: stride, acrossImages: acrossImages)
                    ? reached.reversed().map { [$0] } : [reached]
                for ky in 0..<g.kernel {
                    let shifted = iy + .integer(padding - ky)
                    let oy = shifted / .integer(stride)
                    var conditions: [Expr] = [
                        .compare(.greaterOrEqual, shifted, 0), .compare(.less, oy, .integer(g.outHeight)),
                    ]
                    if stride > 1 { conditions.append(.compare(.equal, shifted % .integer(stride), 0)) }
                    builder.when(g.all(conditions)) { builder in
                        builder.loop(0..<g.outChannels) { builder, co in
                            // The weights of a group of kernel columns stay in registers while each output
                            // gradient they reach is loaded once and fed to the sums of every (pixel, column) that
                            // reads it (`takesColumnsOneAtATime`).
                            for group in columnGroups {
                                let weights = Self.loadPackedWeights(
                                    packing.buffer, tile, lane: lane, outer: co, outerCount: g.outChannels, ky: ky,
                                    columns: group, kernel: g.kernel, &builder)
                                var readers: [Int: [(phase: Int, pixel: Int, column: Int)]] = [:]
                                for (index, phase) in phases.enumerated() {
                                    for (p, reaching) in phase.columns.enumerated() {
                                        for kx in reaching where group.contains(kx) {
                                            readers[phase.origin[kx, default: 0] + p, default: []].append(
                                                (index, p, kx))
                                        }
                                    }
                                }
                                for column in readers.keys.sorted() {
                                    for (r, imageSums) in sums.enumerated() {
                                        let index = g.outputIndex(n + .integer(r), co, oy, first + .integer(column))
                                        let value = builder.local(
                                            .float32, element(dy, Access(index, channel: co), &builder))
                                        for (phase, p, kx) in readers[column] ?? [] {
                                            for (sum, weight) in zip(imageSums[phase][p], weights[kx] ?? []) {
                                                builder.assign(sum, .multiplyAdd(value, weight, sum))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                // Pixel by pixel along the row, so interleaved phases store neighbouring pixels one after another.
                for (r, imageSums) in sums.enumerated() {
                    for p in 0..<(phases.map(\.columns.count).max() ?? 0) {
                        for (phase, phaseSums) in zip(phases, imageSums) where p < phaseSums.count {
                            let ix = first * .integer(stride) + .integer(phase.phase + stride * p)
                            for (sum, c) in zip(phaseSums[p], ci) {
                                let access = Access(g.inputIndex(n + .integer(r), c, iy, ix), channel: c)
                                storeResult(group, sum, access, &builder)
                            }
                        }
                    }
                }
            }
        }
        /// A row that receives no gradient: the epilogue of zero at every pixel.
        func unreachedRow(_ n: Expr, _ iy: Expr, _ builder: inout KernelBuilder) {
            builder.loop(0..<g.inChannels) { builder, c in
                for columns in Self.segments(of: g.width, lanes: schedule.lanes) {
                    builder.vectorLoop(0..<columns.count, lanes: columns.count) { builder, lane in
                        let ix = .integer(columns.lowerBound) + lane
                        storeResult(group, .f32(0), Access(g.inputIndex(n, c, iy, ix), channel: c), &builder)
                    }
                }
            }
        }
        /// Whether kernel tap `k` (a row or a column) reaches input pixels of `phase` (their index mod stride).
        func reaches(_ phase: Int, tap k: Int) -> Bool { (phase + padding - k) % stride == 0 }
        // The phases of rows (iy mod stride) that some kernel row reaches.
        let reachedRowPhases = (0..<min(stride, g.height)).map { phase in
            (0..<g.kernel).contains { reaches(phase, tap: $0) }
        }
        /// Row iy of image n, or with `images` of images n..<n + images, one pixel at a time.
        func row(_ n: Expr, _ iy: Expr, images: Int? = nil, _ builder: inout KernelBuilder) {
            func write(reached: Bool, _ builder: inout KernelBuilder) {
                switch (reached, images) {
                case (false, _):
                    for r in 0..<(images ?? 1) { unreachedRow(n + .integer(r), iy, &builder) }
                case (true, nil): reachedRow(n, iy, &builder)
                case (true, let images?): reachedPixels(n, iy, images: images, &builder)
                }
            }
            guard reachedRowPhases.allSatisfy({ $0 }) else {
                for (phase, reached) in reachedRowPhases.enumerated() {
                    builder.when(.compare(.equal, iy % .integer(stride), .integer(phase))) { builder in
                        write(reached: reached, &builder)
                    }
                }
                return
            }
            write(reached: true, &builder)
        }
        // For each phase of the row's pixels, the kernel columns that reach it, the output column each reaches from
        // pixel 0, and how many pixels it has.
        let phases = (0..<min(stride, g.width)).map { phase in
            var origin: [Int: Int] = [:]
            for kx in 0..<g.kernel where reaches(phase, tap: kx) {
                origin[kx] = (phase + padding - kx) / stride
            }
            return (phase: phase, origin: origin, count: (g.width - phase + stride - 1) / stride)
        }
        /// Runs `body` for every tile of the row's pixels of `tiled` (phase indices), each with its first pixel and
        /// the tile of every phase in `tiled`.
        func forEachTile(
            of tiled: [Int], _ builder: inout KernelBuilder, _ body: (inout KernelBuilder, Expr, [PhaseTile]) -> Void
        ) {
            let count = tiled.map { phases[$0].count }.max() ?? 0
            let tiles = Runs((count + width - 1) / width) { tile in
                tiled.map { index in
                    let (origin, pixels) = (phases[index].origin, phases[index].count)
                    let columns = (tile * width..<min(pixels, (tile + 1) * width)).map { j in
                        origin.keys.sorted().filter { (0..<g.outWidth).contains(origin[$0, default: 0] + j) }
                    }
                    return PhaseTile(phase: phases[index].phase, columns: columns, origin: origin)
                }
            }
            tiles.forEach(step: width, &builder, body)
        }
        func reachedRow(_ n: Expr, _ iy: Expr, _ builder: inout KernelBuilder) {
            let tiled =
                Self.interleavesPhases(stride: stride, width: g.width)
                ? [phases.indices.map { $0 }] : phases.indices.map { [$0] }
            for indices in tiled {
                forEachTile(of: indices, &builder) { builder, first, tiles in
                    channels.forEach(&builder) { builder, tile in
                        pixels(n, iy, first: first, phases: tiles, tile, &builder)
                    }
                }
            }
        }
        /// Every pixel of row iy of images n..<n + images, each a tile of that pixel in every image.
        func reachedPixels(_ n: Expr, _ iy: Expr, images: Int, _ builder: inout KernelBuilder) {
            for ix in 0..<g.width {
                let (pixel, phase) = ix.quotientAndRemainder(dividingBy: stride)
                let origin = phases[phase].origin
                let columns = origin.keys.sorted().filter { (0..<g.outWidth).contains(origin[$0, default: 0] + pixel) }
                let tile = PhaseTile(phase: phase, columns: [columns], origin: origin)
                channels.forEach(&builder) { builder, channelTile in
                    pixels(n, iy, first: .integer(pixel), phases: [tile], images: images, channelTile, &builder)
                }
            }
        }
        if acrossImages {
            // Blocks of `rows` images (the last may be smaller), one per iteration of the parallel loop.
            Self.parallelBlocks(of: g.batch, by: min(width, g.batch), &builder) { builder, _, n, images in
                builder.loop(0..<g.height) { builder, iy in row(n, iy, images: images, &builder) }
            }
            return [packing.kernel]
        }
        switch schedule.parallelism {
        case .images:
            builder.parallelLoop(g.batch) { builder, n in
                builder.loop(0..<g.height) { builder, iy in row(n, iy, &builder) }
            }
        case .rows:
            builder.parallelLoop(g.batch * g.height) { builder, r in
                row(r / .integer(g.height), r % .integer(g.height), &builder)
            }
        }
        return [packing.kernel]
    }

    /// Whether an input gradient's register tiles take the same pixels of every phase of a row (`stride` > 1 and
    /// every phase of a row `width` wide has as many pixels) rather than one phase's.
    static func interleavesPhases(stride: Int, width: Int) -> Bool {
        stride > 1 && width % stride == 0
    }

    /// Whether an input gradient's tile takes the kernel columns one at a time, holding one column's weight vectors
    /// (as the forward pass always does), rather than every reaching column's. With a stride above 1 or a tile across
    /// images, an output gradient feeds few of a tile's sums in either order, and one column's weights leave registers
    /// for more sums; along a row at stride 1, each output gradient feeds up to a kernel's width of pixels, and
    /// loading it once for all of them is worth the registers. On the Zen 3 (`netc tune`, each order's winner), the
    /// reference network's stride-2 conv2_3 input gradient took 1.01 → 0.71 ms and its 2×2-plane conv3_0 across images
    /// 309 → 198 µs one column at a time, where its stride-1 conv2_0 took 1.31 → 1.46 ms (the 4×2 tile 1.31 → 2.28).
    static func takesColumnsOneAtATime(stride: Int, acrossImages: Bool) -> Bool {
        stride > 1 || acrossImages
    }
}

/// The pixels of one phase of a row that an input-gradient tile covers: its phase, the kernel columns reaching each
/// of its pixels, and the output column each kernel column reaches from the phase's pixel 0.
struct PhaseTile: Equatable {
    let phase: Int
    let columns: [[Int]]
    let origin: [Int: Int]
}

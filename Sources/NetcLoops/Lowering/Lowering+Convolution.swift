import NetcGraph

/// Convolutions vectorised over channels with register tiles sized from the target: each tile keeps the sums of a
/// few output pixels × a few vectors of output channels in vector registers while it runs through the input
/// channels and kernel taps, so every input value loaded feeds every channel of its pixel and every weight vector
/// loaded feeds every pixel of the tile. The vector width, tile shape and parallel loop come from the kernel's
/// schedule (tuned, or the heuristic's: `ScheduleSpace`). Each convolution gets a preparation kernel that packs
/// its weights channel-last, so a vector of channels is one load.
extension Lowering {
    /// y[n, co, oy, ox] = b[co] + Σ_{ci, ky, kx} x[n, ci, oy·s − p + ky, ox·s − p + kx] · w[co, ci, ky, kx],
    /// then the epilogue; the weights are packed by tile of output channels (`packWeights`).
    ///
    /// A row of output pixels is cut into tiles of `schedule.rows` pixels; tiles whose taps all fall inside the
    /// image share one loop, and the border tiles are written out with the taps that fall in the padding left out
    /// (no test, no multiply by zero). Inside a tile, the kernel rows outside the image are skipped by one test per
    /// row. Tiled across images (`Schedule.Algorithm.directAcrossImages`), a tile holds one pixel of `schedule.rows`
    /// images instead, in blocks of images run in parallel; either tile sums each result in the same order.
    mutating func lowerConvolution(
        _ group: FusionGroup, _ attributes: ConvolutionAttributes, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let (x, w) = (node.inputs[0], node.inputs[1])
        let bias = node.inputs.count > 2 ? node.inputs[2] : nil
        let input = graph.type(of: x).shape
        let g = ConvolutionShape(input: input, outChannels: graph.type(of: w).shape[0], attributes)
        if Self.vectorisesOverPixels(g) { return lowerPixelConvolution(group, g, bias: bias, name: name, &builder) }
        let schedule = schedules.schedule(
            for: KernelSignature(
                convolution: .forward, input: input, outChannels: g.outChannels, attributes,
                sumsStatistics: fusion.sumsStatistics(group)),
            on: target)
        let acrossImages: Bool
        switch schedule.algorithm {
        case .direct: acrossImages = false
        case .directAcrossImages: acrossImages = true
        case .winograd2x2, .winograd4x4:
            return lowerWinogradConvolution(group, .forward(bias: bias), attributes, schedule, name: name, &builder)
        }
        let channels = ChannelGroups(channels: g.outChannels, lanes: schedule.lanes, vectors: schedule.vectors)
        let packing = packWeights(w, g, channels, name: name, innermost: .outputInnermost)
        // Across images: blocks of `rows` images (the last may be smaller), one per iteration of the parallel loop.
        let imageBlock = min(schedule.rows, g.batch)
        let statistics = epilogueStatistics(
            for: group,
            parts: acrossImages
                ? (g.batch + imageBlock - 1) / imageBlock
                : schedule.parallelism == .images ? g.batch : g.batch * g.outHeight,
            channels: g.outChannels)
        /// The tile of output pixels (n + image, oy, first + column) for each of `tilePixels`, channels `tile`;
        /// `part` is the iteration of the parallel loop.
        func pixels(
            _ n: Expr, _ oy: Expr, first: Expr, _ tilePixels: [TilePixel], _ tile: ChannelGroups.Tile, part: Expr,
            _ builder: inout KernelBuilder
        ) {
            builder.vectorLoop(0..<tile.lanes, lanes: tile.lanes) { builder, lane in
                let co = (0..<tile.vectors).map { tile.first + .integer($0 * tile.lanes) + lane }
                let sums = tilePixels.map { _ in
                    co.map { c in builder.local(.float32, bias.map { element($0, Access(c), &builder) } ?? .f32(0)) }
                }
                for ky in 0..<g.kernel {
                    let iy = g.inputPosition(oy, .integer(ky))
                    builder.when(g.insideRow(iy)) { builder in
                        builder.loop(0..<g.inChannels) { builder, ci in
                            // One kernel column at a time: its weight vectors stay in registers while each pixel
                            // of the tile that reaches it loads its input and adds to its sums.
                            for kx in Set(tilePixels.flatMap(\.columns)).sorted() {
                                let weights =
                                    Self.loadPackedWeights(
                                        packing.buffer, tile, lane: lane, outer: ci, outerCount: g.inChannels, ky: ky,
                                        columns: [kx], kernel: g.kernel, &builder)[kx] ?? []
                                for (p, pixel) in tilePixels.enumerated() where pixel.columns.contains(kx) {
                                    let offset = pixel.column * g.stride + kx - g.padding
                                    let column = first * .integer(g.stride) + .integer(offset)
                                    let index = g.inputIndex(n + .integer(pixel.image), ci, iy, column)
                                    let value = builder.local(
                                        .float32, element(x, Access(index, channel: ci), &builder))
                                    for (sum, weight) in zip(sums[p], weights) {
                                        builder.assign(sum, .multiplyAdd(value, weight, sum))
                                    }
                                }
                            }
                        }
                    }
                }
                var stored = co.map { _ in [Expr]() }
                for (p, row) in sums.enumerated() {
                    let (image, column) = (n + .integer(tilePixels[p].image), first + .integer(tilePixels[p].column))
                    for (v, (sum, c)) in zip(row, co).enumerated() {
                        let access = Access(g.outputIndex(image, c, oy, column), channel: c)
                        stored[v].append(storeResult(group, sum, access, &builder))
                    }
                }
                for (values, c) in zip(stored, co) { statistics?.add(values, part: part, channel: c, &builder) }
            }
        }
        /// For each tile of `width` pixels of a row, the kernel columns each of its pixels reads inside the image.
        func rowTiles(width: Int) -> Runs<[[Int]]> {
            Runs((g.outWidth + width - 1) / width) { tile in
                (tile * width..<min(g.outWidth, (tile + 1) * width)).map { ox in
                    (0..<g.kernel).filter { (0..<g.width).contains(ox * g.stride - g.padding + $0) }
                }
            }
        }
        if !acrossImages {
            let width = schedule.rows
            let tiles = rowTiles(width: width)
            func row(_ n: Expr, _ oy: Expr, part: Expr, _ builder: inout KernelBuilder) {
                tiles.forEach(step: width, &builder) { builder, first, columns in
                    let tilePixels = columns.enumerated().map { TilePixel(image: 0, column: $0, columns: $1) }
                    channels.forEach(&builder) { builder, tile in
                        pixels(n, oy, first: first, tilePixels, tile, part: part, &builder)
                    }
                }
            }
            switch schedule.parallelism {
            case .images:
                builder.parallelLoop(g.batch) { builder, n in
                    statistics?.clear(part: n, &builder)
                    builder.loop(0..<g.outHeight) { builder, oy in row(n, oy, part: n, &builder) }
                }
            case .rows:
                builder.parallelLoop(g.batch * g.outHeight) { builder, r in
                    statistics?.clear(part: r, &builder)
                    row(r / .integer(g.outHeight), r % .integer(g.outHeight), part: r, &builder)
                }
            }
        } else {
            // Every pixel of a block's tile reads the same kernel columns.
            let columns = rowTiles(width: 1)
            func images(_ n: Expr, count: Int, part: Expr, _ builder: inout KernelBuilder) {
                builder.loop(0..<g.outHeight) { builder, oy in
                    columns.forEach(step: 1, &builder) { builder, ox, reached in
                        let tilePixels = (0..<count).map { TilePixel(image: $0, column: 0, columns: reached[0]) }
                        channels.forEach(&builder) { builder, tile in
                            pixels(n, oy, first: ox, tilePixels, tile, part: part, &builder)
                        }
                    }
                }
            }
            Self.parallelBlocks(of: g.batch, by: imageBlock, &builder) { builder, block, n, count in
                statistics?.clear(part: block, &builder)
                images(n, count: count, part: block, &builder)
            }
        }
        return [packing.kernel]
    }
}

extension Lowering {
    /// One output pixel of a register tile: `image` images and `column` columns from the tile's first, reading the
    /// kernel columns `columns` (those that fall inside the image).
    struct TilePixel {
        let image, column: Int
        let columns: [Int]
    }

    /// The channel axis a packed weight layout tiles innermost, so that a vector of it is one load.
    enum PackedChannels {
        /// Tiles of output channels, the other axis the input channels (the forward pass).
        case outputInnermost
        /// Tiles of input channels, the other axis the output channels (the input gradient).
        case inputInnermost
    }

    /// A kernel copying weights `w` (`[co][ci][ky][kx]`) into a new buffer that gives each tile of `tiles` (over the
    /// channels `innermost` names) a block of its own, laid out `[outer][ky][kx][channel of the tile]` with `outer`
    /// the other channel axis (`packedWeightIndex`), and that buffer. It runs in the packed order, parallel over the
    /// other channel axis, so every store is contiguous and the strided reads are spread over the threads.
    ///
    /// A register tile then reads its weights in one run. Laid out `[outer][ky][kx][all channels]` instead, a tile's
    /// weight vectors lay a row of every channel apart: with 128 channels (512 bytes), all in the same 8 of the 64
    /// sets of a 32 KiB L1, using half of each cache line fetched. On the Zen 3, the ResNet's res3.body.0 forward pass
    /// (64 → 128 channels, stride 2) took 8.1-8.9 ms a step laid out so, and 4.8-5.0 ms tiled.
    mutating func packWeights(
        _ w: ValueID, _ g: ConvolutionShape, _ tiles: ChannelGroups, name: String, innermost: PackedChannels
    ) -> (kernel: Kernel, buffer: BufferID) {
        let packed = newBuffer("\(graph[w].name).packed", .float32, g.outChannels * g.taps)
        let outerCount =
            switch innermost {
            case .outputInnermost: g.inChannels
            case .inputInnermost: g.outChannels
            }
        var builder = KernelBuilder()
        builder.parallelLoop(outerCount) { builder, outer in
            tiles.forEach(&builder) { builder, tile in
                builder.loop(0..<g.kernel) { builder, ky in
                    builder.loop(0..<g.kernel) { builder, kx in
                        builder.loop(0..<(tile.vectors * tile.lanes)) { builder, j in
                            let (co, ci) =
                                switch innermost {
                                case .outputInnermost: (tile.first + j, outer)
                                case .inputInnermost: (outer, tile.first + j)
                                }
                            let value = element(w, Access(g.weightIndex(co, ci, ky, kx)), &builder)
                            let index = Self.packedWeightIndex(
                                tile, outer: outer, outerCount: outerCount, ky: ky, kx: kx, kernel: g.kernel)
                            builder.store(packed, index + j, value)
                        }
                    }
                }
            }
        }
        return (builder.kernel(name: name + "_w_pack", computes: [graph[w].name]), packed)
    }

    /// Locals holding lane `lane` of `tile`'s weight vectors for each kernel column of `columns` in kernel row `ky`
    /// of channel `outer`, from `packWeights`' buffer `packed`.
    static func loadPackedWeights(
        _ packed: BufferID, _ tile: ChannelGroups.Tile, lane: Expr, outer: Expr, outerCount: Int, ky: Int,
        columns: [Int], kernel: Int, _ builder: inout KernelBuilder
    ) -> [Int: [Expr]] {
        var weights: [Int: [Expr]] = [:]
        for kx in columns {
            let start = packedWeightIndex(
                tile, outer: outer, outerCount: outerCount, ky: .integer(ky), kx: .integer(kx), kernel: kernel)
            weights[kx] = (0..<tile.vectors).map { v in
                builder.local(.float32, .load(packed, index: start + .integer(v * tile.lanes) + lane))
            }
        }
        return weights
    }

    /// Where the weights of tap (`outer`, `ky`, `kx`) of `tile` start in `packWeights`' buffer (the tile's first
    /// channel; its others follow): the tile's block starts at `first · outerCount · kernel²`.
    static func packedWeightIndex(
        _ tile: ChannelGroups.Tile, outer: Expr, outerCount: Int, ky: Expr, kx: Expr, kernel: Int
    ) -> Expr {
        let tap = (outer * .integer(kernel) + ky) * .integer(kernel) + kx
        return tile.first * .integer(outerCount * kernel * kernel) + tap * .integer(tile.vectors * tile.lanes)
    }
}

import NetcGraph

extension Lowering {
    /// dw[co, ci, ky, kx] = Σ_n Σ_{oy, ox} dy[n, co, oy, ox] · x[n, ci, oy·s − p + ky, ox·s − p + kx], then the
    /// epilogue: a reduction over every output pixel of the batch (a matrix product in disguise), vectorised over
    /// output channels of dy copied channel-last (`[n][oy][ox][co]`).
    ///
    /// Register tiles hold `schedule.rows` kernel taps (the whole kernel, one kernel row, or one tap) ×
    /// `schedule.vectors` vectors of output channels; a 1×1 kernel's tile holds `schedule.rows` input channels
    /// instead, so each vector of dy loaded feeds that many sums. The kernel is parallel over (block of input
    /// channels, group of taps), each owning its sums. The pixel loops are split where the set of taps that read
    /// inside the image changes, so each part runs exactly the taps that read real pixels. Sums run over a few images
    /// at a time (`f32`), then add to a running total; a block's channels take each group of images in turn, so a dy
    /// too large for the cache is read from memory once per block (`weightGradientChannelBlock`) instead of once per
    /// input channel.
    ///
    /// That is direct summation; a kernel vectorised over pixels (few input channels) is lowered by
    /// `lowerPixelConvolutionWeightGradient` instead, and one whose schedule is Winograd's by
    /// `lowerWinogradWeightGradient`.
    mutating func lowerConvolutionWeightGradient(
        _ group: FusionGroup, _ attributes: ConvolutionAttributes, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let (x, dy) = (node.inputs[0], node.inputs[1])
        let input = graph.type(of: x).shape
        let g = ConvolutionShape(input: input, outChannels: graph.type(of: dy).shape[1], attributes)
        if Self.vectorisesOverPixels(g) { return lowerPixelConvolutionWeightGradient(group, g, name: name, &builder) }
        let schedule = schedules.schedule(
            for: KernelSignature(convolution: .weightGradient, input: input, outChannels: g.outChannels, attributes),
            on: target)
        switch schedule.algorithm {
        case .direct: break
        case .directAcrossImages: preconditionFailure("weight gradients are not tiled across images")
        case .winograd2x2, .winograd4x4: return lowerWinogradWeightGradient(group, g, schedule, name: name, &builder)
        }
        let channelCount = Expr.integer(g.outChannels)
        let (packing, gradients) = packGradientsChannelLast(dy, g, name: name)
        let offsets = g.kernel * g.kernel
        let total = newBuffer("\(node.name).accumulator", .float32, g.inChannels * offsets * g.outChannels)
        let imagesPerSum = max(1, min(g.batch, 256 / g.outputPlane))
        // The tile's taps: all of them, one kernel row, or one, as row-major offsets ky·K + kx.
        let tapGroups: [[Int]] =
            schedule.rows >= offsets
            ? [Array(0..<offsets)]
            : schedule.rows >= g.kernel
                ? (0..<g.kernel).map { ky in (0..<g.kernel).map { ky * g.kernel + $0 } } : (0..<offsets).map { [$0] }
        // Output rows (columns) by the kernel rows (columns) that read inside the image from them.
        let rowRuns = Runs(g.outHeight) { oy in
            (0..<g.kernel).filter { (0..<g.height).contains(oy * g.stride - g.padding + $0) }
        }
        let columnRuns = Runs(g.outWidth) { ox in
            (0..<g.kernel).filter { (0..<g.width).contains(ox * g.stride - g.padding + $0) }
        }
        let channels = ChannelGroups(channels: g.outChannels, lanes: schedule.lanes, vectors: schedule.vectors)
        let channelsPerTile = Self.weightGradientInputChannelsPerTile(g, schedule)
        /// A tile's rows: each of its input channels with each of the taps.
        func rows(_ ci: [Expr], _ taps: [Int]) -> [(ci: Expr, tap: Int)] { ci.flatMap { c in taps.map { (c, $0) } } }
        /// The output channels of `tile` as lanes, and the totals of each row for them.
        func lanes(
            _ rows: [(ci: Expr, tap: Int)], _ tile: ChannelGroups.Tile, _ builder: inout KernelBuilder,
            _ body: (inout KernelBuilder, _ co: [Expr], _ totals: [[Expr]]) -> Void
        ) {
            builder.vectorLoop(0..<tile.lanes, lanes: tile.lanes) { builder, lane in
                let co = (0..<tile.vectors).map { tile.first + .integer($0 * tile.lanes) + lane }
                let totals = rows.map { row in
                    co.map { (row.ci * .integer(offsets) + .integer(row.tap)) * channelCount + $0 }
                }
                body(&builder, co, totals)
            }
        }
        /// Adds images first..<first + count to the totals of taps `taps` of input channels `ci` for channels `tile`
        /// (sets them when `isFirst`).
        func accumulate(
            _ taps: [Int], _ ci: [Expr], _ tile: ChannelGroups.Tile, images first: Expr, count: Int, isFirst: Bool,
            _ builder: inout KernelBuilder
        ) {
            let tileRows = rows(ci, taps)
            lanes(tileRows, tile, &builder) { builder, co, totals in
                let sums = tileRows.map { _ in co.map { _ in builder.local(.float32, .f32(0)) } }
                builder.loop(0..<count) { builder, j in
                    let n = first + j
                    for rows in rowRuns.runs {
                        for columns in columnRuns.runs {
                            let reading = tileRows.indices.filter {
                                rows.key.contains(tileRows[$0].tap / g.kernel)
                                    && columns.key.contains(tileRows[$0].tap % g.kernel)
                            }
                            guard !reading.isEmpty else { continue }
                            builder.loop(rows.range) { builder, oy in
                                builder.loop(columns.range) { builder, ox in
                                    let pixel =
                                        ((n * .integer(g.outHeight) + oy) * .integer(g.outWidth) + ox) * channelCount
                                    let values = co.map { builder.local(.float32, .load(gradients, index: pixel + $0)) }
                                    for t in reading {
                                        let (ci, tap) = tileRows[t]
                                        let (ky, kx) = (tap / g.kernel, tap % g.kernel)
                                        let (iy, ix) = (
                                            g.inputPosition(oy, .integer(ky)), g.inputPosition(ox, .integer(kx))
                                        )
                                        let input = builder.local(
                                            .float32,
                                            element(x, Access(g.inputIndex(n, ci, iy, ix), channel: ci), &builder))
                                        for (sum, value) in zip(sums[t], values) {
                                            builder.assign(sum, .multiplyAdd(input, value, sum))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                for (row, sumRow) in zip(totals, sums) {
                    for (index, sum) in zip(row, sumRow) {
                        builder.store(total, index, isFirst ? sum : .binary(.add, .load(total, index: index), sum))
                    }
                }
            }
        }
        /// Writes the totals of taps `taps` of input channels `ci` for channels `tile` through the epilogue.
        func finish(_ taps: [Int], _ ci: [Expr], _ tile: ChannelGroups.Tile, _ builder: inout KernelBuilder) {
            let tileRows = rows(ci, taps)
            lanes(tileRows, tile, &builder) { builder, co, totals in
                for ((ci, tap), row) in zip(tileRows, totals) {
                    for (index, c) in zip(row, co) {
                        let access = Access(
                            (c * .integer(g.inChannels) + ci) * .integer(offsets) + .integer(tap), channel: ci)
                        storeResult(group, .load(total, index: index), access, &builder)
                    }
                }
            }
        }
        // A task sums a block of input channels image group by image group, so the group's dy is read from memory
        // once per block and then from cache; every total sees the same additions in the same order whatever the
        // block, so the gradient does not depend on it.
        let channelsPerTask = Self.weightGradientChannelBlock(
            inChannels: g.inChannels, tile: channelsPerTile,
            gradientBytes: g.batch * g.outputPlane * g.outChannels * 4, target: target)
        let (whole, rest) = g.batch.quotientAndRemainder(dividingBy: imagesPerSum)
        builder.parallelLoop(g.inChannels / channelsPerTask * tapGroups.count) { builder, task in
            let block = task / .integer(tapGroups.count)
            let which = task % .integer(tapGroups.count)
            /// Runs `body` for every tile of input channels of the block and tile of output channels.
            func eachChannel(
                _ builder: inout KernelBuilder, _ body: (inout KernelBuilder, [Expr], ChannelGroups.Tile) -> Void
            ) {
                builder.loop(0..<channelsPerTask / channelsPerTile) { builder, j in
                    let ci = (0..<channelsPerTile).map {
                        block * .integer(channelsPerTask) + j * .integer(channelsPerTile) + .integer($0)
                    }
                    channels.forEach(&builder) { builder, tile in body(&builder, ci, tile) }
                }
            }
            /// Sums every image into the block's totals of taps `taps`, group by group, then writes them.
            func sumAndFinish(_ taps: [Int], _ builder: inout KernelBuilder) {
                func images(_ first: Expr, count: Int, isFirst: Bool, _ builder: inout KernelBuilder) {
                    eachChannel(&builder) { builder, ci, tile in
                        accumulate(taps, ci, tile, images: first, count: count, isFirst: isFirst, &builder)
                    }
                }
                images(0, count: imagesPerSum, isFirst: true, &builder)
                if whole > 1 {
                    builder.loop(1..<whole) { builder, k in
                        images(k * .integer(imagesPerSum), count: imagesPerSum, isFirst: false, &builder)
                    }
                }
                if rest > 0 { images(.integer(whole * imagesPerSum), count: rest, isFirst: false, &builder) }
                eachChannel(&builder) { builder, ci, tile in finish(taps, ci, tile, &builder) }
            }
            for (index, taps) in tapGroups.enumerated() {
                if tapGroups.count == 1 {
                    sumAndFinish(taps, &builder)
                } else {
                    builder.when(.compare(.equal, which, .integer(index))) { builder in sumAndFinish(taps, &builder) }
                }
            }
        }
        return [packing]
    }

    /// A kernel copying the output gradient dy of `g` channel-last (`[n][oy][ox][co]`), and the copy's buffer.
    ///
    /// The copy takes a block of `lanes` channels × `lanes` pixels at a time: each channel's pixels are one vector
    /// load, and each pixel's channels one short store after the block is transposed in registers (`StoreRun`).
    mutating func packGradientsChannelLast(
        _ dy: ValueID, _ g: ConvolutionShape, name: String
    ) -> (kernel: Kernel, buffer: BufferID) {
        let channelCount = Expr.integer(g.outChannels)
        let gradients = newBuffer("\(graph[dy].name).channel_last", .float32, g.batch * g.outputPlane * g.outChannels)
        var transposing = KernelBuilder()
        let block = target.lanes()
        transposing.parallelLoop(g.batch) { builder, n in
            func copy(channels first: Expr, _ count: Int, _ builder: inout KernelBuilder) {
                planeLoop(g.outputPlane, &builder) { builder, p in
                    let values = (0..<count).map { r in
                        let co = first + .integer(r)
                        let access = Access((n * channelCount + co) * .integer(g.outputPlane) + p, channel: co)
                        return builder.local(.float32, element(dy, access, &builder))
                    }
                    for (r, value) in values.enumerated() {
                        builder.store(
                            gradients, (n * .integer(g.outputPlane) + p) * channelCount + first + .integer(r), value)
                    }
                }
            }
            let (blocks, rest) = g.outChannels.quotientAndRemainder(dividingBy: block)
            builder.loop(0..<blocks) { builder, b in copy(channels: b * .integer(block), block, &builder) }
            if rest > 0 { copy(channels: .integer(blocks * block), rest, &builder) }
        }
        return (transposing.kernel(name: name + "_dy_pack", computes: [graph[dy].name]), gradients)
    }

    /// Input channels per task of a weight-gradient kernel, a multiple of the `tile`'s: one tile when the
    /// channel-last copy of dy (`gradientBytes`) fits in half the second-level cache, as it then stays there from one
    /// tile to the next; else the largest divisor of `inChannels` that leaves at least four tasks to share among
    /// threads.
    static func weightGradientChannelBlock(
        inChannels: Int, tile: Int, gradientBytes: Int, target: TargetDescription
    ) -> Int {
        guard gradientBytes > target.cacheBytes.level2 / 2 else { return tile }
        return channelBlock(inChannels: inChannels, tile: tile, blocks: 4)
    }

    /// The largest multiple of `tile` dividing `inChannels` that leaves at least `blocks` blocks to share among
    /// threads (or one per tile, when there are fewer tiles).
    static func channelBlock(inChannels: Int, tile: Int, blocks: Int) -> Int {
        let tiles = inChannels / tile
        return tile * ((1...tiles).last { tiles % $0 == 0 && tiles / $0 >= min(blocks, tiles) } ?? 1)
    }

    /// The input channels of a weight-gradient tile: `schedule.rows` for a 1×1 kernel (whose candidates divide the
    /// input channels), else one.
    static func weightGradientInputChannelsPerTile(_ g: ConvolutionShape, _ schedule: Schedule) -> Int {
        g.kernel == 1 && g.inChannels % schedule.rows == 0 ? schedule.rows : 1
    }
}

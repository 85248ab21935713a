import NetcGraph

/// The weight gradient of a 3×3 convolution at stride 1 by Winograd's minimal filtering (`WinogradTile`), the
/// transpose of the forward pass's Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A: each tile of output gradients D (m×m) and its α×α
/// tile of input d add (A D Aᵀ) ⊙ (Bᵀ d B) to the gradient of the transformed weights, and the kernel's gradient is
/// Gᵀ M G of their sum M. α² products per pair of channels and tile, where direct summation takes 9m².
///
/// The sums M[ci][ξ][co] are α² matrix products over every tile of the batch, each owned by one task of a block of
/// input channels (the parallel loop), so they see the same additions in the same order on any number of threads and
/// whatever the block. A task takes the batch a chunk at a time (rows of tiles of one image, or whole images): it
/// copies its channels' planes split modulo m (`WinogradGeometry`) and transforms their tiles into V[ξ][ci][tile]
/// (vectors over tiles), transforms the chunk's output gradients, read channel-last, into D'[ξ][tile][co] (vectors
/// over output channels), then sums the chunk in register tiles of `schedule.rows` input channels ×
/// `schedule.vectors` vectors of output channels (a broadcast of V and a vector of D' per step) and adds the chunk's
/// sums to M. Every task transforms all of the output gradients, so the blocks are as large as leave two of them:
/// the ResNet example's gradients of 32 channels at 28×28 and 64 at 14×14 took 10.0-10.4 → 8.7-9.1 ms and 6.6-6.8 →
/// 5.2-5.3 ms with two blocks instead of four (Zen 3, `netc tune --verbose`). More threads than blocks stay idle, and
/// `netc tune` then measures whether direct summation, which shares the channels more finely, is faster.
///
/// The transforms add and scale before multiplying, so the gradient agrees with direct summation's to rounding, not
/// bit for bit; `netc tune` chooses this algorithm only where it measures it faster.
extension Lowering {
    /// The most tiles a chunk takes: the sums' loads and stores at the end of a chunk are a negligible part of a
    /// chunk this long.
    static let winogradChunkTiles = 256

    /// dw[co, ci, ky, kx] = Σ_n Σ_{oy, ox} dy[n, co, oy, ox] · x[n, ci, oy − p + ky, ox − p + kx] of `g` by the
    /// Winograd algorithm of `schedule`, then the epilogue; returns the kernel copying dy channel-last.
    mutating func lowerWinogradWeightGradient(
        _ group: FusionGroup, _ g: ConvolutionShape, _ schedule: Schedule, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let x = node.inputs[0]
        guard let winograd = WinogradTile(schedule.algorithm) else {
            preconditionFailure("\(schedule) is not Winograd's")
        }
        precondition(g.inChannels % schedule.rows == 0, "a register tile's input channels divide the channels")
        let geometry = WinogradGeometry(g, winograd, lanes: schedule.lanes)
        let (lanes, m, transforms, tiles) = (
            schedule.lanes, winograd.outputs, winograd.inputs * winograd.inputs, geometry.tiles
        )
        let (packing, gradients) = packGradientsChannelLast(node.inputs[1], g, name: name)
        let block = Self.channelBlock(inChannels: g.inChannels, tile: schedule.rows, blocks: 2)
        let tasks = g.inChannels / block
        // A chunk is `chunkRows` rows of tiles of one image, or every row of `chunkImages` images when an image has
        // fewer tiles than a chunk takes; its tile rows are its slots, as many as fit the second-level cache with
        // their transformed inputs and output gradients. On the Zen 3 (512 KiB), filling half of it instead made the
        // ResNet example's gradients of 128 channels on 7×7 and 64 on 14×14 slower, 7.3 → 8.2-8.4 ms and 5.3-5.5 →
        // 6.4 ms (chunks of one image against two, and of four rows of tiles against a whole image), and that of 32
        // channels on 28×28 no faster (6.3-6.5 against 6.4-6.6 ms; two interleaved rounds of `netc tune --only dw
        // --verbose`).
        let slotBytes = transforms * (block * geometry.rowPositions + tiles.columns * g.outChannels) * 4
        let slotLimit = max(
            1, min(Self.winogradChunkTiles / tiles.columns, target.cacheBytes.level2 / slotBytes))
        let (chunkImages, chunkRows) =
            slotLimit < tiles.rows
            ? (1, ScheduleSpace.balanced(tiles.rows, slotLimit))
            : (max(1, min(g.batch, slotLimit / tiles.rows)), tiles.rows)
        let slots = chunkImages * chunkRows
        let copySize = geometry.copySize(channels: block, lanes: lanes)
        let copies = newBuffer("\(node.name).winograd_planes", .float32, tasks * chunkImages * copySize)
        // V[ξ][ci][slot · rowPositions + tx] and D'[ξ][slot][tx][co] of a task's chunk.
        let chunkPositions = slots * geometry.rowPositions
        let inputs = newBuffer("\(node.name).winograd_inputs", .float32, tasks * transforms * block * chunkPositions)
        let transformed = newBuffer(
            "\(node.name).winograd_gradients", .float32, tasks * transforms * slots * tiles.columns * g.outChannels)
        let totals = newBuffer("\(node.name).winograd_totals", .float32, g.inChannels * transforms * g.outChannels)
        let channels = ChannelGroups(channels: g.outChannels, lanes: lanes, vectors: schedule.vectors)
        let outChannels = Expr.integer(g.outChannels)

        /// M[ci][ξ][co].
        func total(_ ci: Expr, _ e: Expr, _ co: Expr) -> Expr { (ci * .integer(transforms) + e) * outChannels + co }
        /// Where D'[ξ][slot][tx][co] of `task`'s chunk lies.
        func gradientIndex(_ task: Expr, _ e: Expr, _ slot: Expr, _ tx: Expr, _ co: Expr) -> Expr {
            (((task * .integer(transforms) + e) * .integer(slots) + slot) * .integer(tiles.columns) + tx) * outChannels
                + co
        }
        /// Where V[ξ][c][slot · rowPositions + position] of `task`'s chunk lies, c of the task's channels.
        func inputIndex(_ task: Expr, _ e: Expr, _ c: Expr, _ slot: Expr, _ position: Expr) -> Expr {
            ((task * .integer(transforms) + e) * .integer(block) + c) * .integer(chunkPositions) + slot
                * .integer(geometry.rowPositions) + position
        }
        /// Where region `j` of `task`'s plane copies starts.
        func copyStart(_ task: Expr, _ j: Expr) -> Expr { (task * .integer(chunkImages) + j) * .integer(copySize) }

        /// D' of the tiles of row `ty` of image `n` into `slot`: their first `outputRows` rows of output gradients lie
        /// inside the result, and the rest, like the columns past the result's last, are zeros.
        func transformGradients(
            _ task: Expr, _ n: Expr, _ ty: Expr, slot: Expr, outputRows: Int, _ builder: inout KernelBuilder
        ) {
            func tile(_ tx: Expr, columns: Int, _ builder: inout KernelBuilder) {
                planeLoop(g.outChannels, &builder) { builder, co in
                    let d = (0..<m * m).map { k -> Expr in
                        let (i, j) = (k / m, k % m)
                        guard i < outputRows && j < columns else { return .f32(0) }
                        let (oy, ox) = (ty * .integer(m) + .integer(i), tx * .integer(m) + .integer(j))
                        let pixel = (n * .integer(g.outHeight) + oy) * .integer(g.outWidth) + ox
                        return builder.local(.float32, .load(gradients, index: pixel * outChannels + co))
                    }
                    for (e, value) in winograd.transformGradient(d, &builder).enumerated() {
                        builder.store(transformed, gradientIndex(task, .integer(e), slot, tx, co), value)
                    }
                }
            }
            let whole = g.outWidth / m
            if whole > 0 { builder.loop(0..<whole) { builder, tx in tile(tx, columns: m, &builder) } }
            if g.outWidth % m > 0 { tile(.integer(whole), columns: g.outWidth % m, &builder) }
        }

        /// Copies the task's channels of image `n` into region `j` of its plane copies.
        func copyImage(_ task: Expr, _ n: Expr, region j: Expr, _ builder: inout KernelBuilder) {
            let start = copyStart(task, j)
            planeLoop(copySize, &builder) { builder, i in builder.store(copies, start + i, .f32(0)) }
            builder.loop(0..<block) { builder, c in
                copyInput(
                    x, geometry.split, phase: geometry.phase, image: n, channel: task * .integer(block) + c,
                    into: copies, at: start + c * .integer(geometry.planeSize), &builder)
            }
        }

        /// V and D' of tile rows first..<first + rows of image `n` (copied in region `j`) into slots from `slot`; the
        /// last of the rows has `lastRowOutputs` rows of output gradients, the others m.
        func transformRows(
            _ task: Expr, _ n: Expr, region j: Expr, slot: Expr, first: Expr, rows: Int, lastRowOutputs: Int,
            _ builder: inout KernelBuilder
        ) {
            builder.loop(0..<rows) { builder, r in
                builder.loop(0..<block) { builder, c in
                    transformWinogradInputRow(
                        geometry, copies: copies, plane: copyStart(task, j) + c * .integer(geometry.planeSize),
                        row: first + r, lanes: lanes, into: inputs,
                        { e, position in inputIndex(task, .integer(e), c, slot + r, position) }, &builder)
                }
            }
            let full = lastRowOutputs == m ? rows : rows - 1
            builder.loop(0..<full) { builder, r in
                transformGradients(task, n, first + r, slot: slot + r, outputRows: m, &builder)
            }
            if full < rows {
                let r = Expr.integer(full)
                transformGradients(task, n, first + r, slot: slot + r, outputRows: lastRowOutputs, &builder)
            }
        }

        /// Adds the products of the chunk's first `count` slots to the totals of the task's channels.
        func multiply(_ task: Expr, slots count: Int, _ builder: inout KernelBuilder) {
            builder.loop(0..<transforms) { builder, e in
                builder.loop(0..<block / schedule.rows) { builder, ciTile in
                    let local = (0..<schedule.rows).map { ciTile * .integer(schedule.rows) + .integer($0) }
                    channels.forEach(&builder) { builder, tile in
                        builder.vectorLoop(0..<tile.lanes, lanes: tile.lanes) { builder, lane in
                            let co = (0..<tile.vectors).map { tile.first + .integer($0 * tile.lanes) + lane }
                            let sums = local.map { _ in co.map { _ in builder.local(.float32, .f32(0)) } }
                            builder.loop(0..<count) { builder, slot in
                                builder.loop(0..<tiles.columns) { builder, tx in
                                    let d = co.map {
                                        builder.local(
                                            .float32, .load(transformed, index: gradientIndex(task, e, slot, tx, $0)))
                                    }
                                    for (c, channelSums) in zip(local, sums) {
                                        let v = builder.local(
                                            .float32, .load(inputs, index: inputIndex(task, e, c, slot, tx)))
                                        for (sum, gradient) in zip(channelSums, d) {
                                            builder.assign(sum, .multiplyAdd(v, gradient, sum))
                                        }
                                    }
                                }
                            }
                            for (c, channelSums) in zip(local, sums) {
                                for (sum, channel) in zip(channelSums, co) {
                                    let index = total(task * .integer(block) + c, e, channel)
                                    builder.store(totals, index, .load(totals, index: index) + sum)
                                }
                            }
                        }
                    }
                }
            }
        }

        let lastRowOutputs = g.outHeight % m == 0 ? m : g.outHeight % m
        builder.parallelLoop(tasks) { builder, task in
            builder.loop(0..<block) { builder, c in
                planeLoop(transforms * g.outChannels, &builder) { builder, k in
                    builder.store(totals, total(task * .integer(block) + c, 0, k), .f32(0))
                }
            }
            if chunkRows < tiles.rows {
                // Each image in turn: whole chunks of tile rows with m rows of output gradients each, the rows left,
                // then a last row of tiles cut short.
                builder.loop(0..<g.batch) { builder, n in
                    copyImage(task, n, region: 0, &builder)
                    let fullRows = g.outHeight / m
                    let (wholeChunks, rest) = fullRows.quotientAndRemainder(dividingBy: chunkRows)
                    func rows(_ first: Expr, _ count: Int, lastRowOutputs: Int, _ builder: inout KernelBuilder) {
                        transformRows(
                            task, n, region: 0, slot: 0, first: first, rows: count, lastRowOutputs: lastRowOutputs,
                            &builder)
                        multiply(task, slots: count, &builder)
                    }
                    builder.loop(0..<wholeChunks) { builder, k in
                        rows(k * .integer(chunkRows), chunkRows, lastRowOutputs: m, &builder)
                    }
                    if rest > 0 { rows(.integer(wholeChunks * chunkRows), rest, lastRowOutputs: m, &builder) }
                    if lastRowOutputs < m { rows(.integer(fullRows), 1, lastRowOutputs: lastRowOutputs, &builder) }
                }
            } else {
                // `chunkImages` whole images at a time.
                Self.blocks(of: g.batch, by: chunkImages, &builder) { builder, first, count in
                    builder.loop(0..<count) { builder, j in
                        copyImage(task, first + j, region: j, &builder)
                        transformRows(
                            task, first + j, region: j, slot: j * .integer(tiles.rows), first: 0, rows: tiles.rows,
                            lastRowOutputs: lastRowOutputs, &builder)
                    }
                    multiply(task, slots: count * tiles.rows, &builder)
                }
            }
            builder.loop(0..<block) { builder, c in
                let ci = task * .integer(block) + c
                planeLoop(g.outChannels, &builder) { builder, co in
                    let sums = (0..<transforms).map {
                        builder.local(.float32, .load(totals, index: total(ci, .integer($0), co)))
                    }
                    for (tap, value) in winograd.transformWeightGradient(sums, &builder).enumerated() {
                        let access = Access((co * .integer(g.inChannels) + ci) * 9 + .integer(tap), channel: ci)
                        storeResult(group, value, access, &builder)
                    }
                }
            }
        }
        return [packing]
    }
}

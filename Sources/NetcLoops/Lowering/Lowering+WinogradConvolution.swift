import NetcGraph

/// 3×3 convolutions at stride 1 by Winograd's minimal filtering F(m×m, 3×3) (`WinogradTile`, m = 2 or 4): each m×m
/// tile of output pixels comes from an α×α tile d of input (α = m + 2), transformed (V = Bᵀ d B), multiplied element
/// by element with the transformed weights (U = G g Gᵀ) and summed over the input channels — α² products per pair of
/// channels where direct convolution takes 9m² — then transformed back (Y = Aᵀ M A).
///
/// Per image (the parallel loop): each input channel's plane is copied into zero-bordered planes split by the rows'
/// and columns' remainders modulo m (`copyInput` at stride m), where the α² inputs of tile (ty, tx) lie at fixed
/// distances from position ty · pitch + tx. Then a step of rows of tiles at a time (`WinogradGeometry.stepRows`): a
/// vector loop over each row's positions transforms its tiles of every channel into V[ξ][ci][tile] (a step holds a
/// few rows at most, where the tiles of a whole image went through the second-level cache: the ResNet example's
/// kernels 122 → 113 ms per step under F(2×2, 3×3) schedules), the α² sums over input channels M[ξ][tile][co] are
/// matrix products whose register tile holds `schedule.rows` of the step's tiles × `schedule.vectors` vectors of
/// output channels (a vector of U and a broadcast V per step), and the output transform writes each row's pixels
/// through the epilogue.
///
/// The transforms add and scale before multiplying, so the results agree with direct convolution's to rounding, not
/// bit for bit (F(4×4, 3×3)'s several times less closely: `ScheduleSpace.strictAlgorithms`); `netc tune` chooses
/// this algorithm only where it measures it faster.
extension Lowering {
    /// The kernels a Winograd convolution computes: the forward pass, or the input gradient, which is the convolution
    /// of the output gradient with the kernels turned by 180° and their channels swapped.
    enum WinogradPass {
        /// y[n, co, oy, ox] = b[co] + Σ_{ci, ky, kx} x[n, ci, oy − p + ky, ox − p + kx] · w[co, ci, ky, kx].
        case forward(bias: ValueID?)
        /// dx[n, ci, iy, ix] = Σ_{co, ky, kx} dy[n, co, iy − (2 − p) + ky, ix − (2 − p) + kx]
        /// · w[co, ci, 2 − ky, 2 − kx].
        case inputGradient
    }

    /// `pass` of a 3×3, stride-1 convolution `attributes` by the Winograd algorithm of `schedule`, then the epilogue;
    /// returns the kernel transforming the weights. The group's root reads the convolution's input (x or dy), then w.
    mutating func lowerWinogradConvolution(
        _ group: FusionGroup, _ pass: WinogradPass, _ attributes: ConvolutionAttributes, _ schedule: Schedule,
        name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let (x, w) = (node.inputs[0], node.inputs[1])
        let (weightsShape, bias) = (graph.type(of: w).shape, pass.bias)
        // The convolution this kernel computes, as a forward pass from x to the group's result.
        let g: ConvolutionShape
        switch pass {
        case .forward:
            g = ConvolutionShape(input: graph.type(of: x).shape, outChannels: weightsShape[0], attributes)
        case .inputGradient:
            g = ConvolutionShape(
                input: graph.type(of: x).shape, outChannels: weightsShape[1],
                ConvolutionAttributes(kernel: 3, padding: 2 - attributes.padding))
        }
        guard let winograd = WinogradTile(schedule.algorithm) else {
            preconditionFailure("\(schedule) is not Winograd's")
        }
        let geometry = WinogradGeometry(g, winograd, lanes: schedule.lanes)
        let (lanes, m, alpha, tiles) = (schedule.lanes, winograd.outputs, winograd.inputs, geometry.tiles)
        let (rowPositions, planeSize) = (geometry.rowPositions, geometry.planeSize)
        let copySize = geometry.copySize(channels: g.inChannels, lanes: lanes)
        let copies = newBuffer("\(node.name).winograd_planes", .float32, g.batch * copySize)
        // V[ξ][ci][tile] and M[ξ][tile][co] of the step's tiles, per image; the tiles of a step's rows follow one
        // another, row r's from r · columns (each row's transform writes whole vectors of positions, the next row
        // overwriting those past the row's end).
        let (stepRows, stepTiles) = (geometry.stepRows, geometry.stepRows * tiles.columns)
        let run = stepTiles + rowPositions - tiles.columns
        let imageInputs = alpha * alpha * g.inChannels * run
        let inputs = newBuffer("\(node.name).winograd_inputs", .float32, g.batch * imageInputs)
        let imageProducts = alpha * alpha * stepTiles * g.outChannels
        let products = newBuffer("\(node.name).winograd_products", .float32, g.batch * imageProducts)
        let statistics = epilogueStatistics(for: group, parts: g.batch, channels: g.outChannels)
        let channels = ChannelGroups(channels: g.outChannels, lanes: lanes, vectors: schedule.vectors)
        let weights = transformWinogradWeights(w, g, pass, winograd, channels, name: name)

        /// Where V[ξ][ci] of the step's tile `tile` of image `n` lies in `inputs`.
        func inputIndex(_ n: Expr, _ e: Expr, _ ci: Expr, tile: Expr) -> Expr {
            n * .integer(imageInputs) + (e * .integer(g.inChannels) + ci) * .integer(run) + tile
        }
        /// Where M[ξ][co] of the step's tile `tile` of image `n` lies in `products`.
        func productIndex(_ n: Expr, _ e: Expr, tile: Expr, _ co: Expr) -> Expr {
            n * .integer(imageProducts) + (e * .integer(stepTiles) + tile) * .integer(g.outChannels) + co
        }

        /// M[ξ][tile][co] of the step's first `count` tiles of image `n`: for each ξ and register tile of output
        /// channels, every tile of the step, `schedule.rows` at a time (across its rows of tiles), so that the
        /// register tile's transformed weights stay in the first-level cache.
        func multiply(_ n: Expr, tiles count: Int, _ builder: inout KernelBuilder) {
            builder.loop(0..<alpha * alpha) { builder, e in
                channels.forEach(&builder) { builder, tile in
                    Self.blocks(of: count, by: min(schedule.rows, count), &builder) { builder, first, count in
                        builder.vectorLoop(0..<tile.lanes, lanes: tile.lanes) { builder, lane in
                            let co = (0..<tile.vectors).map { tile.first + .integer($0 * tile.lanes) + lane }
                            let sums = (0..<count).map { _ in co.map { _ in builder.local(.float32, .f32(0)) } }
                            builder.loop(0..<g.inChannels) { builder, ci in
                                let start = Self.transformedWeightIndex(e, ci, tile, g)
                                let u = (0..<tile.vectors).map { v in
                                    builder.local(
                                        .float32, .load(weights.buffer, index: start + .integer(v * tile.lanes) + lane))
                                }
                                let firstInput = inputIndex(n, e, ci, tile: first)
                                for (t, tileSums) in sums.enumerated() {
                                    let v = builder.local(.float32, .load(inputs, index: firstInput + .integer(t)))
                                    for (sum, factor) in zip(tileSums, u) {
                                        builder.assign(sum, .multiplyAdd(v, factor, sum))
                                    }
                                }
                            }
                            for (t, tileSums) in sums.enumerated() {
                                for (sum, c) in zip(tileSums, co) {
                                    builder.store(products, productIndex(n, e, tile: first + .integer(t), c), sum)
                                }
                            }
                        }
                    }
                }
            }
        }

        /// The pixels of tile row `ty` (the step's row `r`) of image `n` from its M: `outputRows` (1 to m) rows,
        /// tiles first..<first + count whose last tile has `lastColumns` (1 to m) columns.
        func transformBack(
            _ n: Expr, _ ty: Expr, _ r: Expr, outputRows: Int, tiles first: Expr, _ count: Int, lastColumns: Int,
            _ builder: inout KernelBuilder
        ) {
            channels.forEach(&builder) { builder, tile in
                builder.vectorLoop(0..<tile.lanes, lanes: tile.lanes) { builder, lane in
                    for v in 0..<tile.vectors {
                        let c = tile.first + .integer(v * tile.lanes) + lane
                        let initial = bias.map { builder.local(.float32, element($0, Access(c), &builder)) }
                        var stored: [Expr] = []
                        for t in 0..<count {
                            let sums = (0..<alpha * alpha).map { e in
                                let index = productIndex(
                                    n, .integer(e), tile: r * .integer(tiles.columns) + first + .integer(t), c)
                                return builder.local(.float32, .load(products, index: index))
                            }
                            let y = winograd.transformOutput(sums, &builder)
                            for i in 0..<outputRows {
                                for j in 0..<(t == count - 1 ? lastColumns : m) {
                                    let value = initial.map { y[m * i + j] + $0 } ?? y[m * i + j]
                                    let (oy, ox) = (
                                        ty * .integer(m) + .integer(i),
                                        (first + .integer(t)) * .integer(m) + .integer(j)
                                    )
                                    let access = Access(g.outputIndex(n, c, oy, ox), channel: c)
                                    stored.append(storeResult(group, value, access, &builder))
                                }
                            }
                        }
                        statistics?.add(stored, part: n, channel: c, &builder)
                    }
                }
            }
        }

        /// Tile row `ty` (the step's row `r`) of image `n`, with `outputRows` rows of pixels, from its M.
        func transformBackRow(_ n: Expr, _ ty: Expr, _ r: Expr, outputRows: Int, _ builder: inout KernelBuilder) {
            let whole = g.outWidth / m
            let perStep = min(8 / m, max(whole, 1))
            if whole > 0 {
                Self.blocks(of: whole, by: perStep, &builder) { builder, first, count in
                    transformBack(n, ty, r, outputRows: outputRows, tiles: first, count, lastColumns: m, &builder)
                }
            }
            if g.outWidth % m > 0 {
                transformBack(
                    n, ty, r, outputRows: outputRows, tiles: .integer(whole), 1, lastColumns: g.outWidth % m,
                    &builder)
            }
        }

        /// Rows first..<first + count of tiles of image `n`, the last with `lastRows` (1 to m) rows of pixels.
        func step(_ n: Expr, rows first: Expr, _ count: Int, lastRows: Int, _ builder: inout KernelBuilder) {
            let copy = n * .integer(copySize)
            builder.loop(0..<count) { builder, r in
                builder.loop(0..<g.inChannels) { builder, ci in
                    transformWinogradInputRow(
                        geometry, copies: copies, plane: copy + ci * .integer(planeSize), row: first + r,
                        lanes: lanes, into: inputs,
                        { e, position in inputIndex(n, .integer(e), ci, tile: r * .integer(tiles.columns) + position) },
                        &builder)
                }
            }
            multiply(n, tiles: count * tiles.columns, &builder)
            let whole = lastRows == m ? count : count - 1
            if whole > 0 {
                builder.loop(0..<whole) { builder, r in transformBackRow(n, first + r, r, outputRows: m, &builder) }
            }
            if whole < count {
                let r = Expr.integer(count - 1)
                transformBackRow(n, first + r, r, outputRows: lastRows, &builder)
            }
        }

        builder.parallelLoop(g.batch) { builder, n in
            statistics?.clear(part: n, &builder)
            let copy = n * .integer(copySize)
            planeLoop(copySize, &builder) { builder, i in builder.store(copies, copy + i, .f32(0)) }
            builder.loop(0..<g.inChannels) { builder, ci in
                copyInput(
                    x, geometry.split, phase: geometry.phase, image: n, channel: ci, into: copies,
                    at: copy + ci * .integer(planeSize), &builder)
            }
            // Every step takes `stepRows` rows but the last, which takes the rest; only the last row of tiles may
            // have fewer than m rows of pixels.
            let (steps, rest) = tiles.rows.quotientAndRemainder(dividingBy: stepRows)
            let lastRows = g.outHeight % m == 0 ? m : g.outHeight % m
            let loopedSteps = rest == 0 && lastRows < m ? steps - 1 : steps
            if loopedSteps > 0 {
                builder.loop(0..<loopedSteps) { builder, s in
                    step(n, rows: s * .integer(stepRows), stepRows, lastRows: m, &builder)
                }
            }
            if loopedSteps < steps || rest > 0 {
                let count = rest > 0 ? rest : stepRows
                step(n, rows: .integer(loopedSteps * stepRows), count, lastRows: lastRows, &builder)
            }
        }
        return [weights.kernel]
    }

    /// A kernel computing U[ξ][ci][co] = (G g Gᵀ)[ξ] of `tile` for every 3×3 kernel g of `g`'s input channel ci and
    /// output channel co (w[co, ci], or w[ci, co] turned by 180° for the input gradient), and its buffer, laid out by
    /// register tile of `channels` (`transformedWeightIndex`); parallel over input channels.
    private mutating func transformWinogradWeights(
        _ w: ValueID, _ g: ConvolutionShape, _ pass: WinogradPass, _ tile: WinogradTile, _ channels: ChannelGroups,
        name: String
    ) -> (kernel: Kernel, buffer: BufferID) {
        let count = tile.inputs * tile.inputs
        let transformed = newBuffer("\(graph[w].name).winograd", .float32, count * g.inChannels * g.outChannels)
        var builder = KernelBuilder()
        builder.parallelLoop(g.inChannels) { builder, ci in
            channels.forEach(&builder) { builder, channelTile in
                builder.loop(0..<(channelTile.vectors * channelTile.lanes)) { builder, j in
                    let co = channelTile.first + j
                    let taps = (0..<9).map { tap in
                        let index: Expr
                        switch pass {
                        case .forward: index = g.weightIndex(co, ci, .integer(tap / 3), .integer(tap % 3))
                        case .inputGradient:
                            index =
                                ((ci * .integer(g.outChannels) + co) * 3 + .integer(2 - tap / 3)) * 3
                                + .integer(2 - tap % 3)
                        }
                        return builder.local(.float32, element(w, Access(index), &builder))
                    }
                    for (e, value) in tile.transformWeights(taps, &builder).enumerated() {
                        builder.store(
                            transformed, Self.transformedWeightIndex(.integer(e), ci, channelTile, g) + j, value)
                    }
                }
            }
        }
        return (builder.kernel(name: name + "_w_winograd", computes: [graph[w].name]), transformed)
    }

    /// Where U[ξ][ci] of the register tile of output channels `tile` starts (its first channel; the others follow):
    /// each ξ holds a block per tile, `[ci][channel of the tile]`, so that a tile's weights are one contiguous run
    /// rather than vectors a row of every channel apart (`packWeights`). On the Zen 3, the ResNet's 128-channel 7×7
    /// convolutions took (medians of 5 interleaved rounds of `netc tune --only`) 8.0 → 7.7 ms forward and 7.9 → 6.8
    /// ms for the input gradient; with 32 channels, a row is 128 bytes and it made no difference.
    static func transformedWeightIndex(_ e: Expr, _ ci: Expr, _ tile: ChannelGroups.Tile, _ g: ConvolutionShape) -> Expr
    {
        e * .integer(g.inChannels * g.outChannels) + tile.first * .integer(g.inChannels)
            + ci * .integer(tile.vectors * tile.lanes)
    }
}

extension Lowering.WinogradPass {
    /// The forward pass's bias, nil for the input gradient.
    var bias: ValueID? {
        switch self {
        case .forward(let bias): bias
        case .inputGradient: nil
        }
    }
}

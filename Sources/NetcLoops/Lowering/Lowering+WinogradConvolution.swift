import NetcGraph

/// 3×3 convolutions at stride 1 by Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, "Fast Algorithms for
/// Convolutional Neural Networks", 2016): each 2×2 tile of output pixels comes from a 4×4 tile d of input, transformed
/// (V = Bᵀ d B), multiplied element by element with the transformed weights (U = G g Gᵀ) and summed over the input
/// channels — 16 products per pair of channels where direct convolution takes 36 — then transformed back (Y = Aᵀ M A).
///
/// Per image (the parallel loop): each input channel's plane is copied into zero-bordered planes split by the parity
/// of rows and columns (`copyInput` at stride 2), where the 16 inputs of tile (ty, tx) lie at fixed distances from
/// position ty · pitch + tx. Then one row of tiles at a time: a vector loop over the row's positions transforms its
/// tiles of every channel into V[ξ][ci][tx] (a row's worth stays in the first-level cache, where a whole image's
/// went through the second: the ResNet example's kernels 122 → 113 ms per step under Winograd schedules), the 16
/// sums over input channels M[ξ][tx][co] are matrix products whose register tile holds `schedule.rows` tiles ×
/// `schedule.vectors` vectors of output channels (a vector of U and a broadcast V per step), and the output
/// transform writes the row's pixels through the epilogue.
///
/// The transforms add and halve before multiplying, so the results agree with direct convolution's to rounding, not
/// bit for bit; `netc tune` chooses this algorithm only where it measures it faster.
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

    /// `pass` of a 3×3, stride-1 convolution `attributes` by F(2×2, 3×3), then the epilogue; returns the kernel
    /// transforming the weights. The group's root reads the convolution's input (x or dy) and then w.
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
        precondition(g.kernel == 3 && g.stride == 1 && g.padding >= 0, "F(2×2, 3×3) takes 3×3 kernels at stride 1")
        let lanes = schedule.lanes
        let tiles = (rows: (g.outHeight + 1) / 2, columns: (g.outWidth + 1) / 2)
        // The input's planes split by parity: `copyInput` lays them out as a stride-2 convolution reads them, with
        // (tiles.rows + 1) rows of (tiles.columns + 1) positions each.
        let parity = ConvolutionShape(
            input: [g.batch, g.inChannels, g.height, g.width], outChannels: g.outChannels,
            ConvolutionAttributes(kernel: 4, stride: 2, padding: g.padding))
        let phase = PaddedPlane.phaseShape(parity)
        // A row of tiles takes `rowPositions` positions (whole vectors; those past the row are computed, not used).
        let rowPositions = (phase.pitch + lanes - 1) / lanes * lanes
        let planeSize = 4 * phase.rows * phase.pitch
        let copySize = g.inChannels * planeSize + rowPositions + lanes
        // Input (i, j) of a tile, i and j in 0..<4, at distance offsets[4·i + j] from its position.
        let offsets = (0..<16).map { e in
            let (i, j) = (e / 4, e % 4)
            return ((i % 2) * 2 + j % 2) * phase.rows * phase.pitch + i / 2 * phase.pitch + j / 2
        }
        let weights = transformWinogradWeights(w, g, pass, name: name)
        let copies = newBuffer("\(node.name).winograd_planes", .float32, g.batch * copySize)
        let imageInputs = 16 * g.inChannels * rowPositions
        let inputs = newBuffer("\(node.name).winograd_inputs", .float32, g.batch * imageInputs)
        let rowProducts = 16 * tiles.columns * g.outChannels
        let products = newBuffer("\(node.name).winograd_products", .float32, g.batch * rowProducts)
        let statistics = epilogueStatistics(for: group, parts: g.batch, channels: g.outChannels)
        let channels = ChannelGroups(channels: g.outChannels, lanes: lanes, vectors: schedule.vectors)

        /// M[ξ][tx][co] of tile row `ty` of image `n`, at `row` of `products`.
        func multiply(_ n: Expr, _ ty: Expr, row: Expr, _ builder: inout KernelBuilder) {
            builder.loop(0..<16) { builder, e in
                Self.blocks(of: tiles.columns, by: min(schedule.rows, tiles.columns), &builder) { builder, tx, count in
                    channels.forEach(&builder) { builder, tile in
                        builder.vectorLoop(0..<tile.lanes, lanes: tile.lanes) { builder, lane in
                            let co = (0..<tile.vectors).map { tile.first + .integer($0 * tile.lanes) + lane }
                            let sums = (0..<count).map { _ in co.map { _ in builder.local(.float32, .f32(0)) } }
                            builder.loop(0..<g.inChannels) { builder, ci in
                                let u = co.map { c in
                                    builder.local(
                                        .float32,
                                        .load(
                                            weights.buffer,
                                            index: (e * .integer(g.inChannels) + ci) * .integer(g.outChannels) + c))
                                }
                                let first =
                                    n * .integer(imageInputs) + (e * .integer(g.inChannels) + ci)
                                    * .integer(rowPositions) + tx
                                for (t, tileSums) in sums.enumerated() {
                                    let v = builder.local(.float32, .load(inputs, index: first + .integer(t)))
                                    for (sum, factor) in zip(tileSums, u) {
                                        builder.assign(sum, .multiplyAdd(v, factor, sum))
                                    }
                                }
                            }
                            for (t, tileSums) in sums.enumerated() {
                                for (sum, c) in zip(tileSums, co) {
                                    let slot =
                                        row + (e * .integer(tiles.columns) + tx + .integer(t)) * .integer(g.outChannels)
                                        + c
                                    builder.store(products, slot, sum)
                                }
                            }
                        }
                    }
                }
            }
        }

        /// The pixels of tile row `ty` of image `n` from its M at `row` of `products`: `outputRows` (1 or 2) rows,
        /// tiles first..<first + count whose last tile has `lastColumns` (1 or 2) columns.
        func transformBack(
            _ n: Expr, _ ty: Expr, row: Expr, outputRows: Int, tiles first: Expr, _ count: Int, lastColumns: Int,
            _ builder: inout KernelBuilder
        ) {
            channels.forEach(&builder) { builder, tile in
                builder.vectorLoop(0..<tile.lanes, lanes: tile.lanes) { builder, lane in
                    for v in 0..<tile.vectors {
                        let c = tile.first + .integer(v * tile.lanes) + lane
                        let initial = bias.map { builder.local(.float32, element($0, Access(c), &builder)) }
                        var stored: [Expr] = []
                        for t in 0..<count {
                            let m = (0..<16).map { e in
                                let slot =
                                    row + (.integer(e * tiles.columns) + first + .integer(t)) * .integer(g.outChannels)
                                    + c
                                return builder.local(.float32, .load(products, index: slot))
                            }
                            let y = Self.winogradOutputTransform(m, &builder)
                            for i in 0..<outputRows {
                                for j in 0..<(t == count - 1 ? lastColumns : 2) {
                                    let value = initial.map { Expr.binary(.add, y[2 * i + j], $0) } ?? y[2 * i + j]
                                    let (oy, ox) = (ty * 2 + .integer(i), (first + .integer(t)) * 2 + .integer(j))
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

        /// Tile row `ty` of image `n`, with `outputRows` rows of pixels.
        func tileRow(_ n: Expr, _ ty: Expr, outputRows: Int, _ builder: inout KernelBuilder) {
            let row = n * .integer(rowProducts)
            let copy = n * .integer(copySize)
            builder.loop(0..<g.inChannels) { builder, ci in
                builder.vectorLoop(0..<rowPositions, lanes: lanes) { builder, position in
                    let q = copy + ci * .integer(planeSize) + ty * .integer(phase.pitch) + position
                    let d = offsets.map { builder.local(.float32, .load(copies, index: q + .integer($0))) }
                    for (e, value) in Self.winogradInputTransform(d, &builder).enumerated() {
                        let index =
                            n * .integer(imageInputs) + (.integer(e * g.inChannels) + ci) * .integer(rowPositions)
                            + position
                        builder.store(inputs, index, value)
                    }
                }
            }
            multiply(n, ty, row: row, &builder)
            let whole = g.outWidth / 2
            let perStep = min(4, max(whole, 1))
            if whole > 0 {
                Self.blocks(of: whole, by: perStep, &builder) { builder, first, count in
                    transformBack(
                        n, ty, row: row, outputRows: outputRows, tiles: first, count, lastColumns: 2, &builder)
                }
            }
            if g.outWidth % 2 == 1 {
                transformBack(
                    n, ty, row: row, outputRows: outputRows, tiles: .integer(whole), 1, lastColumns: 1, &builder)
            }
        }

        builder.parallelLoop(g.batch) { builder, n in
            statistics?.clear(part: n, &builder)
            let copy = n * .integer(copySize)
            planeLoop(copySize, &builder) { builder, i in builder.store(copies, copy + i, .f32(0)) }
            builder.loop(0..<g.inChannels) { builder, ci in
                copyInput(x, parity, image: n, channel: ci, into: copies, at: copy + ci * .integer(planeSize), &builder)
            }
            if g.outHeight / 2 > 0 {
                builder.loop(0..<g.outHeight / 2) { builder, ty in tileRow(n, ty, outputRows: 2, &builder) }
            }
            if g.outHeight % 2 == 1 { tileRow(n, .integer(g.outHeight / 2), outputRows: 1, &builder) }
        }
        return [weights.kernel]
    }

    /// A kernel computing U[ξ][ci][co] = (G g Gᵀ)[ξ] for every 3×3 kernel g of `g`'s input channel ci and output
    /// channel co (w[co, ci], or w[ci, co] turned by 180° for the input gradient), and its buffer; parallel over
    /// input channels.
    private mutating func transformWinogradWeights(
        _ w: ValueID, _ g: ConvolutionShape, _ pass: WinogradPass, name: String
    ) -> (kernel: Kernel, buffer: BufferID) {
        let transformed = newBuffer("\(graph[w].name).winograd", .float32, 16 * g.inChannels * g.outChannels)
        var builder = KernelBuilder()
        builder.parallelLoop(g.inChannels) { builder, ci in
            builder.loop(0..<g.outChannels) { builder, co in
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
                // G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]] on each column of g, then on each row.
                func applyG(_ a: Expr, _ b: Expr, _ c: Expr) -> [Expr] {
                    let half = Expr.f32(0.5)
                    return [
                        a, .binary(.multiply, .binary(.add, .binary(.add, a, b), c), half),
                        .binary(.multiply, .binary(.add, .binary(.subtract, a, b), c), half), c,
                    ]
                }
                let columns = (0..<3).map { kx in
                    applyG(taps[kx], taps[3 + kx], taps[6 + kx]).map { builder.local(.float32, $0) }
                }
                for i in 0..<4 {
                    for (j, value) in applyG(columns[0][i], columns[1][i], columns[2][i]).enumerated() {
                        let index = (.integer((4 * i + j) * g.inChannels) + ci) * .integer(g.outChannels) + co
                        builder.store(transformed, index, value)
                    }
                }
            }
        }
        return (builder.kernel(name: name + "_w_winograd", computes: [graph[w].name]), transformed)
    }

    /// V = Bᵀ d B for the 4×4 tile `d` (row-major), with Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0],
    /// [0, 1, 0, −1]].
    static func winogradInputTransform(_ d: [Expr], _ builder: inout KernelBuilder) -> [Expr] {
        func apply(_ a: Expr, _ b: Expr, _ c: Expr, _ e: Expr) -> [Expr] {
            [.binary(.subtract, a, c), .binary(.add, b, c), .binary(.subtract, c, b), .binary(.subtract, b, e)]
        }
        let rows = (0..<4).map { j in apply(d[j], d[4 + j], d[8 + j], d[12 + j]).map { builder.local(.float32, $0) } }
        return (0..<4).flatMap { i in apply(rows[0][i], rows[1][i], rows[2][i], rows[3][i]) }
    }

    /// Y = Aᵀ m A for the 4×4 products `m` (row-major), with Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]: the 2×2 pixels,
    /// row-major.
    static func winogradOutputTransform(_ m: [Expr], _ builder: inout KernelBuilder) -> [Expr] {
        func apply(_ a: Expr, _ b: Expr, _ c: Expr, _ e: Expr) -> [Expr] {
            [.binary(.add, .binary(.add, a, b), c), .binary(.subtract, .binary(.subtract, b, c), e)]
        }
        let rows = (0..<4).map { j in apply(m[j], m[4 + j], m[8 + j], m[12 + j]).map { builder.local(.float32, $0) } }
        return (0..<2).flatMap { i in apply(rows[0][i], rows[1][i], rows[2][i], rows[3][i]) }
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

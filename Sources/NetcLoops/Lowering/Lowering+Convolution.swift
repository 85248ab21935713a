import NetcGraph

/// Convolutions vectorised over channels: every innermost loop runs over a contiguous run of channels of a
/// packed copy (`f32` multiply-adds that LLVM turns into 8-wide FMAs), accumulating one output pixel's
/// channels in a small scratch row. Each convolution gets a preparation kernel that packs the weights (or,
/// for the weight gradient, the output gradient) channel-last; the main kernel is parallel over images
/// (forward, input gradient) or over weight taps (weight gradient), so no two threads write one element.
extension Lowering {
    /// y[n, co, oy, ox] = b[co] + Σ_{ci, ky, kx} x[n, ci, oy·s − p + ky, ox·s − p + kx] · w[co, ci, ky, kx],
    /// then the epilogue; the weights are packed as `[ci][ky][kx][co]`.
    ///
    /// A few neighbouring output pixels of a row are computed together (a register tile): each input value
    /// read feeds every output channel of its pixel, and each packed weight row feeds every pixel of the tile,
    /// so the vectorised channel loops hold enough independent sums in registers to keep the FMA units busy.
    mutating func lowerConvolution(
        _ group: FusionGroup, _ attributes: ConvolutionAttributes, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let (x, w) = (node.inputs[0], node.inputs[1])
        let bias = node.inputs.count > 2 ? node.inputs[2] : nil
        let g = ConvolutionShape(input: graph.type(of: x).shape, outChannels: graph.type(of: w).shape[0], attributes)
        if Self.vectorisesOverPixels(g) { return lowerPixelConvolution(group, g, bias: bias, name: name, &builder) }
        let packing = packWeights(w, g, name: name) { co, ci, ky, kx in
            ((ci * .integer(g.kernel) + ky) * .integer(g.kernel) + kx) * .integer(g.outChannels) + co
        }
        let tile = Self.pixelTile(channels: g.outChannels, width: g.outWidth)
        let sums = newBuffer("\(node.name).accumulator", .float32, g.batch * tile * g.outChannels)
        let channels = Expr.integer(g.outChannels)
        /// Output pixels (n, oy, first..<first + count): sums of pixel p at `row + p·Cout`.
        func pixels(_ n: Expr, _ oy: Expr, first: Expr, count: Int, _ builder: inout KernelBuilder) {
            let row = n * .integer(tile * g.outChannels)
            for p in 0..<count {
                builder.loop(0..<g.outChannels) { builder, co in
                    let initial = bias.map { element($0, Access(co), &builder) } ?? .f32(0)
                    builder.store(sums, row + .integer(p * g.outChannels) + co, initial)
                }
            }
            builder.loop(0..<g.kernel) { builder, ky in
                let iy = g.inputPosition(oy, ky)
                builder.when(g.insideRow(iy)) { builder in
                    builder.loop(0..<g.kernel) { builder, kx in
                        let columns = (0..<count).map { g.inputPosition(first + .integer($0), kx) }
                        // One pixel skips a tap in the padding; a tile reads zeros there instead, branch-free.
                        builder.when(count == 1 ? g.insideColumn(columns[0]) : nil) { builder in
                            builder.loop(0..<g.inChannels) { builder, ci in
                                let inputs = columns.map { ix in
                                    let value =
                                        count == 1
                                        ? element(x, Access(g.inputIndex(n, ci, iy, ix), channel: ci), &builder)
                                        : zeroOutside(x, g, n, ci, iy, ix, &builder)
                                    return builder.local(.float32, value)
                                }
                                let tap = ((ci * .integer(g.kernel) + ky) * .integer(g.kernel) + kx) * channels
                                builder.loop(0..<g.outChannels) { builder, co in
                                    let weight = Expr.load(packing.buffer, index: tap + co)
                                    for (p, input) in inputs.enumerated() {
                                        let index = row + .integer(p * g.outChannels) + co
                                        accumulate(sums, index, input, weight, &builder)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for p in 0..<count {
                builder.loop(0..<g.outChannels) { builder, co in
                    let access = Access(g.outputIndex(n, co, oy, first + .integer(p)), channel: co)
                    storeResult(group, .load(sums, index: row + .integer(p * g.outChannels) + co), access, &builder)
                }
            }
        }
        let (tiles, remainder) = g.outWidth.quotientAndRemainder(dividingBy: tile)
        builder.parallelLoop(g.batch) { builder, n in
            builder.loop(0..<g.outHeight) { builder, oy in
                builder.loop(0..<tiles) { builder, t in
                    pixels(n, oy, first: t * .integer(tile), count: tile, &builder)
                }
                if remainder > 0 { pixels(n, oy, first: .integer(tiles * tile), count: remainder, &builder) }
            }
        }
        return [packing.kernel]
    }

    /// How many output pixels a convolution computes together: as many as give 16 vectors of 8 sums, at least one
    /// and at most the row. Measured best here, where AVX-512VL offers 32 vector registers even for 256-bit code;
    /// on a plain AVX2 CPU (16 registers, e.g. the Haswell code in `Generated/`) some sums spill to the stack.
    static func pixelTile(channels: Int, width: Int) -> Int {
        let vectors = (channels + 7) / 8
        return max(1, min(width, 16 / vectors))
    }

    /// x[n, ci, iy, ix], or 0 for a column in the padding (the row was tested already): read at a column clamped
    /// into the image so the load is always valid, then selected away (branch-free).
    private func zeroOutside(
        _ x: ValueID, _ g: ConvolutionShape, _ n: Expr, _ ci: Expr, _ iy: Expr, _ ix: Expr,
        _ builder: inout KernelBuilder
    ) -> Expr {
        guard let inside = g.insideColumn(ix) else {
            return element(x, Access(g.inputIndex(n, ci, iy, ix), channel: ci), &builder)
        }
        let clamped = ConvolutionShape.clamp(ix, below: g.width)
        let value = element(x, Access(g.inputIndex(n, ci, iy, clamped), channel: ci), &builder)
        return .select(inside, then: value, otherwise: .f32(0))
    }

    /// dx[n, ci, iy, ix] = Σ_{co, ky, kx} dy[n, co, oy, ox] · w[co, ci, ky, kx] over the (oy, ox) whose window
    /// reads (iy, ix) at (ky, kx) — a gather, so each element is written once — then the epilogue; the
    /// weights are packed as `[co][ky][kx][ci]`.
    ///
    /// Like the forward pass, a tile of input pixels is computed together; the pixels of a tile are a stride
    /// apart, so they receive from the same kernel offsets and only the image border differs between them.
    mutating func lowerConvolutionInputGradient(
        _ group: FusionGroup, _ attributes: ConvolutionAttributes, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let (dy, w) = (node.inputs[0], node.inputs[1])
        let g = ConvolutionShape(input: node.type.shape, outChannels: graph.type(of: w).shape[0], attributes)
        let packing = packWeights(w, g, name: name) { co, ci, ky, kx in
            ((co * .integer(g.kernel) + ky) * .integer(g.kernel) + kx) * .integer(g.inChannels) + ci
        }
        let (stride, padding) = (g.stride, Expr.integer(g.padding))
        let tile = Self.pixelTile(channels: g.inChannels, width: (g.width + stride - 1) / stride)
        let sums = newBuffer("\(node.name).accumulator", .float32, g.batch * tile * g.inChannels)
        /// Input pixels (n, iy, columns), a stride apart: sums of pixel p at `row + p·Cin`.
        func pixels(_ n: Expr, _ iy: Expr, columns: [Expr], _ builder: inout KernelBuilder) {
            let row = n * .integer(tile * g.inChannels)
            for p in columns.indices {
                builder.loop(0..<g.inChannels) { builder, ci in
                    builder.store(sums, row + .integer(p * g.inChannels) + ci, .f32(0))
                }
            }
            builder.loop(0..<g.kernel) { builder, ky in
                let shiftedRow = iy + padding - ky
                let oy = shiftedRow / .integer(stride)
                var shared: [Expr] = [
                    .compare(.greaterOrEqual, shiftedRow, 0), .compare(.less, oy, .integer(g.outHeight)),
                ]
                if stride > 1 { shared.append(.compare(.equal, shiftedRow % .integer(stride), 0)) }
                builder.loop(0..<g.kernel) { builder, kx in
                    var conditions = shared
                    if stride > 1 {
                        conditions.append(.compare(.equal, (columns[0] + padding - kx) % .integer(stride), 0))
                    }
                    builder.when(g.all(conditions)) { builder in
                        builder.loop(0..<g.outChannels) { builder, co in
                            let gradients = columns.map { ix in
                                let shifted = ix + padding - kx
                                let ox = shifted / .integer(stride)
                                let clamped = ConvolutionShape.clamp(ox, below: g.outWidth)
                                let value = element(
                                    dy, Access(g.outputIndex(n, co, oy, clamped), channel: co), &builder)
                                let inside = Expr.binary(
                                    .and, .compare(.greaterOrEqual, shifted, 0),
                                    .compare(.less, ox, .integer(g.outWidth)))
                                return builder.local(.float32, .select(inside, then: value, otherwise: .f32(0)))
                            }
                            let tap =
                                ((co * .integer(g.kernel) + ky) * .integer(g.kernel) + kx) * .integer(g.inChannels)
                            builder.loop(0..<g.inChannels) { builder, ci in
                                let weight = Expr.load(packing.buffer, index: tap + ci)
                                for (p, gradient) in gradients.enumerated() {
                                    accumulate(sums, row + .integer(p * g.inChannels) + ci, gradient, weight, &builder)
                                }
                            }
                        }
                    }
                }
            }
            for (p, ix) in columns.enumerated() {
                builder.loop(0..<g.inChannels) { builder, ci in
                    let access = Access(g.inputIndex(n, ci, iy, ix), channel: ci)
                    storeResult(group, .load(sums, index: row + .integer(p * g.inChannels) + ci), access, &builder)
                }
            }
        }
        builder.parallelLoop(g.batch) { builder, n in
            builder.loop(0..<g.height) { builder, iy in
                for phase in 0..<min(stride, g.width) {
                    let count = (g.width - phase + stride - 1) / stride
                    let (tiles, remainder) = count.quotientAndRemainder(dividingBy: tile)
                    let column = { (index: Expr) in .integer(phase) + index * .integer(stride) }
                    builder.loop(0..<tiles) { builder, t in
                        pixels(n, iy, columns: (0..<tile).map { column(t * .integer(tile) + .integer($0)) }, &builder)
                    }
                    if remainder > 0 {
                        let first = tiles * tile
                        pixels(n, iy, columns: (0..<remainder).map { column(.integer(first + $0)) }, &builder)
                    }
                }
            }
        }
        return [packing.kernel]
    }

    /// dw[co, ci, ky, kx] = Σ_n Σ_{oy, ox} dy[n, co, oy, ox] · x[n, ci, oy·s − p + ky, ox·s − p + kx], one
    /// partial sum per image (or per few images, for small planes) added to the total (shorter `f32` sums), then
    /// the epilogue. dy is first copied channel-last (`[n][oy][ox][co]`); the main kernel is parallel over input
    /// channels, each owning its K·K rows of `Cout` sums, with the kernel offsets unrolled so the pixel loops have
    /// static bounds.
    mutating func lowerConvolutionWeightGradient(
        _ group: FusionGroup, _ attributes: ConvolutionAttributes, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let (x, dy) = (node.inputs[0], node.inputs[1])
        let g = ConvolutionShape(input: graph.type(of: x).shape, outChannels: graph.type(of: dy).shape[1], attributes)
        if Self.vectorisesOverPixels(g) { return lowerPixelConvolutionWeightGradient(group, g, name: name, &builder) }
        let channels = Expr.integer(g.outChannels)
        let gradients = newBuffer("\(graph[dy].name).channel_last", .float32, g.batch * g.outputPlane * g.outChannels)
        var transposing = KernelBuilder()
        transposing.parallelLoop(g.batch) { builder, n in
            builder.loop(0..<g.outChannels) { builder, co in
                builder.loop(0..<g.outputPlane) { builder, p in
                    let value = element(
                        dy, Access((n * channels + co) * .integer(g.outputPlane) + p, channel: co), &builder)
                    builder.store(gradients, (n * .integer(g.outputPlane) + p) * channels + co, value)
                }
            }
        }
        // Neighbouring columns go to separate partial sums (two while that keeps at most 16 vectors of sums):
        // more independent multiply-add chains, so the FMA latency is hidden.
        let lanes = g.outChannels <= 64 ? 2 : 1
        let partials = (0..<lanes).map { newBuffer("\(node.name).partial\($0)", .float32, g.taps * g.outChannels) }
        let total = newBuffer("\(node.name).accumulator", .float32, g.taps * g.outChannels)
        // Small planes share a partial sum over a few images, so clearing and adding it up stays cheap.
        let imagesPerPartial = max(1, min(g.batch, 256 / g.outputPlane))
        let offsets = g.kernel * g.kernel
        // Two input channels per task share each load of dy, while their sums still fit 16 vectors.
        let channelsPerTask = (g.outChannels + 7) / 8 * lanes * 2 <= 16 && g.inChannels % 2 == 0 ? 2 : 1
        builder.parallelLoop(g.inChannels / channelsPerTask) { builder, task in
            let inputChannels = (0..<channelsPerTask).map { task * .integer(channelsPerTask) + .integer($0) }
            let firsts = inputChannels.map { $0 * .integer(offsets * g.outChannels) }
            for first in firsts {
                builder.loop(0..<offsets * g.outChannels) { builder, i in builder.store(total, first + i, .f32(0)) }
            }
            /// Adds images first..<first + count to the partial sums, then those to the total.
            func images(first image: Expr, count: Int, _ builder: inout KernelBuilder) {
                for partial in partials {
                    for first in firsts {
                        builder.loop(0..<offsets * g.outChannels) { builder, i in
                            builder.store(partial, first + i, .f32(0))
                        }
                    }
                }
                builder.loop(0..<count) { builder, j in
                    let n = image + j
                    g.forEachOffset { ky, kx, rows, columns in
                        let tap = Expr.integer((ky * g.kernel + kx) * g.outChannels)
                        /// Adds the products of output columns `ox, ox + 1, ...` to one partial row each.
                        func add(columns: [Expr], _ oy: Expr, _ builder: inout KernelBuilder) {
                            let pixels = columns.map {
                                ((n * .integer(g.outHeight) + oy) * .integer(g.outWidth) + $0) * channels
                            }
                            let inputs = inputChannels.map { ci in
                                columns.map { ox in
                                    let (iy, ix) = (
                                        g.inputPosition(oy, .integer(ky)), g.inputPosition(ox, .integer(kx))
                                    )
                                    return builder.local(
                                        .float32, element(x, Access(g.inputIndex(n, ci, iy, ix), channel: ci), &builder)
                                    )
                                }
                            }
                            builder.loop(0..<g.outChannels) { builder, co in
                                let gradients = pixels.map { Expr.load(gradients, index: $0 + co) }
                                for (first, row) in zip(firsts, inputs) {
                                    for ((input, gradient), partial) in zip(zip(row, gradients), partials) {
                                        accumulate(partial, first + tap + co, input, gradient, &builder)
                                    }
                                }
                            }
                        }
                        let (runs, rest) = columns.count.quotientAndRemainder(dividingBy: lanes)
                        builder.loop(rows) { builder, oy in
                            builder.loop(0..<runs) { builder, run in
                                let ox = .integer(columns.lowerBound) + run * .integer(lanes)
                                add(columns: (0..<lanes).map { ox + .integer($0) }, oy, &builder)
                            }
                            if rest > 0 {
                                let ox = columns.upperBound - rest
                                add(columns: (0..<rest).map { .integer(ox + $0) }, oy, &builder)
                            }
                        }
                    }
                }
                for first in firsts {
                    builder.loop(0..<offsets * g.outChannels) { builder, i in
                        let sum = partials.reduce(Expr.load(total, index: first + i)) {
                            .binary(.add, $0, .load($1, index: first + i))
                        }
                        builder.store(total, first + i, sum)
                    }
                }
            }
            let (groups, rest) = g.batch.quotientAndRemainder(dividingBy: imagesPerPartial)
            builder.loop(0..<groups) { builder, group in
                images(first: group * .integer(imagesPerPartial), count: imagesPerPartial, &builder)
            }
            if rest > 0 { images(first: .integer(groups * imagesPerPartial), count: rest, &builder) }
            for (ci, first) in zip(inputChannels, firsts) {
                builder.loop(0..<g.outChannels) { builder, co in
                    builder.loop(0..<offsets) { builder, offset in
                        let access = Access(
                            (co * .integer(g.inChannels) + ci) * .integer(offsets) + offset, channel: ci)
                        storeResult(group, .load(total, index: first + offset * channels + co), access, &builder)
                    }
                }
            }
        }
        return [transposing.kernel(name: name + "_dy_pack", computes: [graph[dy].name])]
    }
}

extension Lowering {
    /// buffer[index] = a · b + buffer[index], one `f32` multiply-add.
    func accumulate(_ buffer: BufferID, _ index: Expr, _ a: Expr, _ b: Expr, _ builder: inout KernelBuilder) {
        builder.store(buffer, index, .multiplyAdd(a, b, .load(buffer, index: index)))
    }

    /// A kernel copying weights `w` into a new buffer at `packedIndex(co, ci, ky, kx)`, and that buffer.
    private mutating func packWeights(
        _ w: ValueID, _ g: ConvolutionShape, name: String, _ packedIndex: (Expr, Expr, Expr, Expr) -> Expr
    ) -> (kernel: Kernel, buffer: BufferID) {
        let packed = newBuffer("\(graph[w].name).packed", .float32, g.outChannels * g.taps)
        var builder = KernelBuilder()
        builder.loop(0..<g.outChannels) { builder, co in
            builder.loop(0..<g.inChannels) { builder, ci in
                builder.loop(0..<g.kernel) { builder, ky in
                    builder.loop(0..<g.kernel) { builder, kx in
                        let value = element(w, Access(g.weightIndex(co, ci, ky, kx)), &builder)
                        builder.store(packed, packedIndex(co, ci, ky, kx), value)
                    }
                }
            }
        }
        return (builder.kernel(name: name + "_w_pack", computes: [graph[w].name]), packed)
    }
}

extension Lowering {
    /// a·b in `f64` from two `f32` operands: the terms of the linear layers' `f64` sums.
    func product(_ a: Expr, _ b: Expr) -> Expr {
        .binary(.multiply, .convert(a, to: .float64), .convert(b, to: .float64))
    }
}

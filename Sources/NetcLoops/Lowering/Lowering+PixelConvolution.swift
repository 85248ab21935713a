import NetcGraph

/// Convolutions with few input channels (the first layer, reading the image) vectorised over output pixels
/// instead of channels: with one input channel a channel-vectorised tap is a single multiply-add per output
/// channel, its results are stored one channel at a time, scattered over the output planes, and its weight
/// gradient has one input channel to run in parallel over.
///
/// Both passes read the input copied into zero-bordered planes, so every tap of every output pixel reads a
/// vector of real or zero inputs with no padding test; outputs and output gradients are read and written in place.
extension Lowering {
    /// Whether a convolution reads too few input channels to vectorise over them and has stride 1, so that
    /// neighbouring output pixels read neighbouring inputs.
    static func vectorisesOverPixels(_ g: ConvolutionShape) -> Bool {
        vectorisesOverPixels(inChannels: g.inChannels, stride: g.stride)
    }

    /// Whether a convolution of `inChannels` input channels and `stride` is vectorised over pixels.
    static func vectorisesOverPixels(inChannels: Int, stride: Int) -> Bool {
        inChannels < 4 && stride == 1
    }

    /// y[n, co, oy, ox] = b[co] + Σ_{ci, ky, kx} x[n, ci, oy − p + ky, ox − p + kx] · w[co, ci, ky, kx], then the
    /// epilogue, vectorised over the output columns of a row.
    ///
    /// A register tile holds `schedule.rows` output channels × `schedule.vectors` output rows of one run of columns
    /// (a row is cut into whole vectors and one narrower one): each tap loads one vector of padded input per row and
    /// feeds it to every channel's sums with the weight broadcast, and each sum is stored once, contiguously.
    mutating func lowerPixelConvolution(
        _ group: FusionGroup, _ g: ConvolutionShape, bias: ValueID?, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let (x, w) = (node.inputs[0], node.inputs[1])
        let schedule = schedules.schedule(
            for: KernelSignature(
                convolution: .forward, input: [g.batch, g.inChannels, g.height, g.width],
                outChannels: g.outChannels, g.attributes, sumsStatistics: fusion.sumsStatistics(group)),
            on: target)
        streamResult(of: group, schedule, &builder)
        let input = paddedInput(x, g, name: name)
        let layout = PaddedLayout(g)
        let (channelsPerTile, rowsPerTile) = (min(schedule.rows, g.outChannels), min(schedule.vectors, g.outHeight))
        let statistics = epilogueStatistics(for: group, parts: g.batch, channels: g.outChannels, columns: g.outWidth)
        /// Output channels first..<first + channels of rows oy..<oy + rows, columns `columns`.
        func tile(
            _ n: Expr, channels first: Expr, _ channels: Int, rows oy: Expr, _ rows: Int, columns: Range<Int>,
            _ builder: inout KernelBuilder
        ) {
            builder.vectorLoop(0..<columns.count, lanes: columns.count) { builder, lane in
                let ox = .integer(columns.lowerBound) + lane
                let co = (0..<channels).map { first + .integer($0) }
                let sums = co.map { c in
                    (0..<rows).map { _ in
                        builder.local(.float32, bias.map { element($0, Access(c), &builder) } ?? .f32(0))
                    }
                }
                builder.loop(0..<g.inChannels) { builder, ci in
                    let plane = (n * .integer(g.inChannels) + ci) * .integer(layout.plane)
                    for (ky, kx) in layout.taps {
                        let weights = co.map {
                            builder.local(
                                .float32,
                                element(w, Access(g.weightIndex($0, ci, .integer(ky), .integer(kx))), &builder))
                        }
                        for r in 0..<rows {
                            let row = oy + .integer(r + ky)
                            let value = builder.local(
                                .float32,
                                .load(
                                    input.buffer, index: plane + row * .integer(layout.paddedWidth) + ox + .integer(kx))
                            )
                            for (channelSums, weight) in zip(sums, weights) {
                                builder.assign(channelSums[r], .multiplyAdd(value, weight, channelSums[r]))
                            }
                        }
                    }
                }
                for (c, channelSums) in zip(co, sums) {
                    let stored = channelSums.enumerated().map { r, sum in
                        storeResult(group, sum, Access(g.outputIndex(n, c, oy + .integer(r), ox), channel: c), &builder)
                    }
                    statistics?.add(stored, part: n, channel: c, column: ox, &builder)
                }
            }
        }
        let segments = Self.segments(of: g.outWidth, lanes: schedule.lanes)
        builder.parallelLoop(g.batch) { builder, n in
            statistics?.clear(part: n, &builder)
            Self.blocks(of: g.outChannels, by: channelsPerTile, &builder) { builder, first, channels in
                Self.blocks(of: g.outHeight, by: rowsPerTile, &builder) { builder, oy, rows in
                    for columns in segments {
                        tile(n, channels: first, channels, rows: oy, rows, columns: columns, &builder)
                    }
                }
            }
        }
        return [input.kernel]
    }

    /// dw[co, ci, ky, kx] = Σ_n Σ_{oy, ox} dy[n, co, oy, ox] · x[n, ci, oy − p + ky, ox − p + kx], then the
    /// epilogue: parallel over blocks of `schedule.rows` output channels, summed by `sumPixelWeightGradients`.
    mutating func lowerPixelConvolutionWeightGradient(
        _ group: FusionGroup, _ g: ConvolutionShape, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let (x, dy) = (node.inputs[0], node.inputs[1])
        let schedule = schedules.schedule(
            for: KernelSignature(
                convolution: .weightGradient, input: [g.batch, g.inChannels, g.height, g.width],
                outChannels: g.outChannels, g.attributes),
            on: target)
        let input = paddedInput(x, g, name: name)
        let channelsPerTile = min(schedule.rows, g.outChannels)
        let totals = pixelWeightGradientTotals(g, gradientSums: false, name: node.name)
        /// The sums of output channels first..<first + channels.
        func tile(_ first: Expr, _ channels: Int, _ builder: inout KernelBuilder) {
            sumPixelWeightGradients(
                g, input: input.buffer, channels: (0..<channels).map { first + .integer($0) }, lanes: schedule.lanes,
                gradientSums: false, totals: totals, &builder
            ) { builder, n, c, oy, ox in
                element(dy, Access(g.outputIndex(n, c, oy, ox), channel: c), &builder)
            } finish: { builder, c, tap, total in
                let (ci, offset) = tap.quotientAndRemainder(dividingBy: g.kernel * g.kernel)
                let (ky, kx) = offset.quotientAndRemainder(dividingBy: g.kernel)
                let access = Access(g.weightIndex(c, .integer(ci), .integer(ky), .integer(kx)), channel: .integer(ci))
                storeResult(group, .convert(total, to: .float32), access, &builder)
            }
        }
        Self.parallelBlocks(of: g.outChannels, by: channelsPerTile, &builder) { builder, _, first, channels in
            tile(first, channels, &builder)
        }
        return [input.kernel]
    }

    /// The scratch `sumPixelWeightGradients` keeps its per-column `f64` totals in, for every output channel.
    mutating func pixelWeightGradientTotals(_ g: ConvolutionShape, gradientSums: Bool, name: String) -> BufferID {
        newBuffer("\(name).lanes", .float64, g.outChannels * (g.taps + (gradientSums ? 1 : 0)) * g.outWidth)
    }

    /// For output channels `co`: each tap's Σ_n Σ_{oy, ox} dy · x[n, ci, oy − p + ky, ox − p + kx] read from the
    /// zero-bordered `input` (tap ci·K² + ky·K + kx) and, with `gradientSums`, Σ dy as one more slot (`g.taps`),
    /// `gradient` giving dy[n, co, oy, ox]; `finish` gets each channel's slots as `f64` totals.
    ///
    /// A register tile holds every slot of the channels for one run of columns (whole vectors of `lanes`, then one
    /// narrower): each output row takes one vector of dy per channel and one of padded input per tap. Each lane sums
    /// its column over a few images in `f32`, then into an `f64` total per lane in `totals`
    /// (`pixelWeightGradientTotals`); the lanes' totals are added in order.
    func sumPixelWeightGradients(
        _ g: ConvolutionShape, input: BufferID, channels co: [Expr], lanes: Int, gradientSums: Bool, totals: BufferID,
        _ builder: inout KernelBuilder,
        gradient: (inout KernelBuilder, _ n: Expr, _ channel: Expr, _ oy: Expr, _ ox: Expr) -> Expr,
        finish: (inout KernelBuilder, _ channel: Expr, _ slot: Int, _ total: Expr) -> Void
    ) {
        let layout = PaddedLayout(g)
        let slotCount = g.taps + (gradientSums ? 1 : 0)
        let imagesPerSum = max(1, min(g.batch, 256 / g.outHeight))
        // Every run of columns of a block of images before the next block: the block's rows stay in cache from one
        // run to the next, where a run over every image in turn would read the whole batch again for each run.
        func images(_ firstImage: Expr, count: Int, isFirst: Bool, _ builder: inout KernelBuilder) {
            for columns in Self.segments(of: g.outWidth, lanes: lanes) {
                builder.vectorLoop(0..<columns.count, lanes: columns.count) { builder, lane in
                    let ox = .integer(columns.lowerBound) + lane
                    let sums = co.map { _ in (0..<slotCount).map { _ in builder.local(.float32, .f32(0)) } }
                    builder.loop(0..<count) { builder, j in
                        let n = firstImage + j
                        builder.loop(0..<g.outHeight) { builder, oy in
                            let gradients = co.map { builder.local(.float32, gradient(&builder, n, $0, oy, ox)) }
                            for ci in 0..<g.inChannels {
                                let plane = (n * .integer(g.inChannels) + .integer(ci)) * .integer(layout.plane)
                                for (t, (ky, kx)) in layout.taps.enumerated() {
                                    let index =
                                        plane + (oy + .integer(ky)) * .integer(layout.paddedWidth) + ox + .integer(kx)
                                    let value = builder.local(.float32, .load(input, index: index))
                                    let tap = ci * layout.taps.count + t
                                    for (channelSums, gradient) in zip(sums, gradients) {
                                        builder.assign(
                                            channelSums[tap], .multiplyAdd(value, gradient, channelSums[tap]))
                                    }
                                }
                            }
                            if gradientSums {
                                for (channelSums, gradient) in zip(sums, gradients) {
                                    builder.assign(channelSums[g.taps], .binary(.add, channelSums[g.taps], gradient))
                                }
                            }
                        }
                    }
                    for (c, channelSums) in zip(co, sums) {
                        for (slotIndex, sum) in channelSums.enumerated() {
                            let slot = (c * .integer(slotCount) + .integer(slotIndex)) * .integer(g.outWidth) + ox
                            let wide = Expr.convert(sum, to: .float64)
                            builder.store(
                                totals, slot, isFirst ? wide : .binary(.add, .load(totals, index: slot), wide))
                        }
                    }
                }
            }
        }
        let (whole, left) = g.batch.quotientAndRemainder(dividingBy: imagesPerSum)
        images(0, count: imagesPerSum, isFirst: true, &builder)
        if whole > 1 {
            builder.loop(1..<whole) { builder, k in
                images(k * .integer(imagesPerSum), count: imagesPerSum, isFirst: false, &builder)
            }
        }
        if left > 0 { images(.integer(whole * imagesPerSum), count: left, isFirst: false, &builder) }
        for c in co {
            for slot in 0..<slotCount {
                let row = (c * .integer(slotCount) + .integer(slot)) * .integer(g.outWidth)
                let total = builder.local(.float64, .load(totals, index: row))
                builder.loop(1..<g.outWidth) { builder, ox in
                    builder.assign(total, .binary(.add, total, .load(totals, index: row + ox)))
                }
                finish(&builder, c, slot, total)
            }
        }
    }

    /// The runs of `length` columns a row is cut into: whole vectors of `lanes`, then one narrower vector.
    static func segments(of length: Int, lanes: Int) -> [Range<Int>] {
        stride(from: 0, to: length, by: lanes).map { $0..<min(length, $0 + lanes) }
    }

    /// Calls `body` for blocks of `size` of `0..<count`: a loop over the whole blocks, then the smaller last one.
    static func blocks(
        of count: Int, by size: Int, _ builder: inout KernelBuilder, _ body: (inout KernelBuilder, Expr, Int) -> Void
    ) {
        let (whole, rest) = count.quotientAndRemainder(dividingBy: size)
        builder.loop(0..<whole) { builder, block in body(&builder, block * .integer(size), size) }
        if rest > 0 { body(&builder, .integer(whole * size), rest) }
    }

    /// Calls `body` for blocks of `size` of `0..<count`, one per iteration of a parallel loop: the whole blocks, then
    /// the smaller last one; `body` gets the block's index and first position and its size.
    static func parallelBlocks(
        of count: Int, by size: Int, _ builder: inout KernelBuilder,
        _ body: (inout KernelBuilder, _ block: Expr, _ first: Expr, _ size: Int) -> Void
    ) {
        let (whole, rest) = count.quotientAndRemainder(dividingBy: size)
        builder.parallelLoop(whole + (rest > 0 ? 1 : 0)) { builder, block in
            let first = block * .integer(size)
            guard rest > 0 else { return body(&builder, block, first, size) }
            builder.when(.compare(.less, block, .integer(whole))) { builder in body(&builder, block, first, size) }
            builder.when(.compare(.equal, block, .integer(whole))) { builder in
                body(&builder, block, .integer(whole * size), rest)
            }
        }
    }

    /// The input of a pixel-vectorised convolution copied into zero-bordered planes.
    mutating func paddedInput(
        _ x: ValueID, _ g: ConvolutionShape, name: String
    ) -> (kernel: Kernel, buffer: BufferID) {
        let layout = PaddedLayout(g)
        return borderedCopy(
            of: x, channels: g.inChannels, planes: g.batch * g.inChannels, from: (g.height, g.width),
            to: (layout.paddedHeight, layout.paddedWidth), at: (g.padding, g.padding), name: name + "_x_pad")
    }

    /// A kernel copying each of the `planes` planes of `value` (`channels` per image) into a zero-filled larger
    /// plane at `corner`, and the copy's buffer; every loop has static bounds, so the copy is contiguous.
    private mutating func borderedCopy(
        of value: ValueID, channels: Int, planes: Int, from size: (height: Int, width: Int),
        to padded: (height: Int, width: Int), at corner: (top: Int, left: Int), name: String
    ) -> (kernel: Kernel, buffer: BufferID) {
        let copy = newBuffer("\(graph[value].name).padded", .float32, planes * padded.height * padded.width)
        var builder = KernelBuilder()
        builder.parallelLoop(planes) { builder, plane in
            let target = { (y: Expr, x: Expr) in (plane * .integer(padded.height) + y) * .integer(padded.width) + x }
            let interior = corner.top..<corner.top + size.height
            for rows in [0..<corner.top, interior.upperBound..<padded.height] {
                builder.loop(rows) { builder, y in
                    builder.loop(0..<padded.width) { builder, x in builder.store(copy, target(y, x), .f32(0)) }
                }
            }
            builder.loop(interior) { builder, y in
                for columns in [0..<corner.left, corner.left + size.width..<padded.width] {
                    builder.loop(columns) { builder, x in builder.store(copy, target(y, x), .f32(0)) }
                }
                builder.loop(0..<size.width) { builder, x in
                    let source = (plane * .integer(size.height) + y - .integer(corner.top)) * .integer(size.width) + x
                    let element = element(value, Access(source, channel: plane % .integer(channels)), &builder)
                    builder.store(copy, target(y, x + .integer(corner.left)), element)
                }
            }
        }
        return (builder.kernel(name: name, computes: [graph[value].name]), copy)
    }
}

/// Where a pixel-vectorised convolution's input lies on zero-bordered planes: output pixel (oy, ox) reads (oy + ky,
/// ox + kx) at tap (ky, kx).
private struct PaddedLayout {
    let paddedHeight, paddedWidth: Int
    /// The kernel offsets (ky, kx) in row-major order.
    let taps: [(Int, Int)]

    init(_ g: ConvolutionShape) {
        (paddedHeight, paddedWidth) = (g.height + 2 * g.padding, g.width + 2 * g.padding)
        taps = (0..<g.kernel * g.kernel).map { ($0 / g.kernel, $0 % g.kernel) }
    }

    /// The size of one padded input plane.
    var plane: Int { paddedHeight * paddedWidth }
}

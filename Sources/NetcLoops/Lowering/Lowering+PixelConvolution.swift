import NetcGraph

/// Convolutions with few input channels (the first layer, reading the image) vectorised over output pixels
/// instead of channels: with one input channel a channel-vectorised tap is a single multiply-add per output
/// channel, its results are stored one channel at a time, scattered over the output planes, and its weight
/// gradient has one input channel to run in parallel over.
///
/// Both passes work on planes laid at the padded width W + 2p: the input is copied into zero-bordered planes,
/// on which an output pixel p = oy·(W + 2p) + ox and its tap (ky, kx) are a fixed distance apart, so one long
/// vector loop over p covers every output row with no padding test (the border columns of each row are computed
/// and never read, or read as zeros).
extension Lowering {
    /// Whether a convolution reads too few input channels to vectorise over them and has stride 1, so that
    /// neighbouring output pixels read neighbouring inputs.
    static func vectorisesOverPixels(_ g: ConvolutionShape) -> Bool {
        g.inChannels < 4 && g.stride == 1
    }

    /// y[n, co, oy, ox] = b[co] + Σ_{ci, ky, kx} x[n, ci, oy − p + ky, ox − p + kx] · w[co, ci, ky, kx], then the
    /// epilogue: each output channel's sums over the padded-width rows, every tap of a pixel added in one vector
    /// loop with the weights broadcast from registers.
    mutating func lowerPixelConvolution(
        _ group: FusionGroup, _ g: ConvolutionShape, bias: ValueID?, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let (x, w) = (node.inputs[0], node.inputs[1])
        let input = paddedInput(x, g, name: name)
        let layout = PaddedLayout(g)
        let sums = newBuffer("\(node.name).accumulator", .float32, g.batch * layout.positions)
        builder.parallelLoop(g.batch) { builder, n in
            let row = n * .integer(layout.positions)
            builder.loop(0..<g.outChannels) { builder, co in
                let initial = builder.local(.float32, bias.map { element($0, Access(co), &builder) } ?? .f32(0))
                builder.loop(0..<layout.positions) { builder, p in builder.store(sums, row + p, initial) }
                builder.loop(0..<g.inChannels) { builder, ci in
                    let plane = (n * .integer(g.inChannels) + ci) * .integer(layout.plane)
                    let weights = layout.taps.map { ky, kx in
                        builder.local(
                            .float32,
                            element(w, Access(g.weightIndex(co, ci, .integer(ky), .integer(kx))), &builder))
                    }
                    builder.loop(0..<layout.positions) { builder, p in
                        for (weight, offset) in zip(weights, layout.offsets) {
                            let tap = Expr.load(input.buffer, index: plane + .integer(offset) + p)
                            accumulate(sums, row + p, tap, weight, &builder)
                        }
                    }
                }
                builder.loop(0..<g.outHeight) { builder, oy in
                    builder.loop(0..<g.outWidth) { builder, ox in
                        let access = Access(g.outputIndex(n, co, oy, ox), channel: co)
                        let sum = Expr.load(sums, index: row + oy * .integer(layout.paddedWidth) + ox)
                        storeResult(group, sum, access, &builder)
                    }
                }
            }
        }
        return [input.kernel]
    }

    /// dw[co, ci, ky, kx] = Σ_n Σ_{oy, ox} dy[n, co, oy, ox] · x[n, ci, oy − p + ky, ox − p + kx], then the
    /// epilogue: parallel over output channels, dy copied to padded-width rows (zero in the border columns), one
    /// vector loop over p adding each tap's product to its own row of per-position sums across the batch; each
    /// row is then summed in `f64`.
    mutating func lowerPixelConvolutionWeightGradient(
        _ group: FusionGroup, _ g: ConvolutionShape, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let (x, dy) = (node.inputs[0], node.inputs[1])
        let input = paddedInput(x, g, name: name)
        let layout = PaddedLayout(g)
        let gradients = borderedCopy(
            of: dy, channels: g.outChannels, planes: g.batch * g.outChannels, from: (g.outHeight, g.outWidth),
            to: (g.outHeight, layout.paddedWidth), at: (0, 0), name: name + "_dy_pad")
        let rows = g.inChannels * layout.taps.count
        let partial = newBuffer("\(node.name).partial", .float32, g.outChannels * rows * layout.positions)
        builder.parallelLoop(g.outChannels) { builder, co in
            let first = co * .integer(rows * layout.positions)
            builder.loop(0..<rows * layout.positions) { builder, i in builder.store(partial, first + i, .f32(0)) }
            /// Adds the products of images `images` (two at a time halves the loads and stores of the sums).
            func add(images: [Expr], _ builder: inout KernelBuilder) {
                builder.loop(0..<g.inChannels) { builder, ci in
                    let sums = first + ci * .integer(layout.taps.count * layout.positions)
                    builder.loop(0..<layout.positions) { builder, p in
                        let terms = images.map { n in
                            let row = (n * .integer(g.outChannels) + co) * .integer(g.outHeight * layout.paddedWidth)
                            let plane = (n * .integer(g.inChannels) + ci) * .integer(layout.plane)
                            return (builder.local(.float32, .load(gradients.buffer, index: row + p)), plane)
                        }
                        for (tap, offset) in layout.offsets.enumerated() {
                            let index = sums + .integer(tap * layout.positions) + p
                            let sum = terms.reduce(Expr.load(partial, index: index)) { sum, term in
                                .multiplyAdd(term.0, .load(input.buffer, index: term.1 + .integer(offset) + p), sum)
                            }
                            builder.store(partial, index, sum)
                        }
                    }
                }
            }
            builder.loop(0..<g.batch / 2) { builder, pair in add(images: [pair * 2, pair * 2 + 1], &builder) }
            if g.batch % 2 == 1 { add(images: [.integer(g.batch - 1)], &builder) }
            builder.loop(0..<g.inChannels) { builder, ci in
                for (tap, (ky, kx)) in layout.taps.enumerated() {
                    let sums = first + (ci * .integer(layout.taps.count) + .integer(tap)) * .integer(layout.positions)
                    let total = builder.local(.float64, .f64(0))
                    builder.loop(0..<layout.positions) { builder, p in
                        builder.assign(
                            total, .binary(.add, total, .convert(.load(partial, index: sums + p), to: .float64)))
                    }
                    let access = Access(g.weightIndex(co, ci, .integer(ky), .integer(kx)), channel: ci)
                    storeResult(group, .convert(total, to: .float32), access, &builder)
                }
            }
        }
        return [input.kernel, gradients.kernel]
    }

    /// The input of a pixel-vectorised convolution copied into zero-bordered planes.
    private mutating func paddedInput(
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

/// Where a pixel-vectorised convolution's values lie on planes of the padded width.
private struct PaddedLayout {
    let paddedHeight, paddedWidth: Int
    /// The kernel offsets (ky, kx) in row-major order.
    let taps: [(Int, Int)]
    /// Each tap's distance from an output pixel to the input it reads, on the padded plane.
    let offsets: [Int]
    /// Output pixels per plane at the padded width; the last K − 1 would read past the plane and are border.
    let positions: Int

    init(_ g: ConvolutionShape) {
        (paddedHeight, paddedWidth) = (g.height + 2 * g.padding, g.width + 2 * g.padding)
        taps = (0..<g.kernel * g.kernel).map { ($0 / g.kernel, $0 % g.kernel) }
        offsets = taps.map { [paddedWidth] ky, kx in ky * paddedWidth + kx }
        positions = g.outHeight * paddedWidth - (g.kernel - 1)
    }

    /// The size of one padded input plane.
    var plane: Int { paddedHeight * paddedWidth }
}

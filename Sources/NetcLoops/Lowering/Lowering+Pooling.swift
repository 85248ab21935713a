import NetcGraph

/// The sizes of one pooling: input `[N, C, H, W]`, output `[N, C, OH, OW]`, square windows without padding.
struct PoolingShape {
    let batch, channels, height, width, size, stride, outHeight, outWidth: Int

    init(input: [Int], _ attributes: PoolAttributes) {
        (batch, channels, height, width) = (input[0], input[1], input[2], input[3])
        (size, stride) = (attributes.size, attributes.stride)
        (outHeight, outWidth) = (attributes.outputLength(height), attributes.outputLength(width))
    }

    /// Whether the windows cover every input element exactly once: size = stride, and the image divides evenly.
    var windowsTileTheInput: Bool {
        size == stride && outHeight * stride == height && outWidth * stride == width
    }

    /// Calls `body` for every output element with its flat index, channel, and its window's flat input
    /// indices in row-major window order; the loop over (image, channel) planes is parallel.
    func forEachWindow(_ builder: inout KernelBuilder, _ body: (inout KernelBuilder, Access, Expr, [Expr]) -> Void) {
        builder.parallelLoop(batch * channels) { builder, plane in
            builder.loop(0..<outHeight) { builder, oy in
                builder.loop(0..<outWidth) { builder, ox in
                    let output = (plane * .integer(outHeight) + oy) * .integer(outWidth) + ox
                    let corner =
                        (plane * .integer(height) + oy * .integer(stride)) * .integer(width) + ox * .integer(stride)
                    let window = (0..<size * size).map { corner + .integer(($0 / size) * width + $0 % size) }
                    let channel = plane % .integer(channels)
                    body(&builder, Access(output, channel: channel), channel, window)
                }
            }
        }
    }
}

extension Lowering {
    /// y = the window's maximum (the first on ties) or mean, run through the epilogue.
    mutating func lowerPooling(_ group: FusionGroup, _ attributes: PoolAttributes, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let x = node.inputs[0]
        let g = PoolingShape(input: graph.type(of: x).shape, attributes)
        let isMax = if case .maxPool = node.op { true } else { false }
        g.forEachWindow(&builder) { builder, output, channel, window in
            let first = element(x, Access(window[0], channel: channel), &builder)
            if isMax {
                let best = builder.local(.float32, first)
                for index in window.dropFirst() {
                    let candidate = builder.local(.float32, element(x, Access(index, channel: channel), &builder))
                    builder.assign(best, .select(.compare(.greater, candidate, best), then: candidate, otherwise: best))
                }
                storeResult(group, best, output, &builder)
            } else {
                let sum = builder.local(.float64, .convert(first, to: .float64))
                for index in window.dropFirst() {
                    let term = element(x, Access(index, channel: channel), &builder)
                    builder.assign(sum, .binary(.add, sum, .convert(term, to: .float64)))
                }
                let mean = Expr.binary(.divide, sum, .f64(Double(window.count)))
                storeResult(group, .convert(mean, to: .float32), output, &builder)
            }
        }
    }

    /// dx: each window's dy added (in `f64`) to its first maximum, or spread evenly over it, then run through
    /// the epilogue.
    mutating func lowerPoolingGradient(
        _ group: FusionGroup, _ attributes: PoolAttributes, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let shape = node.type.shape
        let g = PoolingShape(input: shape, attributes)
        if case .maxPoolBackward = node.op, g.windowsTileTheInput {
            lowerTilingMaxPoolGradient(group, g, &builder)
            return
        }
        let sums = newBuffer("\(node.name).accumulator", .float64, node.type.elementCount)
        let inputPlane = g.height * g.width
        // Every loop is parallel over (image, channel) planes: windows never cross planes, so each thread
        // clears, accumulates and stores only its own planes of the scratch sums.
        builder.parallelLoop(g.batch * g.channels) { builder, plane in
            builder.loop(0..<inputPlane) { builder, p in builder.store(sums, plane * .integer(inputPlane) + p, .f64(0))
            }
        }
        if case .maxPoolBackward = node.op {
            let (x, dy) = (node.inputs[0], node.inputs[1])
            g.forEachWindow(&builder) { builder, output, channel, window in
                let best = builder.local(.float32, element(x, Access(window[0], channel: channel), &builder))
                let bestIndex = builder.local(.int64, window[0])
                for index in window.dropFirst() {
                    let candidate = builder.local(.float32, element(x, Access(index, channel: channel), &builder))
                    let isLarger = builder.local(.bool, .compare(.greater, candidate, best))
                    builder.assign(best, .select(isLarger, then: candidate, otherwise: best))
                    builder.assign(bestIndex, .select(isLarger, then: index, otherwise: bestIndex))
                }
                let gradient = Expr.convert(element(dy, output, &builder), to: .float64)
                builder.store(sums, bestIndex, .binary(.add, .load(sums, index: bestIndex), gradient))
            }
        } else {
            let dy = node.inputs[0]
            g.forEachWindow(&builder) { builder, output, _, window in
                let share = builder.local(
                    .float64,
                    .binary(.divide, .convert(element(dy, output, &builder), to: .float64), .f64(Double(window.count))))
                for index in window {
                    builder.store(sums, index, .binary(.add, .load(sums, index: index), share))
                }
            }
        }
        builder.parallelLoop(g.batch * g.channels) { builder, plane in
            builder.loop(0..<inputPlane) { builder, p in
                let access = Access(plane * .integer(inputPlane) + p, channel: plane % .integer(g.channels))
                storeResult(group, .convert(.load(sums, index: access.flat), to: .float32), access, &builder)
            }
        }
    }

    /// dx of a max pooling whose windows cover the input exactly once (size = stride, dividing the image): one
    /// pass that writes each window's dy at its first maximum and 0 at the rest, through the epilogue, with no
    /// scratch sums (no element receives from two windows).
    private mutating func lowerTilingMaxPoolGradient(
        _ group: FusionGroup, _ g: PoolingShape, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let (x, dy) = (node.inputs[0], node.inputs[1])
        g.forEachWindow(&builder) { builder, output, channel, window in
            let best = builder.local(.float32, element(x, Access(window[0], channel: channel), &builder))
            let bestPosition = builder.local(.int64, 0)
            for (position, index) in window.enumerated().dropFirst() {
                let candidate = builder.local(.float32, element(x, Access(index, channel: channel), &builder))
                let isLarger = builder.local(.bool, .compare(.greater, candidate, best))
                builder.assign(best, .select(isLarger, then: candidate, otherwise: best))
                builder.assign(bestPosition, .select(isLarger, then: .integer(position), otherwise: bestPosition))
            }
            let gradient = builder.local(.float32, element(dy, output, &builder))
            for (position, index) in window.enumerated() {
                let value = Expr.select(
                    .compare(.equal, bestPosition, .integer(position)), then: gradient, otherwise: .f32(0))
                storeResult(group, value, Access(index, channel: channel), &builder)
            }
        }
    }
}

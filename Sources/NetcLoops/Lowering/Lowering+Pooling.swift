import NetcGraph

/// The sizes of one pooling: input `[N, C, H, W]`, output `[N, C, OH, OW]`, square windows that may start in
/// the padding.
struct PoolingShape {
    let batch, channels, height, width, size, stride, padding, outHeight, outWidth: Int

    init(input: [Int], _ attributes: PoolAttributes) {
        (batch, channels, height, width) = (input[0], input[1], input[2], input[3])
        (size, stride, padding) = (attributes.size, attributes.stride, attributes.padding)
        (outHeight, outWidth) = (attributes.outputLength(height), attributes.outputLength(width))
    }

    /// Whether the windows cover every input element exactly once: size = stride, no padding, and the image
    /// divides evenly.
    var windowsTileTheInput: Bool {
        size == stride && padding == 0 && outHeight * stride == height && outWidth * stride == width
    }

    /// Whether the pooling reads padded plane copies (`lowerPaddedPlanePooling` and its gradients): windows that
    /// overlap, skip elements or reach into the padding, over more than one output element.
    var readsPaddedPlanes: Bool { !windowsTileTheInput && outHeight * outWidth > 1 }

    /// One position of a window: the flat input index to read (clamped into the image when the position may lie
    /// in the padding) and whether it lies inside the image, nil when it always does.
    struct Position {
        var index: Expr
        var inside: Expr?
    }

    /// Calls `body` for every output element with its flat index, channel, and its window's positions in
    /// row-major window order; the loop over (image, channel) planes is parallel. With padding, the first
    /// position's clamped index is the window's first position inside the image.
    ///
    /// With `planesPerVector` (from `planesPerVector(lanes:)`), `body` runs for that many planes at once, one per
    /// vector lane, at the same window position; it must then keep to what a vector loop allows
    /// (`LoopKind.vector`): no `when` on the window.
    func forEachWindow(
        _ builder: inout KernelBuilder, planesPerVector: Int? = nil,
        _ body: (inout KernelBuilder, Access, Expr, [Position]) -> Void
    ) {
        let planes = batch * channels
        func atEveryPosition(_ builder: inout KernelBuilder, _ plane: (Expr) -> Expr, lanes: Int?) {
            builder.loop(0..<outHeight) { builder, oy in
                builder.loop(0..<outWidth) { builder, ox in
                    func visit(_ builder: inout KernelBuilder, _ plane: Expr) {
                        let output = (plane * .integer(outHeight) + oy) * .integer(outWidth) + ox
                        let channel = plane % .integer(channels)
                        body(&builder, Access(output, channel: channel), channel, window(plane, oy, ox))
                    }
                    if let lanes {
                        builder.vectorLoop(0..<lanes, lanes: lanes) { builder, lane in visit(&builder, plane(lane)) }
                    } else {
                        visit(&builder, plane(0))
                    }
                }
            }
        }
        if let lanes = planesPerVector {
            builder.parallelLoop(planes / lanes) { builder, block in
                atEveryPosition(&builder, { block * .integer(lanes) + $0 }, lanes: lanes)
            }
        } else {
            builder.parallelLoop(planes) { builder, plane in atEveryPosition(&builder, { _ in plane }, lanes: nil) }
        }
    }

    /// How many planes a vector loop should take at once with `lanes` lanes, nil for one plane at a time: the
    /// loads and stores then gather and scatter across planes, but every compare and select is a vector mask and
    /// a Philox draw (dropout) takes the lanes together, where one plane at a time costs a scalar draw per
    /// element (the reference network's first pooling with dropout: 1.34-1.42 ms of a step one plane at a time,
    /// 0.66-0.71 across planes, Zen 4 with 256-bit vectors). So callers ask only when Philox draws follow: without
    /// them it does not pay, as LLVM scalarises the gathers on x86 CPUs whose gathers are slow and vectorises one
    /// plane's rows itself (that pooling without dropout in inference: 0.065 ms for 50 images one plane at a time,
    /// 0.17-0.23 across planes).
    /// A 1×1 output plane is left to LLVM too, which vectorises the plane loop itself with interleaved loads; a
    /// number of planes `lanes` does not divide, to the scalar loop.
    func planesPerVector(lanes: Int) -> Int? {
        lanes > 1 && (batch * channels) % lanes == 0 && outHeight * outWidth > 1 ? lanes : nil
    }

    private func window(_ plane: Expr, _ oy: Expr, _ ox: Expr) -> [Position] {
        guard padding > 0 else {
            let corner = (plane * .integer(height) + oy * .integer(stride)) * .integer(width) + ox * .integer(stride)
            return (0..<size * size).map { Position(index: corner + .integer(($0 / size) * width + $0 % size)) }
        }
        return (0..<size * size).map { offset in
            let row = oy * .integer(stride) + .integer(offset / size - padding)
            let column = ox * .integer(stride) + .integer(offset % size - padding)
            let conditions: [Expr] = [
                .compare(.greaterOrEqual, row, 0), .compare(.less, row, .integer(height)),
                .compare(.greaterOrEqual, column, 0), .compare(.less, column, .integer(width)),
            ]
            let inside = conditions.dropFirst().reduce(conditions[0]) { .binary(.and, $0, $1) }
            let index =
                (plane * .integer(height) + Self.clamp(row, below: height)) * .integer(width)
                + Self.clamp(column, below: width)
            return Position(index: index, inside: inside)
        }
    }

    /// `position` clamped into `0..<length`.
    static func clamp(_ position: Expr, below length: Int) -> Expr {
        .binary(.maximum, .binary(.minimum, position, .integer(length - 1)), 0)
    }
}

extension Lowering {
    /// y = the window's maximum (the first on ties; padding reads −∞) or its sum over its area (padding reads 0
    /// and counts), run through the epilogue.
    mutating func lowerPooling(_ group: FusionGroup, _ attributes: PoolAttributes, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let x = node.inputs[0]
        let g = PoolingShape(input: graph.type(of: x).shape, attributes)
        let isMax = if case .maxPool = node.op { true } else { false }
        let drawsRandomBits = group.epilogue.contains { if case .dropout = graph[$0].op { true } else { false } }
        if !drawsRandomBits && g.readsPaddedPlanes {
            lowerPaddedPlanePooling(group, attributes, isMax: isMax, &builder)
            return
        }
        let planesPerVector = drawsRandomBits ? g.planesPerVector(lanes: target.lanes()) : nil
        g.forEachWindow(&builder, planesPerVector: planesPerVector) {
            builder, output, channel, window in
            /// The value at a window position, or `outside` in the padding.
            func value(_ position: PoolingShape.Position, outside: Expr, _ builder: inout KernelBuilder) -> Expr {
                let loaded = element(x, Access(position.index, channel: channel), &builder)
                guard let inside = position.inside else { return loaded }
                return .select(inside, then: loaded, otherwise: outside)
            }
            if isMax {
                let best = builder.local(.float32, value(window[0], outside: .f32(-.infinity), &builder))
                for position in window.dropFirst() {
                    let candidate = builder.local(.float32, value(position, outside: .f32(-.infinity), &builder))
                    builder.assign(best, .select(.compare(.greater, candidate, best), then: candidate, otherwise: best))
                }
                storeResult(group, best, output, &builder)
            } else {
                let sum = builder.local(.float64, .convert(value(window[0], outside: .f32(0), &builder), to: .float64))
                for position in window.dropFirst() {
                    let term = value(position, outside: .f32(0), &builder)
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
        let isMax = if case .maxPoolBackward = node.op { true } else { false }
        if isMax, g.windowsTileTheInput {
            lowerTilingMaxPoolGradient(group, g, &builder)
            return
        }
        if g.readsPaddedPlanes {
            if isMax {
                lowerPaddedPlaneMaxPoolGradient(group, attributes, &builder)
            } else {
                lowerPaddedPlaneAvgPoolGradient(group, attributes, &builder)
            }
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
        if isMax {
            let (x, dy) = (node.inputs[0], node.inputs[1])
            g.forEachWindow(&builder) { builder, output, channel, window in
                /// The value at a window position, or −∞ in the padding.
                func value(_ position: PoolingShape.Position, _ builder: inout KernelBuilder) -> Expr {
                    let loaded = element(x, Access(position.index, channel: channel), &builder)
                    guard let inside = position.inside else { return loaded }
                    return .select(inside, then: loaded, otherwise: .f32(-.infinity))
                }
                let best = builder.local(.float32, value(window[0], &builder))
                let bestIndex = builder.local(.int64, window[0].index)
                for position in window.dropFirst() {
                    let candidate = builder.local(.float32, value(position, &builder))
                    let isLarger = builder.local(.bool, .compare(.greater, candidate, best))
                    builder.assign(best, .select(isLarger, then: candidate, otherwise: best))
                    builder.assign(bestIndex, .select(isLarger, then: position.index, otherwise: bestIndex))
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
                for position in window {
                    builder.when(position.inside) { builder in
                        builder.store(sums, position.index, .binary(.add, .load(sums, index: position.index), share))
                    }
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
    /// pass that writes 0 at every position of each window and then its dy at its first maximum, both through the
    /// epilogue, with no scratch sums (no element receives from two windows).
    ///
    /// The maximum's index is chosen with integer selects (conditional moves) and the stores are unconditional:
    /// choosing each stored float by comparing positions made x86 code branch on the data (it has no conditional
    /// move for a float chosen by an integer test), mispredicted about once per window.
    private mutating func lowerTilingMaxPoolGradient(
        _ group: FusionGroup, _ g: PoolingShape, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let (x, dy) = (node.inputs[0], node.inputs[1])
        g.forEachWindow(&builder) { builder, output, channel, window in
            let window = window.map(\.index)
            let best = builder.local(.float32, element(x, Access(window[0], channel: channel), &builder))
            let bestIndex = builder.local(.int64, window[0])
            for index in window.dropFirst() {
                let candidate = builder.local(.float32, element(x, Access(index, channel: channel), &builder))
                let isLarger = builder.local(.bool, .compare(.greater, candidate, best))
                builder.assign(best, .select(isLarger, then: candidate, otherwise: best))
                builder.assign(bestIndex, .select(isLarger, then: index, otherwise: bestIndex))
            }
            let gradient = builder.local(.float32, element(dy, output, &builder))
            for index in window { storeResult(group, .f32(0), Access(index, channel: channel), &builder) }
            storeResult(group, gradient, Access(bestIndex, channel: channel), &builder)
        }
    }
}

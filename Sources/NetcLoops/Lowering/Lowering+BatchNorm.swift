import NetcGraph

/// How the elements of an `[N, C, ...]` tensor map to channels.
struct ChannelShape {
    let batch, channels, plane: Int

    init(_ shape: [Int]) {
        (batch, channels, plane) = (shape[0], shape[1], shape.dropFirst(2).reduce(1, *))
    }

    /// The number of elements of each channel (N·H·W).
    var samples: Int { batch * plane }

    /// Calls `body` for every element of channel `c`, batch outer, with its access.
    func forEachSample(of c: Expr, _ builder: inout KernelBuilder, _ body: (inout KernelBuilder, Access) -> Void) {
        builder.loop(0..<batch) { builder, n in
            builder.loop(0..<plane) { builder, p in
                body(&builder, Access((n * .integer(channels) + c) * .integer(plane) + p, channel: c))
            }
        }
    }

    /// The most vectors of a plane one lane sums in `f32` before adding the run's sum to its `f64` total: 64 terms
    /// keep the `f32` rounding near 64·2⁻²⁴ of their magnitudes, however large the plane.
    static let runLength = 64

    /// Sums each of the `f32` terms `terms` gives for every element of channel `c`: a vector loop of `lanes` running
    /// sums per term (lane l takes the elements p ≡ l mod `lanes` of every plane, the batch outer), each adding runs
    /// of at most `runLength` vectors in `f32` and then the run's sum to an `f64` total; the totals are written to
    /// `scratch` (`count · lanes` values at `c · count · lanes`), then added pairwise; the elements past the last
    /// whole vector of each plane go to one more `f64` sum, added last. The order is fixed by the shape alone, so the
    /// result does not depend on threads. Returns the `f64` sums.
    func sums(
        of c: Expr, count: Int, lanes: Int, scratch: BufferID, _ builder: inout KernelBuilder,
        _ terms: (inout KernelBuilder, Access) -> [Expr]
    ) -> [Expr] {
        let (vectors, tail) = plane.quotientAndRemainder(dividingBy: lanes)
        let first = c * .integer(count * lanes)
        func access(_ n: Expr, _ p: Expr) -> Access {
            Access((n * .integer(channels) + c) * .integer(plane) + p, channel: c)
        }
        if vectors > 0 {
            builder.vectorLoop(0..<lanes, lanes: lanes) { builder, lane in
                let partial = (0..<count).map { _ in builder.local(.float64, .f64(0)) }
                builder.loop(0..<batch) { builder, n in
                    for start in stride(from: 0, to: vectors, by: Self.runLength) {
                        let run = (0..<count).map { _ in builder.local(.float32, .f32(0)) }
                        builder.loop(start..<min(vectors, start + Self.runLength)) { builder, block in
                            let values = terms(&builder, access(n, block * .integer(lanes) + lane))
                            for (sum, value) in zip(run, values) { builder.assign(sum, .binary(.add, sum, value)) }
                        }
                        for (sum, value) in zip(partial, run) {
                            builder.assign(sum, .binary(.add, sum, .convert(value, to: .float64)))
                        }
                    }
                }
                for (k, sum) in partial.enumerated() { builder.store(scratch, first + .integer(k * lanes) + lane, sum) }
            }
        }
        let rest = (0..<count).map { _ in builder.local(.float64, .f64(0)) }
        if tail > 0 {
            builder.loop(0..<batch) { builder, n in
                builder.loop(vectors * lanes..<plane) { builder, p in
                    let values = terms(&builder, access(n, p))
                    for (sum, value) in zip(rest, values) {
                        builder.assign(sum, .binary(.add, sum, .convert(value, to: .float64)))
                    }
                }
            }
        }
        return (0..<count).map { k in
            var level: [Expr] =
                vectors > 0 ? (0..<lanes).map { .load(scratch, index: first + .integer(k * lanes + $0)) } : []
            while level.count > 1 {
                level =
                    stride(from: 0, to: level.count - 1, by: 2).map { .binary(.add, level[$0], level[$0 + 1]) }
                    + (level.count % 2 == 1 ? [level[level.count - 1]] : [])
            }
            let total = level.first.map { tail > 0 ? .binary(.add, $0, rest[k]) : $0 } ?? rest[k]
            return builder.local(.float64, total)
        }
    }
}

extension Lowering {
    /// Per channel, the mean and then the biased variance (Σ(x − mean)², in lanes: `ChannelShape.sums`),
    /// then the running averages that read them: the whole statistics of a channel in one kernel. When the
    /// convolution storing x summed it already (`ChannelStatistics`), the mean and variance come from those sums
    /// (variance = Σx²/M − mean², in `f64`) without reading x.
    mutating func lowerMoments(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let x = graph[group.root].inputs[0]
        let shape = ChannelShape(graph.type(of: x).shape)
        let moments = buffer(group.root)
        let count = Expr.f64(Double(shape.samples))
        if let statistics = statisticsBuffers[x] {
            builder.parallelLoop(shape.channels) { builder, c in
                let totals = (0..<2).map { moment in
                    let total = builder.local(.float64, .f64(0))
                    builder.loop(0..<statistics.parts) { builder, part in
                        builder.loop(0..<statistics.columns) { builder, column in
                            let slot = statistics.index(part: part, moment: moment, channel: c, column: column)
                            builder.assign(total, .binary(.add, total, .load(statistics.buffer, index: slot)))
                        }
                    }
                    return total
                }
                let mean = builder.local(.float64, .binary(.divide, totals[0], count))
                let variance = Expr.binary(
                    .maximum, .binary(.subtract, .binary(.divide, totals[1], count), .binary(.multiply, mean, mean)),
                    .f64(0))
                builder.store(moments, c, .convert(mean, to: .float32))
                builder.store(moments, .integer(shape.channels) + c, .convert(variance, to: .float32))
                computeAndStore(Array(group.members.dropFirst()), Access(c, channel: c), &builder)
            }
            return
        }
        let lanes = target.lanes()
        let scratch = newBuffer("\(graph[group.root].name).lanes", .float64, shape.channels * lanes)
        builder.parallelLoop(shape.channels) { builder, c in
            let sum = shape.sums(of: c, count: 1, lanes: lanes, scratch: scratch, &builder) { builder, access in
                [element(x, access, &builder)]
            }[0]
            let mean = builder.local(.float64, .binary(.divide, sum, count))
            let centre = builder.local(.float32, .convert(mean, to: .float32))
            let squares = shape.sums(of: c, count: 1, lanes: lanes, scratch: scratch, &builder) { builder, access in
                let deviation = builder.local(.float32, element(x, access, &builder) - centre)
                return [.binary(.multiply, deviation, deviation)]
            }[0]
            let variance = Expr.binary(.divide, squares, count)
            builder.store(moments, c, .convert(mean, to: .float32))
            builder.store(moments, .integer(shape.channels) + c, .convert(variance, to: .float32))
            computeAndStore(Array(group.members.dropFirst()), Access(c, channel: c), &builder)
        }
    }

    /// Per channel, Σdy and Σdy·x̂ in one pass (`ChannelShape.sums`; stored as the beta and gamma gradients when the graph
    /// has them), then dx = γ·invstd/M · (M·dy − Σdy − x̂·Σdy·x̂) through the epilogue, as `f32` multiply-adds
    /// with per-channel coefficients computed in `f64`. With a fused weight gradient (`FusionGroup.weightGradient`)
    /// the second pass feeds dx to that convolution's sums (`sumPixelWeightGradients`, one channel at a time, with
    /// the bias gradients' sums) instead of storing it; the padded input it reads is the returned preparation kernel.
    /// Both passes run in the widest vectors the CPU has: on a Zen 4, the second in 16 lanes took 1.71 ms of the
    /// reference network's step against 1.89 with 8; the first's sums, one `f32` run per lane each adding a vector
    /// after the other, wait on each addition, and 16 lanes halve the waits (1.36 → 1.26 ms with the second pass).
    mutating func lowerBatchNormBackward(
        _ group: FusionGroup, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        guard case .batchNormTrainingBackward(let epsilon) = node.op else { preconditionFailure("not BatchNorm") }
        let (x, moments, gamma, dy) = (node.inputs[0], node.inputs[1], node.inputs[2], node.inputs[3])
        let shape = ChannelShape(graph.type(of: x).shape)
        let count = Double(shape.samples)
        let lanes = target.widestVectorBits / 32
        let scratch = newBuffer("\(node.name).lanes", .float64, shape.channels * 2 * lanes)
        let fused = group.weightGradient.map { fusedWeightGradient($0, gradientSums: !group.outputSums.isEmpty, name) }
        let outputScratch =
            fused == nil && !group.outputSums.isEmpty
            ? newBuffer("\(node.name).output_lanes", .float64, shape.channels * lanes) : nil
        builder.parallelLoop(shape.channels) { builder, c in
            let (mean, inverseDeviation) = statistics(moments, c, channels: shape.channels, epsilon: epsilon, &builder)
            let centre = builder.local(.float32, .convert(mean, to: .float32))
            let sums = shape.sums(of: c, count: 2, lanes: lanes, scratch: scratch, &builder) { builder, access in
                let gradient = builder.local(.float32, element(dy, access, &builder))
                return [gradient, .binary(.multiply, gradient, element(x, access, &builder) - centre)]
            }
            let gradientSum = sums[0]
            // Σdy·x̂ = invstd·Σdy·(x − mean).
            let scaledSum = builder.local(.float64, .binary(.multiply, sums[1], inverseDeviation))
            for sibling in group.members.dropFirst() {
                let sum = if case .sumToChannels = graph[sibling].op { gradientSum } else { scaledSum }
                builder.store(buffer(sibling), c, .convert(sum, to: .float32))
            }
            // dx = γ·invstd/M · (M·dy − Σdy − x̂·Σdy·x̂) = a·dy + b·(x − mean) + c per channel, with a, b and c
            // computed in `f64` and applied as `f32` multiply-adds.
            let factor = builder.local(
                .float64,
                .binary(
                    .divide,
                    .binary(.multiply, .convert(element(gamma, Access(c), &builder), to: .float64), inverseDeviation),
                    .f64(count)))
            let a = builder.local(.float32, .convert(.binary(.multiply, factor, .f64(count)), to: .float32))
            let b = builder.local(
                .float32,
                .convert(
                    .binary(
                        .multiply, .f64(-1), .binary(.multiply, factor, .binary(.multiply, scaledSum, inverseDeviation))
                    ),
                    to: .float32))
            let shift = builder.local(
                .float32, .convert(.binary(.multiply, .f64(-1), .binary(.multiply, factor, gradientSum)), to: .float32))
            /// dx for one element.
            func inputGradient(_ builder: inout KernelBuilder, _ access: Access) -> Expr {
                let deviation = Expr.binary(.subtract, element(x, access, &builder), centre)
                return .multiplyAdd(a, element(dy, access, &builder), .multiplyAdd(b, deviation, shift))
            }
            /// dx for one element, stored through the epilogue; returns the value stored.
            func gradient(_ builder: inout KernelBuilder, _ access: Access) -> Expr {
                storeResult(group, inputGradient(&builder, access), access, &builder)
            }
            if let fused, let weightGradient = group.weightGradient {
                let g = fused.shape
                sumPixelWeightGradients(
                    g, input: fused.input.buffer, channels: [c], lanes: lanes,
                    gradientSums: !group.outputSums.isEmpty,
                    totals: fused.totals, &builder
                ) { builder, n, c, oy, ox in
                    let access = Access(g.outputIndex(n, c, oy, ox), channel: c)
                    return epilogueResult(group, inputGradient(&builder, access), access, &builder)
                } finish: { builder, c, slot, total in
                    let value = Expr.convert(total, to: .float32)
                    guard slot < g.taps else {
                        for sum in group.outputSums { builder.store(buffer(sum), c, value) }
                        return
                    }
                    let (ci, offset) = slot.quotientAndRemainder(dividingBy: g.kernel * g.kernel)
                    let (ky, kx) = offset.quotientAndRemainder(dividingBy: g.kernel)
                    let index = g.weightIndex(c, .integer(ci), .integer(ky), .integer(kx))
                    builder.store(buffer(weightGradient), index, value)
                }
                return
            }
            guard let outputScratch else {
                shape.forEachSample(of: c, &builder) { builder, access in _ = gradient(&builder, access) }
                return
            }
            // The same pass sums what it stores, per channel: the bias gradient of the layer before.
            let total = shape.sums(of: c, count: 1, lanes: lanes, scratch: outputScratch, &builder) { builder, access in
                [gradient(&builder, access)]
            }[0]
            for sum in group.outputSums { builder.store(buffer(sum), c, .convert(total, to: .float32)) }
        }
        return fused.map { [$0.input.kernel] } ?? []
    }

    /// The shape, padded input and scratch of a pixel-vectorised weight gradient a BatchNorm backward pass sums.
    private mutating func fusedWeightGradient(
        _ value: ValueID, gradientSums: Bool, _ name: String
    ) -> (shape: ConvolutionShape, input: (kernel: Kernel, buffer: BufferID), totals: BufferID) {
        let node = graph[value]
        guard case .conv2DBackwardWeight(let attributes) = node.op else { preconditionFailure("not a weight gradient") }
        let (x, dy) = (node.inputs[0], node.inputs[1])
        let g = ConvolutionShape(
            input: graph.type(of: x).shape, outChannels: graph.type(of: dy).shape[1], attributes)
        return (
            g, paddedInput(x, g, name: name),
            pixelWeightGradientTotals(g, gradientSums: gradientSums, name: node.name)
        )
    }

    /// Per channel Σ t (`sumToChannels`) or Σ dy·x̂ = invstd·Σ dy·(x − mean) (`batchNormScaleGradient`), summed as
    /// `ChannelShape.sums` does.
    mutating func lowerChannelSums(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let t = node.inputs[0]
        let shape = ChannelShape(graph.type(of: t).shape)
        let lanes = target.lanes()
        let scratch = newBuffer("\(node.name).lanes", .float64, shape.channels * lanes)
        builder.parallelLoop(shape.channels) { builder, c in
            guard case .batchNormScaleGradient(let epsilon) = node.op else {
                let sum = shape.sums(of: c, count: 1, lanes: lanes, scratch: scratch, &builder) { builder, access in
                    [element(t, access, &builder)]
                }[0]
                storeResult(group, .convert(sum, to: .float32), Access(c, channel: c), &builder)
                return
            }
            let (mean, inverseDeviation) = statistics(
                node.inputs[1], c, channels: shape.channels, epsilon: epsilon, &builder)
            let centre = builder.local(.float32, .convert(mean, to: .float32))
            let sum = shape.sums(of: c, count: 1, lanes: lanes, scratch: scratch, &builder) { builder, access in
                [.binary(.multiply, element(node.inputs[2], access, &builder), element(t, access, &builder) - centre)]
            }[0]
            let scaled = Expr.binary(.multiply, sum, inverseDeviation)
            storeResult(group, .convert(scaled, to: .float32), Access(c, channel: c), &builder)
        }
    }

    /// Channel `c`'s mean and 1/√(variance + ε) from a `[2, C]` moments value, as `f64` locals.
    private func statistics(
        _ moments: ValueID, _ c: Expr, channels: Int, epsilon: Double, _ builder: inout KernelBuilder
    ) -> (mean: Expr, inverseDeviation: Expr) {
        let mean = builder.local(.float64, .convert(element(moments, Access(c), &builder), to: .float64))
        let variance = Expr.convert(element(moments, Access(.integer(channels) + c), &builder), to: .float64)
        let inverseDeviation = builder.local(
            .float64, .binary(.divide, .f64(1), .unary(.sqrt, .binary(.add, variance, .f64(epsilon)))))
        return (mean, inverseDeviation)
    }
}

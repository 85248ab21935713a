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

    /// How many running sums a reduction over a channel keeps: the widest of 8, 4, 2 that divides the plane.
    var lanes: Int { [8, 4, 2].first { plane % $0 == 0 } ?? 1 }

    /// Sums each of the `f64` terms `terms` gives for every element of channel `c`, each into `lanes`
    /// interleaved locals (element p of a plane goes to sum p mod lanes), so the additions form independent
    /// chains that vectorise, in an order fixed by the shape alone; returns each total, lanes added pairwise.
    func sums(
        of c: Expr, count: Int, _ builder: inout KernelBuilder, _ terms: (inout KernelBuilder, Access) -> [Expr]
    ) -> [Expr] {
        let lanes = self.lanes
        let partial = (0..<count).map { _ in (0..<lanes).map { _ in builder.local(.float64, .f64(0)) } }
        builder.loop(0..<batch) { builder, n in
            builder.loop(0..<plane / lanes) { builder, block in
                for lane in 0..<lanes {
                    let p = block * .integer(lanes) + .integer(lane)
                    let values = terms(&builder, Access((n * .integer(channels) + c) * .integer(plane) + p, channel: c))
                    for (sums, value) in zip(partial, values) {
                        builder.assign(sums[lane], .binary(.add, sums[lane], value))
                    }
                }
            }
        }
        return partial.map { sums in
            var level = sums
            while level.count > 1 {
                level = stride(from: 0, to: level.count, by: 2).map { .binary(.add, level[$0], level[$0 + 1]) }
            }
            return builder.local(.float64, level[0])
        }
    }
}

extension Lowering {
    /// Per channel, the mean and then the biased variance (Σ(x − mean)², in `f64` lanes: `ChannelShape.sums`),
    /// then the running averages that read them: the whole statistics of a channel in one kernel.
    mutating func lowerMoments(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let x = graph[group.root].inputs[0]
        let shape = ChannelShape(graph.type(of: x).shape)
        let moments = buffer(group.root)
        let count = Expr.f64(Double(shape.samples))
        builder.parallelLoop(shape.channels) { builder, c in
            let sum = shape.sums(of: c, count: 1, &builder) { builder, access in
                [.convert(element(x, access, &builder), to: .float64)]
            }[0]
            let mean = builder.local(.float64, .binary(.divide, sum, count))
            let squares = shape.sums(of: c, count: 1, &builder) { builder, access in
                let deviation = builder.local(.float64, .convert(element(x, access, &builder), to: .float64) - mean)
                return [.binary(.multiply, deviation, deviation)]
            }[0]
            let variance = Expr.binary(.divide, squares, count)
            builder.store(moments, c, .convert(mean, to: .float32))
            builder.store(moments, .integer(shape.channels) + c, .convert(variance, to: .float32))
            computeAndStore(Array(group.members.dropFirst()), Access(c, channel: c), &builder)
        }
    }

    /// Per channel, Σdy and Σdy·x̂ in one pass in `f64` (stored as the beta and gamma gradients when the graph
    /// has them), then dx = γ·invstd/M · (M·dy − Σdy − x̂·Σdy·x̂) through the epilogue, as `f32` multiply-adds
    /// with per-channel coefficients computed in `f64`.
    mutating func lowerBatchNormBackward(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        guard case .batchNormTrainingBackward(let epsilon) = node.op else { preconditionFailure("not BatchNorm") }
        let (x, moments, gamma, dy) = (node.inputs[0], node.inputs[1], node.inputs[2], node.inputs[3])
        let shape = ChannelShape(graph.type(of: x).shape)
        let count = Double(shape.samples)
        builder.parallelLoop(shape.channels) { builder, c in
            let (mean, inverseDeviation) = statistics(moments, c, channels: shape.channels, epsilon: epsilon, &builder)
            let sums = shape.sums(of: c, count: 2, &builder) { builder, access in
                let gradient = builder.local(.float64, .convert(element(dy, access, &builder), to: .float64))
                let normalized = normalizedInput(x, access, mean: mean, inverseDeviation: inverseDeviation, &builder)
                return [gradient, .binary(.multiply, gradient, normalized)]
            }
            let (gradientSum, scaledSum) = (sums[0], sums[1])
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
            let centre = builder.local(.float32, .convert(mean, to: .float32))
            shape.forEachSample(of: c, &builder) { builder, access in
                let deviation = Expr.binary(.subtract, element(x, access, &builder), centre)
                let value = Expr.multiplyAdd(a, element(dy, access, &builder), .multiplyAdd(b, deviation, shift))
                storeResult(group, value, access, &builder)
            }
        }
    }

    /// Per channel Σ t (`sumToChannels`) or Σ dy·x̂ (`batchNormScaleGradient`) in `f64`.
    mutating func lowerChannelSums(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let t = node.inputs[0]
        let shape = ChannelShape(graph.type(of: t).shape)
        builder.parallelLoop(shape.channels) { builder, c in
            var normalization: (mean: Expr, inverseDeviation: Expr)?
            if case .batchNormScaleGradient(let epsilon) = node.op {
                normalization = statistics(node.inputs[1], c, channels: shape.channels, epsilon: epsilon, &builder)
            }
            let sum = shape.sums(of: c, count: 1, &builder) { builder, access in
                guard let normalization else { return [.convert(element(t, access, &builder), to: .float64)] }
                let gradient = Expr.convert(element(node.inputs[2], access, &builder), to: .float64)
                let normalized = normalizedInput(
                    t, access, mean: normalization.mean, inverseDeviation: normalization.inverseDeviation, &builder)
                return [.binary(.multiply, gradient, normalized)]
            }[0]
            storeResult(group, .convert(sum, to: .float32), Access(c, channel: c), &builder)
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

    /// x̂ = (x − mean)·invstd for one element, as an `f64` local.
    private func normalizedInput(
        _ x: ValueID, _ access: Access, mean: Expr, inverseDeviation: Expr, _ builder: inout KernelBuilder
    ) -> Expr {
        let input = Expr.convert(element(x, access, &builder), to: .float64)
        return builder.local(.float64, .binary(.multiply, .binary(.subtract, input, mean), inverseDeviation))
    }
}

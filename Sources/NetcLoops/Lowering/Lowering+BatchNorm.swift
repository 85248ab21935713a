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
}

extension Lowering {
    /// Per channel, the mean and then the biased variance (Σ(x − mean)², in `f64` as the interpreter sums),
    /// then the running averages that read them: the whole statistics of a channel in one kernel.
    mutating func lowerMoments(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let x = graph[group.root].inputs[0]
        let shape = ChannelShape(graph.type(of: x).shape)
        let moments = buffer(group.root)
        let count = Expr.f64(Double(shape.samples))
        builder.loop(0..<shape.channels) { builder, c in
            let sum = builder.local(.float64, .f64(0))
            shape.forEachSample(of: c, &builder) { builder, access in
                builder.assign(sum, sum + .convert(element(x, access, &builder), to: .float64))
            }
            let mean = builder.local(.float64, .binary(.divide, sum, count))
            let squares = builder.local(.float64, .f64(0))
            shape.forEachSample(of: c, &builder) { builder, access in
                let deviation = builder.local(.float64, .convert(element(x, access, &builder), to: .float64) - mean)
                builder.assign(squares, squares + .binary(.multiply, deviation, deviation))
            }
            let variance = Expr.binary(.divide, squares, count)
            builder.store(moments, c, .convert(mean, to: .float32))
            builder.store(moments, .integer(shape.channels) + c, .convert(variance, to: .float32))
            computeAndStore(Array(group.members.dropFirst()), Access(c, channel: c), &builder)
        }
    }

    /// Per channel, Σdy and Σdy·x̂ in one pass (stored as the beta and gamma gradients when the graph has
    /// them), then dx = γ·invstd/M · (M·dy − Σdy − x̂·Σdy·x̂) through the epilogue, all in `f64`.
    mutating func lowerBatchNormBackward(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        guard case .batchNormTrainingBackward(let epsilon) = node.op else { preconditionFailure("not BatchNorm") }
        let (x, moments, gamma, dy) = (node.inputs[0], node.inputs[1], node.inputs[2], node.inputs[3])
        let shape = ChannelShape(graph.type(of: x).shape)
        let count = Double(shape.samples)
        builder.loop(0..<shape.channels) { builder, c in
            let (mean, inverseDeviation) = statistics(moments, c, channels: shape.channels, epsilon: epsilon, &builder)
            let gradientSum = builder.local(.float64, .f64(0))
            let scaledSum = builder.local(.float64, .f64(0))
            shape.forEachSample(of: c, &builder) { builder, access in
                let gradient = builder.local(.float64, .convert(element(dy, access, &builder), to: .float64))
                let normalized = normalizedInput(x, access, mean: mean, inverseDeviation: inverseDeviation, &builder)
                builder.assign(gradientSum, gradientSum + gradient)
                builder.assign(scaledSum, scaledSum + .binary(.multiply, gradient, normalized))
            }
            for sibling in group.members.dropFirst() {
                let sum = if case .sumToChannels = graph[sibling].op { gradientSum } else { scaledSum }
                builder.store(buffer(sibling), c, .convert(sum, to: .float32))
            }
            let factor = builder.local(
                .float64,
                .binary(.divide, .binary(.multiply, .convert(element(gamma, Access(c), &builder), to: .float64), inverseDeviation), .f64(count)))
            shape.forEachSample(of: c, &builder) { builder, access in
                let gradient = Expr.convert(element(dy, access, &builder), to: .float64)
                let normalized = normalizedInput(x, access, mean: mean, inverseDeviation: inverseDeviation, &builder)
                let centred = Expr.binary(
                    .subtract, .binary(.subtract, .binary(.multiply, .f64(count), gradient), gradientSum),
                    .binary(.multiply, normalized, scaledSum))
                storeResult(group, .convert(.binary(.multiply, factor, centred), to: .float32), access, &builder)
            }
        }
    }

    /// Per channel Σ t (`sumToChannels`) or Σ dy·x̂ (`batchNormScaleGradient`) in `f64`.
    mutating func lowerChannelSums(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let t = node.inputs[0]
        let shape = ChannelShape(graph.type(of: t).shape)
        builder.loop(0..<shape.channels) { builder, c in
            let sum = builder.local(.float64, .f64(0))
            var normalization: (mean: Expr, inverseDeviation: Expr)?
            if case .batchNormScaleGradient(let epsilon) = node.op {
                normalization = statistics(node.inputs[1], c, channels: shape.channels, epsilon: epsilon, &builder)
            }
            shape.forEachSample(of: c, &builder) { builder, access in
                if let normalization {
                    let gradient = Expr.convert(element(node.inputs[2], access, &builder), to: .float64)
                    let normalized = normalizedInput(
                        t, access, mean: normalization.mean, inverseDeviation: normalization.inverseDeviation, &builder)
                    builder.assign(sum, sum + .binary(.multiply, gradient, normalized))
                } else {
                    builder.assign(sum, .binary(.add, sum, .convert(element(t, access, &builder), to: .float64)))
                }
            }
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

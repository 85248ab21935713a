import NetcGraph

extension Lowering {
    /// y[n, c] = Σ_p x[n, c, p] / (H·W), summed in `f64` in plane order, then the epilogue; parallel over images.
    mutating func lowerGlobalAvgPool(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let x = graph[group.root].inputs[0]
        let shape = ChannelShape(graph.type(of: x).shape)
        builder.parallelLoop(shape.batch) { builder, n in
            builder.loop(0..<shape.channels) { builder, c in
                let planeStart = (n * .integer(shape.channels) + c) * .integer(shape.plane)
                let sum = builder.local(.float64, .f64(0))
                builder.loop(0..<shape.plane) { builder, p in
                    let value = element(x, Access(planeStart + p, channel: c), &builder)
                    builder.assign(sum, .binary(.add, sum, .convert(value, to: .float64)))
                }
                let mean = Expr.binary(.divide, sum, .f64(Double(shape.plane)))
                storeResult(
                    group, .convert(mean, to: .float32), Access(n * .integer(shape.channels) + c, channel: c), &builder)
            }
        }
    }

    /// dx[n, c, p] = dy[n, c] / (H·W), through the epilogue.
    mutating func lowerGlobalAvgPoolGradient(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let dy = node.inputs[0]
        let shape = ChannelShape(node.type.shape)
        builder.parallelLoop(shape.batch) { builder, n in
            builder.loop(0..<shape.channels) { builder, c in
                let gradient = Expr.convert(
                    element(dy, Access(n * .integer(shape.channels) + c, channel: c), &builder), to: .float64)
                let share = builder.local(
                    .float32, .convert(.binary(.divide, gradient, .f64(Double(shape.plane))), to: .float32))
                planeLoop(shape.plane, &builder) { builder, p in
                    let access = Access((n * .integer(shape.channels) + c) * .integer(shape.plane) + p, channel: c)
                    storeResult(group, share, access, &builder)
                }
            }
        }
    }
}

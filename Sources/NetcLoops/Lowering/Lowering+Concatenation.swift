import NetcGraph

extension Lowering {
    /// y[n, offset(i) + c] = x_i[n, c] for each input i in order, then the epilogue: a copy whose inputs may be
    /// computed on the fly (a branch's last BatchNorm or activation) instead of stored.
    mutating func lowerConcat(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let output = ChannelShape(node.type.shape)
        builder.parallelLoop(output.batch) { builder, n in
            var offset = 0
            for input in node.inputs {
                let channels = graph.type(of: input).shape[1]
                builder.loop(0..<channels) { builder, c in
                    let target = c + .integer(offset)
                    builder.loop(0..<output.plane) { builder, p in
                        let value = element(
                            input, Access((n * .integer(channels) + c) * .integer(output.plane) + p, channel: c),
                            &builder)
                        let access = Access(
                            (n * .integer(output.channels) + target) * .integer(output.plane) + p, channel: target)
                        storeResult(group, value, access, &builder)
                    }
                }
                offset += channels
            }
        }
    }

    /// y[n, c] = t[n, start + c] for c < count, then the epilogue: one input's share of a concatenation's gradient.
    mutating func lowerChannelSlice(_ group: FusionGroup, start: Int, count: Int, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let t = node.inputs[0]
        let source = ChannelShape(graph.type(of: t).shape)
        builder.parallelLoop(source.batch) { builder, n in
            builder.loop(0..<count) { builder, c in
                let channel = c + .integer(start)
                builder.loop(0..<source.plane) { builder, p in
                    let value = element(
                        t,
                        Access(
                            (n * .integer(source.channels) + channel) * .integer(source.plane) + p, channel: channel),
                        &builder)
                    storeResult(
                        group, value, Access((n * .integer(count) + c) * .integer(source.plane) + p, channel: c),
                        &builder)
                }
            }
        }
    }
}

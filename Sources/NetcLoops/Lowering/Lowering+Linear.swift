import NetcGraph

extension Lowering {
    /// y[n, o] = b[o] + Σ_f x[n, f] · w[o, f], summed in `f64`.
    mutating func lowerLinear(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let (x, w) = (node.inputs[0], node.inputs[1])
        let bias = node.inputs.count > 2 ? node.inputs[2] : nil
        let (batch, features, outputs) = (
            graph.type(of: x).shape[0], graph.type(of: x).shape[1], graph.type(of: w).shape[0]
        )
        builder.parallelLoop(batch) { builder, n in
            builder.loop(0..<outputs) { builder, o in
                let start: Expr = bias.map { .convert(element($0, Access(o), &builder), to: .float64) } ?? .f64(0)
                let sum = builder.local(.float64, start)
                builder.loop(0..<features) { builder, f in
                    let input = element(x, Access(n * .integer(features) + f), &builder)
                    let weight = element(w, Access(o * .integer(features) + f), &builder)
                    builder.assign(sum, sum + product(input, weight))
                }
                storeResult(group, .convert(sum, to: .float32), Access(n * .integer(outputs) + o, channel: o), &builder)
            }
        }
    }

    /// dx[n, f] = Σ_o dy[n, o] · w[o, f], summed in `f64`.
    mutating func lowerLinearInputGradient(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let (dy, w) = (node.inputs[0], node.inputs[1])
        let (batch, outputs, features) = (
            graph.type(of: dy).shape[0], graph.type(of: dy).shape[1], graph.type(of: w).shape[1]
        )
        builder.parallelLoop(batch) { builder, n in
            builder.loop(0..<features) { builder, f in
                let sum = builder.local(.float64, .f64(0))
                builder.loop(0..<outputs) { builder, o in
                    let gradient = element(dy, Access(n * .integer(outputs) + o), &builder)
                    let weight = element(w, Access(o * .integer(features) + f), &builder)
                    builder.assign(sum, sum + product(gradient, weight))
                }
                storeResult(
                    group, .convert(sum, to: .float32), Access(n * .integer(features) + f, channel: f), &builder)
            }
        }
    }

    /// dw[o, f] = Σ_n dy[n, o] · x[n, f], summed in `f64`.
    mutating func lowerLinearWeightGradient(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let (x, dy) = (node.inputs[0], node.inputs[1])
        let (batch, features, outputs) = (
            graph.type(of: x).shape[0], graph.type(of: x).shape[1], graph.type(of: dy).shape[1]
        )
        builder.parallelLoop(outputs) { builder, o in
            builder.loop(0..<features) { builder, f in
                let sum = builder.local(.float64, .f64(0))
                builder.loop(0..<batch) { builder, n in
                    let gradient = element(dy, Access(n * .integer(outputs) + o), &builder)
                    let input = element(x, Access(n * .integer(features) + f), &builder)
                    builder.assign(sum, sum + product(gradient, input))
                }
                storeResult(
                    group, .convert(sum, to: .float32), Access(o * .integer(features) + f, channel: f), &builder)
            }
        }
    }
}

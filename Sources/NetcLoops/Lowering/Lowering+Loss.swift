import NetcGraph

extension Lowering {
    /// loss = mean over the batch of log Σ_j exp(logits[n, j]) − Σ_j q[n, j]·logits[n, j], in `f64`, with the
    /// smoothed target q (the interpreter's `softmaxCrossEntropy`); without smoothing the sum is the label's logit.
    mutating func lowerLoss(_ group: FusionGroup, labelSmoothing: Double, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let (logits, labels) = (node.inputs[0], node.inputs[1])
        let (batch, classes) = (graph.type(of: logits).shape[0], graph.type(of: logits).shape[1])
        let total = builder.local(.float64, .f64(0))
        builder.loop(0..<batch) { builder, n in
            let normalizer = logSumExp(logits, row: n, classes: classes, &builder)
            let label = Expr.convert(element(labels, Access(n), &builder), to: .int64)
            let target: Expr
            if labelSmoothing == 0 {
                target = .convert(element(logits, Access(n * .integer(classes) + label), &builder), to: .float64)
            } else {
                let label = builder.local(.int64, label)
                target = builder.local(.float64, .f64(0))
                builder.loop(0..<classes) { builder, j in
                    let logit = Expr.convert(element(logits, Access(n * .integer(classes) + j), &builder), to: .float64)
                    let weight = smoothedTarget(j, label: label, classes: classes, labelSmoothing)
                    builder.assign(target, .binary(.add, target, .binary(.multiply, weight, logit)))
                }
            }
            builder.assign(total, .binary(.add, total, .binary(.subtract, normalizer, target)))
        }
        storeResult(group, .convert(.binary(.divide, total, .f64(Double(batch))), to: .float32), Access(0), &builder)
    }

    /// dlogits[n, j] = (softmax(logits[n])[j] − q[n, j]) · dloss / N, in `f64`, q the smoothed target.
    mutating func lowerLossGradient(_ group: FusionGroup, labelSmoothing: Double, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let (logits, labels, lossGradient) = (node.inputs[0], node.inputs[1], node.inputs[2])
        let (batch, classes) = (graph.type(of: logits).shape[0], graph.type(of: logits).shape[1])
        let scale = builder.local(
            .float64,
            .binary(.divide, .convert(element(lossGradient, Access(0), &builder), to: .float64), .f64(Double(batch))))
        builder.loop(0..<batch) { builder, n in
            let normalizer = logSumExp(logits, row: n, classes: classes, &builder)
            let label = builder.local(.int64, .convert(element(labels, Access(n), &builder), to: .int64))
            builder.loop(0..<classes) { builder, j in
                let index = n * .integer(classes) + j
                let logit = Expr.convert(element(logits, Access(index), &builder), to: .float64)
                let probability = Expr.unary(.exp, .binary(.subtract, logit, normalizer))
                let target = smoothedTarget(j, label: label, classes: classes, labelSmoothing)
                let gradient = Expr.binary(.multiply, .binary(.subtract, probability, target), scale)
                storeResult(group, .convert(gradient, to: .float32), Access(index, channel: j), &builder)
            }
        }
    }

    /// The smoothed target of class `j` for `label`, (1 − ε)·[j = label] + ε/C, as the interpreter rounds it.
    private func smoothedTarget(_ j: Expr, label: Expr, classes: Int, _ smoothing: Double) -> Expr {
        let spread = smoothing / Double(classes)
        return .select(.compare(.equal, j, label), then: .f64((1 - smoothing) + spread), otherwise: .f64(0 + spread))
    }

    /// max + log Σ exp(v − max) over row `n` of `logits`, as an `f64` local.
    private func logSumExp(_ logits: ValueID, row n: Expr, classes: Int, _ builder: inout KernelBuilder) -> Expr {
        let rowStart = n * .integer(classes)
        let largest = builder.local(.float32, element(logits, Access(rowStart), &builder))
        builder.loop(1..<classes) { builder, j in
            let candidate = builder.local(.float32, element(logits, Access(rowStart + j), &builder))
            builder.assign(
                largest, .select(.compare(.greater, candidate, largest), then: candidate, otherwise: largest))
        }
        let widest = Expr.convert(largest, to: .float64)
        let sum = builder.local(.float64, .f64(0))
        builder.loop(0..<classes) { builder, j in
            let logit = Expr.convert(element(logits, Access(rowStart + j), &builder), to: .float64)
            builder.assign(sum, .binary(.add, sum, .unary(.exp, .binary(.subtract, logit, widest))))
        }
        return builder.local(.float64, .binary(.add, widest, .unary(.log, sum)))
    }
}

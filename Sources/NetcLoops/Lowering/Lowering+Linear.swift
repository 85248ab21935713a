import NetcGraph

/// Linear layers as matrix products C[i, j] = Σ_k A[i, k] · B[k, j], summed in `f32` blocks added in `f64`
/// (`matrixProduct`), with B read along j: a register tile of `schedule.rows` rows × `schedule.vectors` vectors of j,
/// each step loading one vector of B per vector and broadcasting one A per row. Parallel over blocks of rows; the
/// tiles come from the kernel's schedule.
extension Lowering {
    /// y[n, o] = b[o] + Σ_f x[n, f] · w[o, f]: rows are images, vectors run over outputs of w copied feature-major.
    mutating func lowerLinear(_ group: FusionGroup, _ builder: inout KernelBuilder) -> [Kernel] {
        let node = graph[group.root]
        let (x, w) = (node.inputs[0], node.inputs[1])
        let bias = node.inputs.count > 2 ? node.inputs[2] : nil
        let (batch, features, outputs) = (
            graph.type(of: x).shape[0], graph.type(of: x).shape[1], graph.type(of: w).shape[0]
        )
        let packed = newBuffer("\(graph[w].name).packed", .float32, features * outputs)
        // In the packed order, parallel over features: every store is contiguous and the strided reads of w are
        // spread over the threads.
        var packing = KernelBuilder()
        packing.parallelLoop(features) { builder, f in
            builder.loop(0..<outputs) { builder, o in
                let value = element(w, Access(o * .integer(features) + f), &builder)
                builder.store(packed, f * .integer(outputs) + o, value)
            }
        }
        let signature = KernelSignature(linear: .forward, batch: batch, inFeatures: features, outFeatures: outputs)
        matrixProduct(
            rows: batch, columns: outputs, depth: features, schedules.schedule(for: signature, on: target), &builder,
            a: { builder, n, f in element(x, Access(n * .integer(features) + f), &builder) },
            b: { _, f, o in .load(packed, index: f * .integer(outputs) + o) },
            initial: { builder, o in bias.map { element($0, Access(o), &builder) } }
        ) { builder, n, o, sum in
            storeResult(group, sum, Access(n * .integer(outputs) + o, channel: o), &builder)
        }
        let name = KernelNaming(graph: graph).name(for: group)
        return [packing.kernel(name: name + "_w_pack", computes: [graph[w].name])]
    }

    /// dx[n, f] = Σ_o dy[n, o] · w[o, f]: rows are images, vectors run over features.
    mutating func lowerLinearInputGradient(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let (dy, w) = (node.inputs[0], node.inputs[1])
        let (batch, outputs, features) = (
            graph.type(of: dy).shape[0], graph.type(of: dy).shape[1], graph.type(of: w).shape[1]
        )
        let signature = KernelSignature(
            linear: .inputGradient, batch: batch, inFeatures: features, outFeatures: outputs)
        matrixProduct(
            rows: batch, columns: features, depth: outputs, schedules.schedule(for: signature, on: target), &builder,
            a: { builder, n, o in element(dy, Access(n * .integer(outputs) + o), &builder) },
            b: { builder, o, f in element(w, Access(o * .integer(features) + f), &builder) }, initial: { _, _ in nil }
        ) { builder, n, f, sum in
            storeResult(group, sum, Access(n * .integer(features) + f, channel: f), &builder)
        }
    }

    /// dw[o, f] = Σ_n dy[n, o] · x[n, f]: rows are outputs, vectors run over features.
    mutating func lowerLinearWeightGradient(_ group: FusionGroup, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let (x, dy) = (node.inputs[0], node.inputs[1])
        let (batch, features, outputs) = (
            graph.type(of: x).shape[0], graph.type(of: x).shape[1], graph.type(of: dy).shape[1]
        )
        let signature = KernelSignature(
            linear: .weightGradient, batch: batch, inFeatures: features, outFeatures: outputs)
        matrixProduct(
            rows: outputs, columns: features, depth: batch, schedules.schedule(for: signature, on: target), &builder,
            a: { builder, o, n in element(dy, Access(n * .integer(outputs) + o), &builder) },
            b: { builder, n, f in element(x, Access(n * .integer(features) + f), &builder) }, initial: { _, _ in nil }
        ) { builder, o, f, sum in
            storeResult(group, sum, Access(o * .integer(features) + f, channel: f), &builder)
        }
    }

    /// C[i, j] = initial(j) + Σ_k a(i, k) · b(k, j) for i < `rows`, j < `columns`, k < `depth`, handed to `store` as
    /// `f32`. Each sum is taken in blocks of `sumBlock` steps of k, in order: a block's products are summed in `f32` by
    /// fused multiply-adds (at the full rate of the vector units), and each block's sum is added to an `f64` total, so
    /// rounding errors grow with the block's length rather than with `depth`.
    private func matrixProduct(
        rows: Int, columns: Int, depth: Int, _ schedule: Schedule, _ builder: inout KernelBuilder,
        a: (inout KernelBuilder, Expr, Expr) -> Expr, b: (inout KernelBuilder, Expr, Expr) -> Expr,
        initial: (inout KernelBuilder, Expr) -> Expr?, store: (inout KernelBuilder, Expr, Expr, Expr) -> Void
    ) {
        let height = min(schedule.rows, rows)
        let (blocks, rest) = rows.quotientAndRemainder(dividingBy: height)
        let groups = ChannelGroups(channels: columns, lanes: schedule.lanes, vectors: schedule.vectors)
        let stepsPerBlock = min(depth, Self.sumBlock)
        let (wholeSteps, lastSteps) = depth.quotientAndRemainder(dividingBy: stepsPerBlock)
        /// Rows first..<first + count, every column.
        func tile(_ first: Expr, _ count: Int, _ builder: inout KernelBuilder) {
            groups.forEach(&builder) { builder, tile in
                builder.vectorLoop(0..<tile.lanes, lanes: tile.lanes) { builder, lane in
                    let js = (0..<tile.vectors).map { tile.first + .integer($0 * tile.lanes) + lane }
                    let starts = js.map { j in initial(&builder, j).map { Expr.convert($0, to: .float64) } ?? .f64(0) }
                    let totals = (0..<count).map { _ in starts.map { builder.local(.float64, $0) } }
                    /// Adds the sums of steps start..<start + length to the totals.
                    func addBlock(_ start: Expr, length: Int, _ builder: inout KernelBuilder) {
                        let sums = totals.map { row in row.map { _ in builder.local(.float32, .f32(0)) } }
                        builder.loop(0..<length) { builder, step in
                            let k = start + step
                            let bs = js.map { builder.local(.float32, b(&builder, k, $0)) }
                            for (r, row) in sums.enumerated() {
                                let value = builder.local(.float32, a(&builder, first + .integer(r), k))
                                for (sum, factor) in zip(row, bs) {
                                    builder.assign(sum, .multiplyAdd(value, factor, sum))
                                }
                            }
                        }
                        for (totalRow, sumRow) in zip(totals, sums) {
                            for (total, sum) in zip(totalRow, sumRow) {
                                builder.assign(total, .binary(.add, total, .convert(sum, to: .float64)))
                            }
                        }
                    }
                    builder.loop(0..<wholeSteps) { builder, k in
                        addBlock(k * .integer(stepsPerBlock), length: stepsPerBlock, &builder)
                    }
                    if lastSteps > 0 { addBlock(.integer(wholeSteps * stepsPerBlock), length: lastSteps, &builder) }
                    for (r, row) in totals.enumerated() {
                        for (total, j) in zip(row, js) {
                            store(&builder, first + .integer(r), j, .convert(total, to: .float32))
                        }
                    }
                }
            }
        }
        builder.parallelLoop(blocks + (rest > 0 ? 1 : 0)) { builder, block in
            if rest == 0 { return tile(block * .integer(height), height, &builder) }
            builder.when(.compare(.less, block, .integer(blocks))) { builder in
                tile(block * .integer(height), height, &builder)
            }
            builder.when(.compare(.equal, block, .integer(blocks))) { builder in
                tile(.integer(blocks * height), rest, &builder)
            }
        }
    }

    /// The steps of a linear layer's sum taken in `f32` before they are added to its `f64` total.
    static let sumBlock = 32
}

import NetcGraph

/// Per-channel sums of a convolution's stored result, accumulated as the convolution stores it: Σx and Σx² in
/// `f64` for each part of the kernel's parallel loop (so no two threads add to one sum) and each of `columns`
/// lanes, laid out `[part][moment][channel][column]`. The BatchNorm statistics kernel then adds them up in a fixed
/// order instead of reading the tensor twice.
struct ChannelStatistics {
    let buffer: BufferID
    let parts, channels, columns: Int

    /// The element holding moment `moment` (0: Σx, 1: Σx²) of `channel`, `column` in `part`.
    func index(part: Expr, moment: Int, channel: Expr, column: Expr = 0) -> Expr {
        ((part * 2 + .integer(moment)) * .integer(channels) + channel) * .integer(columns) + column
    }

    /// Sets every sum of `part` to zero: the first thing each iteration of the parallel loop does.
    func clear(part: Expr, _ builder: inout KernelBuilder) {
        builder.loop(0..<2 * channels * columns) { builder, i in
            builder.store(buffer, part * .integer(2 * channels * columns) + i, .f64(0))
        }
    }

    /// Adds `values` (`f32`) and their squares to the sums of `channel`, `column` in `part`.
    func add(_ values: [Expr], part: Expr, channel: Expr, column: Expr = 0, _ builder: inout KernelBuilder) {
        guard !values.isEmpty else { return }
        let wide = values.map { builder.bind(.convert($0, to: .float64), .float64) }
        let sum = Self.pairwiseSum(wide)
        let squares = Self.pairwiseSum(
            stride(from: 0, to: wide.count, by: 2).map { i in
                let square = Expr.binary(.multiply, wide[i], wide[i])
                return i + 1 < wide.count ? .multiplyAdd(wide[i + 1], wide[i + 1], square) : square
            })
        for (moment, total) in [sum, squares].enumerated() {
            let slot = index(part: part, moment: moment, channel: channel, column: column)
            builder.store(buffer, slot, .binary(.add, .load(buffer, index: slot), total))
        }
    }

    /// The sum of `terms` added in pairs, then pairs of pairs, and so on: as many additions as one after another,
    /// but a chain of ⌈log₂ n⌉ of them rather than n − 1, which is what bounds the convolution's epilogue, its
    /// values being ready at once.
    static func pairwiseSum(_ terms: [Expr]) -> Expr {
        guard terms.count > 1 else { return terms[0] }
        let half = (terms.count + 1) / 2
        return .binary(.add, pairwiseSum(Array(terms[..<half])), pairwiseSum(Array(terms[half...])))
    }
}

extension Lowering {
    /// The statistics buffer for the result `group` stores, when BatchNorm statistics read it and fusion asked the
    /// convolution to sum it (`FusionPlan.epilogueStatistics`); nil otherwise.
    mutating func epilogueStatistics(
        for group: FusionGroup, parts: Int, channels: Int, columns: Int = 1
    ) -> ChannelStatistics? {
        guard fusion.sumsStatistics(group) else { return nil }
        let stored = group.epilogue.last ?? group.root
        let statistics = ChannelStatistics(
            buffer: newBuffer("\(graph[stored].name).channel_sums", .float64, parts * 2 * channels * columns),
            parts: parts, channels: channels, columns: columns)
        statisticsBuffers[stored] = statistics
        return statistics
    }
}

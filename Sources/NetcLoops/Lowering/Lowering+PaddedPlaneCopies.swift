import NetcGraph

/// The copies `PaddedPlane` lays out, shared by the convolutions and poolings that read them: each image's plane
/// copy, bordered by a constant, and plane of sums, with the loops that fill and empty them.
extension Lowering {
    /// Writes the image's plane of sums through the epilogue, row by row, to the element `access(row, column)` names.
    func storeSums(
        _ group: FusionGroup, _ padded: PaddedPlane, _ image: ImagePlanes, _ builder: inout KernelBuilder,
        _ access: (_ row: Expr, _ column: Expr) -> Access
    ) {
        builder.loop(0..<padded.rows) { builder, row in
            planeLoop(padded.columns, &builder) { builder, column in
                let sum = Expr.load(image.sums, index: image.results + row * .integer(padded.pitch) + column)
                storeResult(group, sum, access(row, column), &builder)
            }
        }
    }

    /// Copies plane x[n, ci] into its padded phase planes (`PaddedPlane.forward`, or planes of `phase`'s size where
    /// given, at least that) at `start` of `buffer`, whose border stays as `forEachImage` filled it.
    func copyInput(
        _ x: ValueID, _ g: ConvolutionShape, phase: (rows: Int, pitch: Int)? = nil, image n: Expr, channel ci: Expr,
        into buffer: BufferID, at start: Expr, _ builder: inout KernelBuilder
    ) {
        let phase = phase ?? PaddedPlane.phaseShape(g)
        let (s, p) = (g.attributes.stride, g.attributes.padding)
        for rowPhase in 0..<s {
            for columnPhase in 0..<s {
                let base = start + .integer((rowPhase * s + columnPhase) * phase.rows * phase.pitch)
                let rows = Self.phaseRange(rowPhase, stride: s, padding: p, length: g.height)
                let columns = Self.phaseRange(columnPhase, stride: s, padding: p, length: g.width)
                guard !columns.isEmpty else { continue }
                builder.loop(rows) { builder, r in
                    planeLoop(columns.count, &builder) { builder, t in
                        let c = t + .integer(columns.lowerBound)
                        let input = g.inputIndex(
                            n, ci, r * .integer(s) + .integer(rowPhase - p), c * .integer(s) + .integer(columnPhase - p)
                        )
                        let value = element(x, Access(input, channel: ci), &builder)
                        builder.store(buffer, base + r * .integer(phase.pitch) + c, value)
                    }
                }
            }
        }
    }

    /// The plane copies and planes of sums of every image.
    mutating func planeBuffers(
        _ name: String, _ padded: PaddedPlane, batch: Int
    ) -> (planes: BufferID, sums: BufferID) {
        (
            newBuffer("\(name).planes", .float32, batch * padded.count),
            newBuffer("\(name).accumulator", .float32, batch * padded.positions)
        )
    }

    /// Runs `body` for each image, split over threads, with the image's plane copy (filled with `border` first) and
    /// plane of sums.
    func forEachImage(
        _ buffers: (planes: BufferID, sums: BufferID), _ padded: PaddedPlane, batch: Int, border: Expr = .f32(0),
        _ builder: inout KernelBuilder, _ body: (inout KernelBuilder, Expr, ImagePlanes) -> Void
    ) {
        builder.parallelLoop(batch) { builder, n in
            let image = ImagePlanes(
                planes: buffers.planes, copy: n * .integer(padded.count),
                sums: buffers.sums, results: n * .integer(padded.positions))
            builder.vectorLoop(0..<padded.count, lanes: target.lanes()) { builder, i in
                builder.store(image.planes, image.copy + i, border)
            }
            body(&builder, n, image)
        }
    }

    /// The rows (or columns) of a phase plane that hold image pixels: those r with p ≤ r·s + phase < p + length.
    private static func phaseRange(_ phase: Int, stride s: Int, padding p: Int, length: Int) -> Range<Int> {
        let last = p + length - 1 - phase
        guard last >= 0 else { return 0..<0 }
        let first = (p - phase + s - 1) / s
        return first..<max(first, last / s + 1)
    }
}

/// Where one image's plane copy and plane of sums are: buffers and the image's first element in each.
struct ImagePlanes {
    let planes: BufferID
    let copy: Expr
    let sums: BufferID
    let results: Expr
}

import NetcGraph

/// Poolings whose windows overlap or reach into the padding (`MaxPool(3, stride: 2, padding: 1)` in a ResNet stem or
/// an Inception branch), over `PaddedPlane` copies bordered with the value the padding reads: −∞ for a maximum, 0
/// for an average (which counts the padding, as PyTorch's default does).
///
/// Per image and channel, the plane is copied once through the prologue the pooling reads it with (BatchNorm, an
/// activation), then one vector loop takes every window position's value at a fixed distance from a flat position
/// `q`: no test for the border, no clamped index, the prologue applied once per input element instead of once per
/// window covering it. The maximum keeps the first of equal values and the sum adds in `f64` in the window's row-major
/// order, as the loop over window positions does (`PoolingShape.forEachWindow`), so the results are the same bits.
extension Lowering {
    /// y = the window's maximum or mean over the padded copy, through the epilogue.
    mutating func lowerPaddedPlanePooling(
        _ group: FusionGroup, _ attributes: PoolAttributes, isMax: Bool, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let x = node.inputs[0]
        let shape = graph.type(of: x).shape
        let g = ConvolutionShape(
            input: shape, outChannels: shape[1],
            ConvolutionAttributes(kernel: attributes.size, stride: attributes.stride, padding: attributes.padding))
        let padded = PaddedPlane.forward(g, lanes: target.lanes())
        let buffers = planeBuffers(node.name, padded, batch: g.batch)
        let border = Expr.f32(isMax ? -.infinity : 0)
        forEachImage(buffers, padded, batch: g.batch, border: border, &builder) { builder, n, image in
            builder.loop(0..<g.inChannels) { builder, c in
                copyInput(x, g, image: n, channel: c, into: image.planes, at: image.copy, &builder)
                builder.vectorLoop(0..<padded.positions, lanes: target.lanes()) { builder, q in
                    let reads = padded.offsets.map { Expr.load(image.planes, index: image.copy + q + .integer($0)) }
                    let result: Expr
                    if isMax {
                        let best = builder.local(.float32, reads[0])
                        for read in reads.dropFirst() {
                            let candidate = builder.local(.float32, read)
                            builder.assign(
                                best, .select(.compare(.greater, candidate, best), then: candidate, otherwise: best))
                        }
                        result = best
                    } else {
                        let sum = reads.dropFirst().reduce(Expr.convert(reads[0], to: .float64)) {
                            .binary(.add, $0, .convert($1, to: .float64))
                        }
                        result = .convert(.binary(.divide, sum, .f64(Double(reads.count))), to: .float32)
                    }
                    builder.store(image.sums, image.results + q, result)
                }
                storeSums(group, padded, image, &builder) { oy, ox in
                    Access(g.outputIndex(n, c, oy, ox), channel: c)
                }
            }
        }
    }

    /// dx of such a pooling: per image and channel, each window's dy added (in `f64`, window after window) to its
    /// first maximum, or spread evenly over it, in a plane of sums bordered as the padding is, so that no addition
    /// tests for the border; the image part then goes through the epilogue. A maximum is found in the padded copy of
    /// x (the prologue applied once per element) and starts, as the window loop's does, at the window's first
    /// position inside the image; the sums add in the window loop's order, so the results are the same bits.
    mutating func lowerPaddedPlanePoolingGradient(
        _ group: FusionGroup, _ attributes: PoolAttributes, isMax: Bool, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let shape = node.type.shape
        let g = ConvolutionShape(
            input: shape, outChannels: shape[1],
            ConvolutionAttributes(kernel: attributes.size, stride: attributes.stride, padding: attributes.padding))
        let (s, p, size) = (g.stride, g.padding, g.kernel)
        let padded = PaddedPlane.forward(g, lanes: target.lanes())
        let (rows, pitch) = (g.height + 2 * p, g.width + 2 * p)
        let copies = isMax ? newBuffer("\(node.name).planes", .float32, g.batch * padded.count) : nil
        let sums = newBuffer("\(node.name).sums", .float64, g.batch * rows * pitch)
        let dy = node.inputs[isMax ? 1 : 0]
        builder.parallelLoop(g.batch) { builder, n in
            let plane = n * .integer(rows * pitch)
            let copy = n * .integer(padded.count)
            if let copies {
                planeLoop(padded.count, &builder) { builder, i in builder.store(copies, copy + i, .f32(-.infinity)) }
            }
            builder.loop(0..<g.inChannels) { builder, c in
                planeLoop(rows * pitch, &builder) { builder, i in builder.store(sums, plane + i, .f64(0)) }
                if let copies {
                    copyInput(node.inputs[0], g, image: n, channel: c, into: copies, at: copy, &builder)
                }
                builder.loop(0..<g.outHeight) { builder, oy in
                    builder.loop(0..<g.outWidth) { builder, ox in
                        let corner = plane + oy * .integer(s * pitch) + ox * .integer(s)
                        let positions = (0..<size * size).map { corner + .integer($0 / size * pitch + $0 % size) }
                        let access = Access(g.outputIndex(n, c, oy, ox), channel: c)
                        let gradient = Expr.convert(element(dy, access, &builder), to: .float64)
                        if let copies {
                            let q = copy + oy * .integer(padded.pitch) + ox
                            let best = builder.local(.float32, .load(copies, index: q + .integer(padded.offsets[0])))
                            let firstInside =
                                (Self.clamped(oy * .integer(s) - .integer(p), below: g.height) + .integer(p))
                                * .integer(pitch) + Self.clamped(ox * .integer(s) - .integer(p), below: g.width)
                                + .integer(p)
                            let bestPosition = builder.local(.int64, plane + firstInside)
                            for (position, offset) in zip(positions, padded.offsets).dropFirst() {
                                let candidate = builder.local(.float32, .load(copies, index: q + .integer(offset)))
                                let isLarger = builder.local(.bool, .compare(.greater, candidate, best))
                                builder.assign(best, .select(isLarger, then: candidate, otherwise: best))
                                builder.assign(bestPosition, .select(isLarger, then: position, otherwise: bestPosition))
                            }
                            builder.store(
                                sums, bestPosition, .binary(.add, .load(sums, index: bestPosition), gradient))
                        } else {
                            let share = builder.local(.float64, .binary(.divide, gradient, .f64(Double(size * size))))
                            for position in positions {
                                builder.store(sums, position, .binary(.add, .load(sums, index: position), share))
                            }
                        }
                    }
                }
                builder.loop(0..<g.height) { builder, iy in
                    planeLoop(g.width, &builder) { builder, ix in
                        let sum = Expr.load(
                            sums, index: plane + (iy + .integer(p)) * .integer(pitch) + ix + .integer(p))
                        let access = Access(g.inputIndex(n, c, iy, ix), channel: c)
                        storeResult(group, .convert(sum, to: .float32), access, &builder)
                    }
                }
            }
        }
    }

    /// `position` clamped into `0..<length`.
    private static func clamped(_ position: Expr, below length: Int) -> Expr {
        .binary(.maximum, .binary(.minimum, position, .integer(length - 1)), 0)
    }
}

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
        let g = Self.poolingAsConvolution(graph.type(of: x).shape, attributes)
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

    /// dx of such a max pooling: each window's dy added (in `f64`, window after window) to its first maximum.
    ///
    /// Per image and channel, x's plane is copied once through the prologue into its padded copy (bordered with
    /// −∞), one vector loop finds every window's maximum there and keeps which of its positions holds it, as the
    /// forward pass finds the values; then the windows, one at a time in order, add their dy to a plane of sums
    /// bordered as the padding is (no test for the border), and the image part goes through the epilogue. A window's
    /// maximum starts, as the window loop's does, at its first position inside the image (kept as position −1, the
    /// first only when it lies inside) and moves only to a strictly larger value, so the sums are the same bits.
    mutating func lowerPaddedPlaneMaxPoolGradient(
        _ group: FusionGroup, _ attributes: PoolAttributes, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let (x, dy) = (node.inputs[0], node.inputs[1])
        let g = Self.poolingAsConvolution(node.type.shape, attributes)
        let (s, p, size) = (g.stride, g.padding, g.kernel)
        let padded = PaddedPlane.forward(g, lanes: target.lanes())
        let (rows, pitch) = (g.height + 2 * p, g.width + 2 * p)
        let copies = newBuffer("\(node.name).planes", .float32, g.batch * padded.count)
        let maxima = newBuffer("\(node.name).maxima", .int32, g.batch * padded.positions)
        let sums = newBuffer("\(node.name).sums", .float64, g.batch * rows * pitch)
        builder.parallelLoop(g.batch) { builder, n in
            let (copy, plane, found) = (
                n * .integer(padded.count), n * .integer(rows * pitch), n * .integer(padded.positions)
            )
            planeLoop(padded.count, &builder) { builder, i in builder.store(copies, copy + i, .f32(-.infinity)) }
            builder.loop(0..<g.inChannels) { builder, c in
                planeLoop(rows * pitch, &builder) { builder, i in builder.store(sums, plane + i, .f64(0)) }
                copyInput(x, g, image: n, channel: c, into: copies, at: copy, &builder)
                builder.vectorLoop(0..<padded.positions, lanes: target.lanes()) { builder, q in
                    let best = builder.local(.float32, .load(copies, index: copy + q + .integer(padded.offsets[0])))
                    let position = builder.local(.int32, .convert(.integer(-1), to: .int32))
                    for (tap, offset) in padded.offsets.enumerated().dropFirst() {
                        let candidate = builder.local(.float32, .load(copies, index: copy + q + .integer(offset)))
                        let isLarger = builder.local(.bool, .compare(.greater, candidate, best))
                        builder.assign(best, .select(isLarger, then: candidate, otherwise: best))
                        builder.assign(
                            position, .select(isLarger, then: .convert(.integer(tap), to: .int32), otherwise: position))
                    }
                    builder.store(maxima, found + q, position)
                }
                builder.loop(0..<g.outHeight) { builder, oy in
                    builder.loop(0..<g.outWidth) { builder, ox in
                        let tap = builder.local(
                            .int64, .convert(.load(maxima, index: found + oy * .integer(padded.pitch) + ox), to: .int64)
                        )
                        let (row, column) = (oy * .integer(s) - .integer(p), ox * .integer(s) - .integer(p))
                        let firstInside =
                            (PoolingShape.clamp(row, below: g.height) + .integer(p)) * .integer(pitch)
                            + PoolingShape.clamp(column, below: g.width) + .integer(p)
                        let inWindow =
                            (row + .integer(p) + tap / .integer(size)) * .integer(pitch) + column + .integer(p) + tap
                            % .integer(size)
                        let target = builder.local(
                            .int64, plane + .select(.compare(.less, tap, 0), then: firstInside, otherwise: inWindow))
                        let gradient = Expr.convert(
                            element(dy, Access(g.outputIndex(n, c, oy, ox), channel: c), &builder), to: .float64)
                        builder.store(sums, target, .binary(.add, .load(sums, index: target), gradient))
                    }
                }
                builder.loop(0..<g.height) { builder, iy in
                    planeLoop(g.width, &builder) { builder, ix in
                        let sum = Expr.load(
                            sums, index: plane + (iy + .integer(p)) * .integer(pitch) + ix + .integer(p))
                        storeResult(
                            group, .convert(sum, to: .float32), Access(g.inputIndex(n, c, iy, ix), channel: c), &builder
                        )
                    }
                }
            }
        }
    }

    /// dx of such an average pooling: each input element's share of every window covering it, dy / size², added in
    /// `f64` in the windows' order.
    ///
    /// Per image and channel, the shares are spread over a bordered `f64` plane, window (oy, ox)'s at row oy·s and
    /// column ox·s after the border, zero elsewhere; one vector loop per row of the input then adds, for each
    /// element, the plane at every window offset, in the order that visits the covering windows as the window loop
    /// does (rows, then columns, ascending), the zeros between them changing nothing. Same bits as adding each window's
    /// share into a plane of sums, with every load and addition in vectors and no scattered read-modify-write.
    mutating func lowerPaddedPlaneAvgPoolGradient(
        _ group: FusionGroup, _ attributes: PoolAttributes, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let dy = node.inputs[0]
        let g = Self.poolingAsConvolution(node.type.shape, attributes)
        let (s, p, size) = (g.stride, g.padding, g.kernel)
        // Input row iy reads spread row iy + p − ky + border for window row ky, at least 0 with border = size − 1.
        let border = size - 1
        let (rows, pitch) = (g.height + p + border, g.width + p + border)
        let spread = newBuffer("\(node.name).shares", .float64, g.batch * rows * pitch)
        builder.parallelLoop(g.batch) { builder, n in
            let plane = n * .integer(rows * pitch)
            builder.loop(0..<g.inChannels) { builder, c in
                planeLoop(rows * pitch, &builder) { builder, i in builder.store(spread, plane + i, .f64(0)) }
                builder.loop(0..<g.outHeight) { builder, oy in
                    builder.loop(0..<g.outWidth) { builder, ox in
                        let gradient = element(dy, Access(g.outputIndex(n, c, oy, ox), channel: c), &builder)
                        let share = Expr.binary(.divide, .convert(gradient, to: .float64), .f64(Double(size * size)))
                        let position =
                            (oy * .integer(s) + .integer(border)) * .integer(pitch) + ox * .integer(s)
                            + .integer(border)
                        builder.store(spread, plane + position, share)
                    }
                }
                builder.loop(0..<g.height) { builder, iy in
                    planeLoop(g.width, &builder) { builder, ix in
                        let corner = plane + (iy + .integer(p + border)) * .integer(pitch) + ix + .integer(p + border)
                        let taps = (0..<size * size).reversed()
                        let sum = taps.reduce(Expr.f64(0)) { sum, tap in
                            .binary(.add, sum, .load(spread, index: corner - .integer(tap / size * pitch + tap % size)))
                        }
                        storeResult(
                            group, .convert(sum, to: .float32), Access(g.inputIndex(n, c, iy, ix), channel: c), &builder
                        )
                    }
                }
            }
        }
    }

    /// A pooling's sizes as those of the depthwise convolution with its window, stride and padding.
    private static func poolingAsConvolution(_ input: [Int], _ attributes: PoolAttributes) -> ConvolutionShape {
        ConvolutionShape(
            input: input, outChannels: input[1],
            ConvolutionAttributes(kernel: attributes.size, stride: attributes.stride, padding: attributes.padding))
    }
}

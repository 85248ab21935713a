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
}

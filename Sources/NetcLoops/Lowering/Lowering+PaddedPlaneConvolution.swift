import NetcGraph

/// Grouped (depthwise included) and dilated convolutions over `PaddedPlane` copies.
///
/// Forward pass and input gradient: per image and channel, the plane the kernel reads is copied into its
/// zero-bordered layout, one vector loop sums every kernel offset's products at each position in registers, and the
/// plane of sums goes through the epilogue; each thread owns whole images, so no two threads write one element. Their
/// sums add the same products in the same order as a loop over the offsets that skips the border (the bias or zero
/// first, then input channels, then offsets in row-major order); a product with the border adds zero. The weight
/// gradient runs over output channels instead (below).
extension Lowering {
    /// y[n, co] = b[co] + Σ_{j, ky, kx} w[co, j, ky, kx] · x[n, group(co)·Cin/groups + j] shifted by the offset.
    mutating func lowerGeneralConvolution(
        _ group: FusionGroup, _ attributes: ConvolutionAttributes, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let (x, w) = (node.inputs[0], node.inputs[1])
        let bias = node.inputs.count > 2 ? node.inputs[2] : nil
        let g = ConvolutionShape(
            input: graph.type(of: x).shape, outChannels: graph.type(of: w).shape[0], attributes)
        let padded = PaddedPlane.forward(g, lanes: target.lanes())
        let buffers = planeBuffers(node.name, padded, batch: g.batch)
        forEachImage(buffers, padded, batch: g.batch, &builder) { builder, n, image in
            builder.loop(0..<g.outChannels) { builder, co in
                let initial = bias.map { element($0, Access(co), &builder) } ?? .f32(0)
                let firstInput = co / .integer(g.groupOutChannels) * .integer(g.groupInChannels)
                builder.loop(0..<g.groupInChannels) { builder, j in
                    let ci = firstInput + j
                    copyInput(x, g, image: n, channel: ci, into: image.planes, at: image.copy, &builder)
                    let first = g.groupInChannels == 1 ? nil : Expr.compare(.equal, j, .integer(0))
                    sumPlane(
                        padded, image, groupedWeights(w, g, co, j, &builder), initial: initial, when: first, &builder)
                }
                storeSums(group, padded, image, &builder) { oy, ox in
                    Access(g.outputIndex(n, co, oy, ox), channel: co)
                }
            }
        }
    }

    /// dx[n, ci] = Σ over the output channels co of ci's group and the kernel offsets of w[co, j, ky, kx] ·
    /// dy[n, co], gathered from the spread output gradient at the pixels that read the input pixel.
    mutating func lowerGeneralConvolutionInputGradient(
        _ group: FusionGroup, _ attributes: ConvolutionAttributes, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let (dy, w) = (node.inputs[0], node.inputs[1])
        let g = ConvolutionShape(input: node.type.shape, outChannels: graph.type(of: w).shape[0], attributes)
        let padded = PaddedPlane.inputGradient(g, lanes: target.lanes())
        let spread = PaddedPlane.spreadShape(g)
        let s = attributes.stride
        let buffers = planeBuffers(node.name, padded, batch: g.batch)
        forEachImage(buffers, padded, batch: g.batch, &builder) { builder, n, image in
            builder.loop(0..<g.inChannels) { builder, ci in
                let groupIndex = ci / .integer(g.groupInChannels)
                let j = ci % .integer(g.groupInChannels)
                builder.loop(0..<g.groupOutChannels) { builder, m in
                    let co = groupIndex * .integer(g.groupOutChannels) + m
                    builder.loop(0..<g.outHeight) { builder, oy in
                        let row = image.copy + (oy * .integer(s) + .integer(spread.border)) * .integer(spread.pitch)
                        planeLoop(g.outWidth, &builder) { builder, ox in
                            let gradient = element(dy, Access(g.outputIndex(n, co, oy, ox), channel: co), &builder)
                            builder.store(image.planes, row + ox * .integer(s) + .integer(spread.border), gradient)
                        }
                    }
                    let first = g.groupOutChannels == 1 ? nil : Expr.compare(.equal, m, .integer(0))
                    sumPlane(
                        padded, image, groupedWeights(w, g, co, j, &builder), initial: .f32(0), when: first, &builder)
                }
                storeSums(group, padded, image, &builder) { iy, ix in
                    Access(g.inputIndex(n, ci, iy, ix), channel: ci)
                }
            }
        }
    }

    /// dw[co, j, ky, kx] = Σ_n Σ_{oy, ox} dy[n, co, oy, ox] · x[n, ci, shifted by the offset]; parallel over output
    /// channels. Per image, x's plane is copied into its padded phase planes and dy's into the positions of the sums
    /// (zero where a row's positions run past it), and each lane of a vector sums every `lanes`-th position for all
    /// offsets at once; the lanes' sums add up in lane order to the image's `f32` partial sum, which adds to an `f64`
    /// total in image order.
    mutating func lowerGeneralConvolutionWeightGradient(
        _ group: FusionGroup, _ attributes: ConvolutionAttributes, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let (x, dy) = (node.inputs[0], node.inputs[1])
        let g = ConvolutionShape(
            input: graph.type(of: x).shape, outChannels: graph.type(of: dy).shape[1], attributes)
        let lanes = target.lanes()
        let padded = PaddedPlane.forward(g, lanes: lanes)
        let taps = g.kernel * g.kernel
        // Per output channel: the input's copy, dy's copy, and each offset's lane sums.
        let (gradientStart, laneSumsStart) = (padded.count, padded.count + padded.positions)
        let perChannel = laneSumsStart + taps * lanes
        let scratch = newBuffer("\(node.name).planes", .float32, g.outChannels * perChannel)
        builder.parallelLoop(g.outChannels) { builder, co in
            let copy = co * .integer(perChannel)
            let (gradients, laneSums) = (copy + .integer(gradientStart), copy + .integer(laneSumsStart))
            builder.vectorLoop(0..<laneSumsStart, lanes: lanes) { builder, i in
                builder.store(scratch, copy + i, .f32(0))
            }
            let firstInput = co / .integer(g.groupOutChannels) * .integer(g.groupInChannels)
            builder.loop(0..<g.groupInChannels) { builder, j in
                let ci = firstInput + j
                let totals = (0..<taps).map { _ in builder.local(.float64, .f64(0)) }
                builder.loop(0..<g.batch) { builder, n in
                    copyInput(x, g, image: n, channel: ci, into: scratch, at: copy, &builder)
                    builder.loop(0..<g.outHeight) { builder, oy in
                        planeLoop(g.outWidth, &builder) { builder, ox in
                            let gradient = element(dy, Access(g.outputIndex(n, co, oy, ox), channel: co), &builder)
                            builder.store(scratch, gradients + oy * .integer(padded.pitch) + ox, gradient)
                        }
                    }
                    builder.vectorLoop(0..<lanes, lanes: lanes) { builder, lane in
                        let sums = (0..<taps).map { _ in builder.local(.float32, .f32(0)) }
                        builder.loop(0..<padded.positions / lanes) { builder, v in
                            let q = v * .integer(lanes) + lane
                            let gradient = builder.local(.float32, .load(scratch, index: gradients + q))
                            for (sum, offset) in zip(sums, padded.offsets) {
                                let input = Expr.load(scratch, index: copy + q + .integer(offset))
                                builder.assign(sum, .multiplyAdd(gradient, input, sum))
                            }
                        }
                        for (t, sum) in sums.enumerated() {
                            builder.store(scratch, laneSums + .integer(t * lanes) + lane, sum)
                        }
                    }
                    for (t, total) in totals.enumerated() {
                        let partial = (1..<lanes).reduce(Expr.load(scratch, index: laneSums + .integer(t * lanes))) {
                            .binary(.add, $0, .load(scratch, index: laneSums + .integer(t * lanes + $1)))
                        }
                        builder.assign(total, .binary(.add, total, .convert(partial, to: .float64)))
                    }
                }
                for (t, total) in totals.enumerated() {
                    let access = Access(g.groupedWeightIndex(co, j, t / g.kernel, t % g.kernel), channel: j)
                    storeResult(group, .convert(total, to: .float32), access, &builder)
                }
            }
        }
    }

    /// The weights w[co, j, ky, kx] of every kernel offset, in offset order.
    private func groupedWeights(
        _ w: ValueID, _ g: ConvolutionShape, _ co: Expr, _ j: Expr, _ builder: inout KernelBuilder
    ) -> [Expr] {
        (0..<g.kernel * g.kernel).map { tap in
            element(w, Access(g.groupedWeightIndex(co, j, tap / g.kernel, tap % g.kernel)), &builder)
        }
    }

    /// sums[q] = s + Σ_t weights[t] · planes[q + offsets[t]] at every position q, added in offset order, where s is
    /// `initial` (when `first` holds or there is no `first`) or sums[q] (to add another plane's products).
    private func sumPlane(
        _ padded: PaddedPlane, _ image: ImagePlanes, _ weightValues: [Expr], initial: Expr, when first: Expr?,
        _ builder: inout KernelBuilder
    ) {
        let weights = weightValues.map { builder.local(.float32, $0) }
        builder.vectorLoop(0..<padded.positions, lanes: target.lanes()) { builder, q in
            let position = image.results + q
            var sum = first.map { .select($0, then: initial, otherwise: .load(image.sums, index: position)) } ?? initial
            for (weight, offset) in zip(weights, padded.offsets) {
                sum = .multiplyAdd(weight, .load(image.planes, index: image.copy + q + .integer(offset)), sum)
            }
            builder.store(image.sums, position, sum)
        }
    }
}

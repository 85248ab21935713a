import NetcGraph

/// The sizes of one convolution (input `[N, Cin, H, W]`, weight `[Cout, Cin, K, K]`, output `[N, Cout, OH, OW]`)
/// and, for each kernel offset, the output rows and columns whose input lies inside the image: splitting the
/// loops by offset leaves no padding test in the inner loops and every bound static.
struct ConvolutionShape {
    let batch, inChannels, height, width: Int
    let outChannels, kernel, stride, padding: Int
    let outHeight, outWidth: Int

    init(input: [Int], outChannels: Int, _ attributes: ConvolutionAttributes) {
        (batch, inChannels, height, width) = (input[0], input[1], input[2], input[3])
        self.outChannels = outChannels
        (kernel, stride, padding) = (attributes.kernel, attributes.stride, attributes.padding)
        (outHeight, outWidth) = (attributes.outputLength(height), attributes.outputLength(width))
    }

    /// Output positions along an axis whose input `o·stride − padding + offset` is inside `0..<length`.
    private func outputRange(offset: Int, length: Int, outputLength: Int) -> Range<Int> {
        let first = offset >= padding ? 0 : (padding - offset + stride - 1) / stride
        let lastInput = length - 1 + padding - offset
        guard lastInput >= 0 else { return 0..<0 }
        let end = min(outputLength, lastInput / stride + 1)
        return first..<max(first, end)
    }

    func rows(_ ky: Int) -> Range<Int> { outputRange(offset: ky, length: height, outputLength: outHeight) }
    func columns(_ kx: Int) -> Range<Int> { outputRange(offset: kx, length: width, outputLength: outWidth) }

    var outputPlane: Int { outHeight * outWidth }
    var inputPlane: Int { height * width }

    /// The flat input index read by output (n, ci, oy, ox) at offset (ky, kx).
    func inputIndex(_ n: Expr, _ ci: Expr, _ oy: Expr, _ ox: Expr, _ ky: Int, _ kx: Int) -> Expr {
        let row = oy * .integer(stride) + .integer(ky - padding)
        let column = ox * .integer(stride) + .integer(kx - padding)
        return ((n * .integer(inChannels) + ci) * .integer(height) + row) * .integer(width) + column
    }

    /// The flat output index of (n, co, oy, ox).
    func outputIndex(_ n: Expr, _ co: Expr, _ oy: Expr, _ ox: Expr) -> Expr {
        ((n * .integer(outChannels) + co) * .integer(outHeight) + oy) * .integer(outWidth) + ox
    }

    /// The flat weight index of (co, ci, ky, kx).
    func weightIndex(_ co: Expr, _ ci: Expr, _ ky: Int, _ kx: Int) -> Expr {
        ((co * .integer(inChannels) + ci) * .integer(kernel) + .integer(ky)) * .integer(kernel) + .integer(kx)
    }

    /// Calls `body` for every kernel offset with its non-empty output rows and columns.
    func forEachOffset(_ body: (_ ky: Int, _ kx: Int, _ rows: Range<Int>, _ columns: Range<Int>) -> Void) {
        for ky in 0..<kernel {
            for kx in 0..<kernel where !rows(ky).isEmpty && !columns(kx).isEmpty {
                body(ky, kx, rows(ky), columns(kx))
            }
        }
    }
}

extension Lowering {
    /// y[n, co] plane = b[co] + Σ_{ci, ky, kx} w[co, ci, ky, kx] · x[n, ci] shifted plane, accumulated in an
    /// `f64` plane, then run through the epilogue (bias, ReLU, ...).
    mutating func lowerConvolution(_ group: FusionGroup, _ attributes: ConvolutionAttributes, _ builder: inout KernelBuilder) {
        let node = graph[group.root]
        let (x, w) = (node.inputs[0], node.inputs[1])
        let bias = node.inputs.count > 2 ? node.inputs[2] : nil
        let g = ConvolutionShape(input: graph.type(of: x).shape, outChannels: graph.type(of: w).shape[0], attributes)
        let plane = newBuffer("\(node.name).accumulator", .float64, g.outputPlane)
        builder.loop(0..<g.batch) { builder, n in
            builder.loop(0..<g.outChannels) { builder, co in
                let start: Expr = bias.map { .convert(element($0, Access(co), &builder), to: .float64) } ?? .f64(0)
                builder.loop(0..<g.outputPlane) { builder, p in builder.store(plane, p, start) }
                builder.loop(0..<g.inChannels) { builder, ci in
                    g.forEachOffset { ky, kx, rows, columns in
                        let weight = builder.local(.float32, element(w, Access(g.weightIndex(co, ci, ky, kx)), &builder))
                        builder.loop(rows) { builder, oy in
                            builder.loop(columns) { builder, ox in
                                let target = oy * .integer(g.outWidth) + ox
                                let input = element(x, Access(g.inputIndex(n, ci, oy, ox, ky, kx)), &builder)
                                builder.store(plane, target, .load(plane, index: target) + product(weight, input))
                            }
                        }
                    }
                }
                builder.loop(0..<g.outputPlane) { builder, p in
                    let index = (n * .integer(g.outChannels) + co) * .integer(g.outputPlane) + p
                    storeResult(group, .convert(.load(plane, index: p), to: .float32), Access(index, channel: co), &builder)
                }
            }
        }
    }

    /// dx[n] = Σ_{co, ci, ky, kx} w[co, ci, ky, kx] · dy[n, co] scattered back through each window, accumulated
    /// in an `f64` image, then run through the epilogue.
    mutating func lowerConvolutionInputGradient(
        _ group: FusionGroup, _ attributes: ConvolutionAttributes, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let (dy, w) = (node.inputs[0], node.inputs[1])
        let g = ConvolutionShape(input: node.type.shape, outChannels: graph.type(of: w).shape[0], attributes)
        let image = newBuffer("\(node.name).accumulator", .float64, g.inChannels * g.inputPlane)
        builder.loop(0..<g.batch) { builder, n in
            builder.loop(0..<g.inChannels * g.inputPlane) { builder, i in builder.store(image, i, .f64(0)) }
            builder.loop(0..<g.outChannels) { builder, co in
                builder.loop(0..<g.inChannels) { builder, ci in
                    g.forEachOffset { ky, kx, rows, columns in
                        let weight = builder.local(.float32, element(w, Access(g.weightIndex(co, ci, ky, kx)), &builder))
                        builder.loop(rows) { builder, oy in
                            builder.loop(columns) { builder, ox in
                                let target = g.inputIndex(0, ci, oy, ox, ky, kx)
                                let gradient = element(dy, Access(g.outputIndex(n, co, oy, ox)), &builder)
                                builder.store(image, target, .load(image, index: target) + product(weight, gradient))
                            }
                        }
                    }
                }
            }
            builder.loop(0..<g.inChannels) { builder, ci in
                builder.loop(0..<g.inputPlane) { builder, p in
                    let local = ci * .integer(g.inputPlane) + p
                    let index = n * .integer(g.inChannels * g.inputPlane) + local
                    storeResult(group, .convert(.load(image, index: local), to: .float32), Access(index, channel: ci), &builder)
                }
            }
        }
    }

    /// dw[co, ci, ky, kx] = Σ_n Σ_{oy, ox} dy[n, co, oy, ox] · x[n, ci, oy·s − p + ky, ox·s − p + kx], in `f64`
    /// with one partial sum per image, as the interpreter adds them.
    mutating func lowerConvolutionWeightGradient(
        _ group: FusionGroup, _ attributes: ConvolutionAttributes, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let (x, dy) = (node.inputs[0], node.inputs[1])
        let g = ConvolutionShape(input: graph.type(of: x).shape, outChannels: graph.type(of: dy).shape[1], attributes)
        builder.loop(0..<g.outChannels) { builder, co in
            builder.loop(0..<g.inChannels) { builder, ci in
                for ky in 0..<g.kernel {
                    for kx in 0..<g.kernel {
                        let total = builder.local(.float64, .f64(0))
                        builder.loop(0..<g.batch) { builder, n in
                            let sum = builder.local(.float64, .f64(0))
                            builder.loop(g.rows(ky)) { builder, oy in
                                builder.loop(g.columns(kx)) { builder, ox in
                                    let gradient = element(dy, Access(g.outputIndex(n, co, oy, ox)), &builder)
                                    let input = element(x, Access(g.inputIndex(n, ci, oy, ox, ky, kx)), &builder)
                                    builder.assign(sum, sum + product(gradient, input))
                                }
                            }
                            builder.assign(total, total + sum)
                        }
                        let index = g.weightIndex(co, ci, ky, kx)
                        storeResult(group, .convert(total, to: .float32), Access(index, channel: ci), &builder)
                    }
                }
            }
        }
    }
}

extension Lowering {
    /// a·b in `f64` from two `f32` operands: the terms of every sum, which the interpreter adds in `Double`
    /// without fusing (so no `fmuladd` here: results match it bit for bit).
    func product(_ a: Expr, _ b: Expr) -> Expr {
        .binary(.multiply, .convert(a, to: .float64), .convert(b, to: .float64))
    }
}

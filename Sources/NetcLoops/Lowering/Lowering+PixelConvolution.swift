import NetcGraph

/// Convolutions with few input channels (the first layer, reading the image) vectorised over output pixels
/// instead of channels: with one input channel a channel-vectorised tap is a single multiply-add per output
/// channel, and the results would be stored one channel at a time, scattered over the output planes.
extension Lowering {
    /// Whether a convolution reads too few input channels to vectorise over them and has stride 1, so that
    /// neighbouring output pixels read neighbouring inputs.
    static func vectorisesOverPixels(_ g: ConvolutionShape) -> Bool {
        g.inChannels < 4 && g.stride == 1
    }

    /// y[n, co, oy, ox] = b[co] + Σ_{ci, ky, kx} x[n, ci, oy − p + ky, ox − p + kx] · w[co, ci, ky, kx], then the
    /// epilogue.
    ///
    /// The input is first copied into a zero-bordered plane of width W + 2p; on that plane an output pixel and
    /// its tap (ky, kx) are a fixed distance apart, so one long vector loop over the output rows laid at the
    /// padded width (the border columns of each row are computed and never read) adds up every tap of a pixel
    /// with no padding test, the weights broadcast from registers.
    mutating func lowerPixelConvolution(
        _ group: FusionGroup, _ g: ConvolutionShape, bias: ValueID?, name: String, _ builder: inout KernelBuilder
    ) -> [Kernel] {
        let node = graph[group.root]
        let (x, w) = (node.inputs[0], node.inputs[1])
        let (paddedHeight, paddedWidth) = (g.height + 2 * g.padding, g.width + 2 * g.padding)
        let plane = paddedHeight * paddedWidth
        let padded = newBuffer("\(graph[x].name).padded", .float32, g.batch * g.inChannels * plane)
        var padding = KernelBuilder()
        padding.parallelLoop(g.batch) { builder, n in
            builder.loop(0..<g.inChannels) { builder, ci in
                builder.loop(0..<paddedHeight) { builder, y in
                    builder.loop(0..<paddedWidth) { builder, x2 in
                        let (row, column) = (y - .integer(g.padding), x2 - .integer(g.padding))
                        let value = zeroOutside(x, g, n, ci, row, column, &builder)
                        builder.store(
                            padded,
                            ((n * .integer(g.inChannels) + ci) * .integer(paddedHeight) + y)
                                * .integer(paddedWidth) + x2, value)
                    }
                }
            }
        }
        // Output pixel p = oy·(W + 2p) + ox; the last K − 1 positions would read past the plane and are border.
        let positions = g.outHeight * paddedWidth - (g.kernel - 1)
        let sums = newBuffer("\(node.name).accumulator", .float32, g.batch * positions)
        builder.parallelLoop(g.batch) { builder, n in
            let row = n * .integer(positions)
            builder.loop(0..<g.outChannels) { builder, co in
                let initial = builder.local(.float32, bias.map { element($0, Access(co), &builder) } ?? .f32(0))
                builder.loop(0..<positions) { builder, p in builder.store(sums, row + p, initial) }
                builder.loop(0..<g.inChannels) { builder, ci in
                    let input = (n * .integer(g.inChannels) + ci) * .integer(plane)
                    builder.loop(0..<positions) { builder, p in
                        builder.loop(0..<g.kernel) { builder, ky in
                            builder.loop(0..<g.kernel) { builder, kx in
                                let weight = element(w, Access(g.weightIndex(co, ci, ky, kx)), &builder)
                                let tap = Expr.load(padded, index: input + ky * .integer(paddedWidth) + kx + p)
                                accumulate(sums, row + p, tap, weight, &builder)
                            }
                        }
                    }
                }
                builder.loop(0..<g.outHeight) { builder, oy in
                    builder.loop(0..<g.outWidth) { builder, ox in
                        let access = Access(g.outputIndex(n, co, oy, ox), channel: co)
                        let sum = Expr.load(sums, index: row + oy * .integer(paddedWidth) + ox)
                        storeResult(group, sum, access, &builder)
                    }
                }
            }
        }
        return [padding.kernel(name: name + "_x_pad", computes: [graph[x].name])]
    }
}

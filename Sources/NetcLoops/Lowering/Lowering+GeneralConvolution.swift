import NetcGraph

extension ConvolutionAttributes {
    /// Whether the convolution has groups or dilation, which the channel-vectorised lowering
    /// (`Lowering+Convolution.swift`) does not handle: such convolutions take the general path below.
    var needsGeneralLowering: Bool { groups > 1 || dilation > 1 }
}

/// The sizes of a grouped or dilated convolution and the index arithmetic of its tensors: input
/// `[N, Cin, H, W]`, weight `[Cout, Cin/groups, K, K]`, output `[N, Cout, OH, OW]`.
struct GeneralConvolutionShape {
    let batch, inChannels, height, width, outChannels, outHeight, outWidth: Int
    /// Input channels each output channel reads, and output channels per group.
    let groupInChannels, groupOutChannels: Int
    let attributes: ConvolutionAttributes

    init(input: [Int], outChannels: Int, _ attributes: ConvolutionAttributes) {
        (batch, inChannels, height, width) = (input[0], input[1], input[2], input[3])
        self.outChannels = outChannels
        self.attributes = attributes
        (outHeight, outWidth) = (attributes.outputLength(height), attributes.outputLength(width))
        (groupInChannels, groupOutChannels) = (inChannels / attributes.groups, outChannels / attributes.groups)
    }

    var kernel: Int { attributes.kernel }

    func inputIndex(_ n: Expr, _ ci: Expr, _ row: Expr, _ column: Expr) -> Expr {
        ((n * .integer(inChannels) + ci) * .integer(height) + row) * .integer(width) + column
    }

    func outputIndex(_ n: Expr, _ co: Expr, _ oy: Expr, _ ox: Expr) -> Expr {
        ((n * .integer(outChannels) + co) * .integer(outHeight) + oy) * .integer(outWidth) + ox
    }

    /// The flat weight index of (co, j, ky, kx), j the input channel's place in co's group.
    func weightIndex(_ co: Expr, _ j: Expr, _ ky: Int, _ kx: Int) -> Expr {
        ((co * .integer(groupInChannels) + j) * .integer(kernel) + .integer(ky)) * .integer(kernel) + .integer(kx)
    }

    /// The input row (or column) output position `o` reads at kernel offset `k`.
    func inputPosition(_ o: Expr, _ k: Int) -> Expr {
        o * .integer(attributes.stride) + .integer(k * attributes.dilation - attributes.padding)
    }
}

/// The weight gradient of grouped (depthwise included) and dilated convolutions; their forward pass and input
/// gradient are in `Lowering+PaddedPlaneConvolution.swift`.
extension Lowering {
    /// dw[co, j, ky, kx] = Σ_n Σ_{oy, ox} dy[n, co, oy, ox] · x[n, ci, shifted by the offset], one `f32` partial
    /// sum per image added to an `f64` total in image order; parallel over output channels.
    ///
    /// The images' partial sums are independent chains of multiply-adds, so a block of `imagesPerPass` images is
    /// summed in one pass over the pixels, each multiply-add waiting on its own image's previous one only (one
    /// image at a time, each waited on the last: depthwise weight gradients ran at 4-9 GFLOP/s). Every partial sum
    /// still adds its pixels in the same order, and the totals add the images in the same order, so the result is
    /// the same, bit for bit.
    mutating func lowerGeneralConvolutionWeightGradient(
        _ group: FusionGroup, _ attributes: ConvolutionAttributes, _ builder: inout KernelBuilder
    ) {
        let node = graph[group.root]
        let (x, dy) = (node.inputs[0], node.inputs[1])
        let g = GeneralConvolutionShape(
            input: graph.type(of: x).shape, outChannels: graph.type(of: dy).shape[1], attributes)
        let imagesPerPass = 4
        let (fullPasses, imagesLeft) = g.batch.quotientAndRemainder(dividingBy: imagesPerPass)
        builder.parallelLoop(g.outChannels) { builder, co in
            let firstInput = co / .integer(g.groupOutChannels) * .integer(g.groupInChannels)
            builder.loop(0..<g.groupInChannels) { builder, j in
                let ci = firstInput + j
                for ky in 0..<g.kernel {
                    for kx in 0..<g.kernel {
                        let rows = attributes.outputRange(kernelOffset: ky, inputLength: g.height)
                        let columns = attributes.outputRange(kernelOffset: kx, inputLength: g.width)
                        let total = builder.local(.float64, .f64(0))
                        /// Adds the images' partial sums, taken in one pass over the pixels, to `total` in order.
                        func sum(images: [Expr], _ builder: inout KernelBuilder) {
                            let partials = images.map { _ in builder.local(.float32, .f32(0)) }
                            builder.loop(rows) { builder, oy in
                                builder.loop(columns) { builder, ox in
                                    for (n, partial) in zip(images, partials) {
                                        let gradient = element(
                                            dy, Access(g.outputIndex(n, co, oy, ox), channel: co), &builder)
                                        let input = element(
                                            x,
                                            Access(
                                                g.inputIndex(n, ci, g.inputPosition(oy, ky), g.inputPosition(ox, kx)),
                                                channel: ci), &builder)
                                        builder.assign(partial, .multiplyAdd(gradient, input, partial))
                                    }
                                }
                            }
                            for partial in partials {
                                builder.assign(total, .binary(.add, total, .convert(partial, to: .float64)))
                            }
                        }
                        if !rows.isEmpty && !columns.isEmpty {
                            if fullPasses > 0 {
                                builder.loop(0..<fullPasses) { builder, pass in
                                    let first = pass * .integer(imagesPerPass)
                                    sum(images: (0..<imagesPerPass).map { first + .integer($0) }, &builder)
                                }
                            }
                            if imagesLeft > 0 {
                                sum(images: (g.batch - imagesLeft..<g.batch).map { .integer($0) }, &builder)
                            }
                        }
                        let access = Access(g.weightIndex(co, j, ky, kx), channel: j)
                        storeResult(group, .convert(total, to: .float32), access, &builder)
                    }
                }
            }
        }
    }
}

import NetcGraph

/// The sizes of one convolution: input `[N, Cin, H, W]`, weight `[Cout, Cin / groups, K, K]`, output
/// `[N, Cout, OH, OW]`.
///
/// Output pixel (oy, ox) with kernel offset (ky, kx) reads input pixel (oy·stride − padding + ky·dilation,
/// ox·stride − padding + kx·dilation); offsets that land in the padding read zero, so the loops below skip them.
/// Output channel co reads the input channels of its group, `group·Cin/groups ..< (group + 1)·Cin/groups` with
/// group = co / (Cout/groups).
struct ConvolutionGeometry {
    let batch, inChannels, height, width: Int
    let outChannels, kernel, stride, padding, dilation: Int
    let outHeight, outWidth: Int
    /// Input channels each output channel reads, and output channels per group.
    let groupInChannels, groupOutChannels: Int
    let attributes: ConvolutionAttributes

    init(input: [Int], outChannels: Int, _ attributes: ConvolutionAttributes) {
        (batch, inChannels, height, width) = (input[0], input[1], input[2], input[3])
        self.attributes = attributes
        self.outChannels = outChannels
        (kernel, stride, padding, dilation) = (
            attributes.kernel, attributes.stride, attributes.padding, attributes.dilation
        )
        (outHeight, outWidth) = (attributes.outputLength(height), attributes.outputLength(width))
        (groupInChannels, groupOutChannels) = (inChannels / attributes.groups, outChannels / attributes.groups)
    }

    /// For each kernel row ky, the output rows whose input row is inside the image.
    var rows: [Range<Int>] {
        (0..<kernel).map { attributes.outputRange(kernelOffset: $0, inputLength: height) }
    }
    /// For each kernel column kx, the output columns whose input column is inside the image.
    var columns: [Range<Int>] {
        (0..<kernel).map { attributes.outputRange(kernelOffset: $0, inputLength: width) }
    }

    /// The input channels output channel `co` reads, each with its index in the weight's second axis.
    func inputChannels(of co: Int) -> [(ci: Int, tap: Int)] {
        let first = co / groupOutChannels * groupInChannels
        return (0..<groupInChannels).map { (first + $0, $0) }
    }

    func inputPlane(_ n: Int, _ ci: Int) -> Int { (n * inChannels + ci) * height * width }
    func outputPlane(_ n: Int, _ co: Int) -> Int { (n * outChannels + co) * outHeight * outWidth }
    func weightIndex(_ co: Int, _ tap: Int, _ ky: Int, _ kx: Int) -> Int {
        ((co * groupInChannels + tap) * kernel + ky) * kernel + kx
    }
    /// The flat input index that output (oy, ox = 0) reads at offset (ky, kx), relative to its input plane.
    func inputRowStart(_ oy: Int, _ ky: Int, _ kx: Int) -> Int {
        (oy * stride - padding + ky * dilation) * width - padding + kx * dilation
    }
}

extension Kernels {
    /// y[n, co, oy, ox] = b[co] + Σ_{ci of co's group, ky, kx} x[n, ci, oy·s − p + ky·d, ox·s − p + kx·d] ·
    /// w[co, ci mod (Cin/groups), ky, kx].
    static func conv2D(
        _ x: Tensor, weight w: Tensor, bias: Tensor?, _ attributes: ConvolutionAttributes
    )
        -> [Double]
    {
        let g = ConvolutionGeometry(input: x.shape, outChannels: w.shape[0], attributes)
        let (rows, columns) = (g.rows, g.columns)
        let (xs, ws) = (x.scalars, w.scalars)
        let planeSize = g.outHeight * g.outWidth
        var y = [Double](repeating: 0, count: g.batch * g.outChannels * planeSize)
        for n in 0..<g.batch {
            for co in 0..<g.outChannels {
                let yPlane = g.outputPlane(n, co)
                if let bias {
                    for i in 0..<planeSize { y[yPlane + i] = bias.scalars[co] }
                }
                for (ci, tap) in g.inputChannels(of: co) {
                    let xPlane = g.inputPlane(n, ci)
                    for ky in 0..<g.kernel {
                        for kx in 0..<g.kernel {
                            let weight = ws[g.weightIndex(co, tap, ky, kx)]
                            for oy in rows[ky] {
                                let xRow = xPlane + g.inputRowStart(oy, ky, kx)
                                let yRow = yPlane + oy * g.outWidth
                                for ox in columns[kx] {
                                    y[yRow + ox] += weight * xs[xRow + ox * g.stride]
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// dx[n, ci, iy, ix] = Σ dy[n, co, oy, ox] · w[co, ci mod (Cin/groups), ky, kx] over every (co, oy, ox, ky, kx)
    /// whose window
    /// reads (iy, ix): the transposed convolution, walked in the forward loop order with x and y swapped.
    static func conv2DBackwardInput(
        _ dy: Tensor, weight w: Tensor, inputShape: [Int], _ attributes: ConvolutionAttributes
    ) -> [Double] {
        let g = ConvolutionGeometry(input: inputShape, outChannels: w.shape[0], attributes)
        let (rows, columns) = (g.rows, g.columns)
        let (dys, ws) = (dy.scalars, w.scalars)
        var dx = [Double](repeating: 0, count: inputShape.reduce(1, *))
        for n in 0..<g.batch {
            for co in 0..<g.outChannels {
                let yPlane = g.outputPlane(n, co)
                for (ci, tap) in g.inputChannels(of: co) {
                    let xPlane = g.inputPlane(n, ci)
                    for ky in 0..<g.kernel {
                        for kx in 0..<g.kernel {
                            let weight = ws[g.weightIndex(co, tap, ky, kx)]
                            for oy in rows[ky] {
                                let xRow = xPlane + g.inputRowStart(oy, ky, kx)
                                let yRow = yPlane + oy * g.outWidth
                                for ox in columns[kx] {
                                    dx[xRow + ox * g.stride] += weight * dys[yRow + ox]
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx
    }

    /// dw[co, j, ky, kx] = Σ_{n, oy, ox} dy[n, co, oy, ox] · x[n, ci, oy·s − p + ky·d, ox·s − p + kx·d] for the
    /// j-th input channel ci of co's group.
    static func conv2DBackwardWeight(
        _ x: Tensor, gradient dy: Tensor, _ attributes: ConvolutionAttributes
    )
        -> [Double]
    {
        let g = ConvolutionGeometry(input: x.shape, outChannels: dy.shape[1], attributes)
        let (rows, columns) = (g.rows, g.columns)
        let (xs, dys) = (x.scalars, dy.scalars)
        var dw = [Double](repeating: 0, count: g.outChannels * g.groupInChannels * g.kernel * g.kernel)
        for n in 0..<g.batch {
            for co in 0..<g.outChannels {
                let yPlane = g.outputPlane(n, co)
                for (ci, tap) in g.inputChannels(of: co) {
                    let xPlane = g.inputPlane(n, ci)
                    for ky in 0..<g.kernel {
                        for kx in 0..<g.kernel {
                            var sum = 0.0
                            for oy in rows[ky] {
                                let xRow = xPlane + g.inputRowStart(oy, ky, kx)
                                let yRow = yPlane + oy * g.outWidth
                                for ox in columns[kx] {
                                    sum += dys[yRow + ox] * xs[xRow + ox * g.stride]
                                }
                            }
                            dw[g.weightIndex(co, tap, ky, kx)] += sum
                        }
                    }
                }
            }
        }
        return dw
    }
}

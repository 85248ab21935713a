import NetcGraph

/// The sizes of one convolution: input `[N, Cin, H, W]`, weight `[Cout, Cin, K, K]`, output `[N, Cout, OH, OW]`.
///
/// Output pixel (oy, ox) with kernel offset (ky, kx) reads input pixel (oy·stride − padding + ky,
/// ox·stride − padding + kx); offsets that land in the padding read zero, so the loops below skip them.
struct ConvolutionGeometry {
    let batch, inChannels, height, width: Int
    let outChannels, kernel, stride, padding: Int
    let outHeight, outWidth: Int
    let attributes: ConvolutionAttributes

    init(input: [Int], outChannels: Int, _ attributes: ConvolutionAttributes) {
        (batch, inChannels, height, width) = (input[0], input[1], input[2], input[3])
        self.attributes = attributes
        self.outChannels = outChannels
        (kernel, stride, padding) = (attributes.kernel, attributes.stride, attributes.padding)
        (outHeight, outWidth) = (attributes.outputLength(height), attributes.outputLength(width))
    }

    /// For each kernel row ky, the output rows whose input row is inside the image.
    var rows: [Range<Int>] {
        (0..<kernel).map { attributes.outputRange(kernelOffset: $0, inputLength: height) }
    }
    /// For each kernel column kx, the output columns whose input column is inside the image.
    var columns: [Range<Int>] {
        (0..<kernel).map { attributes.outputRange(kernelOffset: $0, inputLength: width) }
    }

    func inputPlane(_ n: Int, _ ci: Int) -> Int { (n * inChannels + ci) * height * width }
    func outputPlane(_ n: Int, _ co: Int) -> Int { (n * outChannels + co) * outHeight * outWidth }
    func weightIndex(_ co: Int, _ ci: Int, _ ky: Int, _ kx: Int) -> Int {
        ((co * inChannels + ci) * kernel + ky) * kernel + kx
    }
    /// The flat input index that output (oy, ox = 0) reads at offset (ky, kx), relative to its input plane.
    func inputRowStart(_ oy: Int, _ ky: Int, _ kx: Int) -> Int { (oy * stride - padding + ky) * width - padding + kx }
}

extension Kernels {
    /// y[n, co, oy, ox] = b[co] + Σ_{ci, ky, kx} x[n, ci, oy·s − p + ky, ox·s − p + kx] · w[co, ci, ky, kx].
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
                for ci in 0..<g.inChannels {
                    let xPlane = g.inputPlane(n, ci)
                    for ky in 0..<g.kernel {
                        for kx in 0..<g.kernel {
                            let weight = ws[g.weightIndex(co, ci, ky, kx)]
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

    /// dx[n, ci, iy, ix] = Σ dy[n, co, oy, ox] · w[co, ci, ky, kx] over every (co, oy, ox, ky, kx) whose window
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
                for ci in 0..<g.inChannels {
                    let xPlane = g.inputPlane(n, ci)
                    for ky in 0..<g.kernel {
                        for kx in 0..<g.kernel {
                            let weight = ws[g.weightIndex(co, ci, ky, kx)]
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

    /// dw[co, ci, ky, kx] = Σ_{n, oy, ox} dy[n, co, oy, ox] · x[n, ci, oy·s − p + ky, ox·s − p + kx].
    static func conv2DBackwardWeight(
        _ x: Tensor, gradient dy: Tensor, _ attributes: ConvolutionAttributes
    )
        -> [Double]
    {
        let g = ConvolutionGeometry(input: x.shape, outChannels: dy.shape[1], attributes)
        let (rows, columns) = (g.rows, g.columns)
        let (xs, dys) = (x.scalars, dy.scalars)
        var dw = [Double](repeating: 0, count: g.outChannels * g.inChannels * g.kernel * g.kernel)
        for n in 0..<g.batch {
            for co in 0..<g.outChannels {
                let yPlane = g.outputPlane(n, co)
                for ci in 0..<g.inChannels {
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
                            dw[g.weightIndex(co, ci, ky, kx)] += sum
                        }
                    }
                }
            }
        }
        return dw
    }
}

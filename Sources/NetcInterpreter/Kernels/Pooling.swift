import NetcGraph

/// The sizes of one pooling: input `[N, C, H, W]`, output `[N, C, OH, OW]`, square windows that may start in
/// the padding.
struct PoolingGeometry {
    let planes, height, width: Int
    let size, stride, padding: Int
    let outHeight, outWidth: Int

    init(input: [Int], _ attributes: PoolAttributes) {
        (planes, height, width) = (input[0] * input[1], input[2], input[3])
        (size, stride, padding) = (attributes.size, attributes.stride, attributes.padding)
        (outHeight, outWidth) = (attributes.outputLength(height), attributes.outputLength(width))
    }

    var inputCount: Int { planes * height * width }
    var outputCount: Int { planes * outHeight * outWidth }
    /// The number of positions of a window, padding included: average pooling's divisor (PyTorch's
    /// `count_include_pad=True`).
    var windowArea: Int { size * size }

    /// The flat input indices of output (plane, oy, ox)'s window that lie inside the image, in row-major window
    /// order (padding positions are skipped: −∞ for a maximum, 0 for a sum).
    func window(_ plane: Int, _ oy: Int, _ ox: Int) -> [Int] {
        var indices: [Int] = []
        for dy in 0..<size {
            let iy = oy * stride - padding + dy
            guard (0..<height).contains(iy) else { continue }
            for dx in 0..<size {
                let ix = ox * stride - padding + dx
                if (0..<width).contains(ix) { indices.append((plane * height + iy) * width + ix) }
            }
        }
        return indices
    }

    /// Calls `body` with each output's flat index and the input indices of its window.
    func forEachWindow(_ body: (_ output: Int, _ window: [Int]) -> Void) {
        for plane in 0..<planes {
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    body((plane * outHeight + oy) * outWidth + ox, window(plane, oy, ox))
                }
            }
        }
    }
}

extension Kernels {
    /// y = the maximum over each window.
    static func maxPool(_ x: Tensor, _ attributes: PoolAttributes) -> [Double] {
        let g = PoolingGeometry(input: x.shape, attributes)
        var y = [Double](repeating: 0, count: g.outputCount)
        g.forEachWindow { output, window in
            y[output] = x.scalars[firstMaximum(of: window, in: x.scalars)]
        }
        return y
    }

    /// dx: each window's dy added to its first maximum (row-major window order, PyTorch's rule); overlapping
    /// windows accumulate.
    static func maxPoolBackward(_ x: Tensor, gradient dy: Tensor, _ attributes: PoolAttributes) -> [Double] {
        let g = PoolingGeometry(input: x.shape, attributes)
        var dx = [Double](repeating: 0, count: g.inputCount)
        g.forEachWindow { output, window in
            dx[firstMaximum(of: window, in: x.scalars)] += dy.scalars[output]
        }
        return dx
    }

    /// y = the sum of each window divided by its area, padding included.
    static func avgPool(_ x: Tensor, _ attributes: PoolAttributes) -> [Double] {
        let g = PoolingGeometry(input: x.shape, attributes)
        var y = [Double](repeating: 0, count: g.outputCount)
        g.forEachWindow { output, window in
            y[output] = window.reduce(0) { $0 + x.scalars[$1] } / Double(g.windowArea)
        }
        return y
    }

    /// dx: each window's dy divided by its area and added to every element of it; overlapping windows accumulate.
    static func avgPoolBackward(_ dy: Tensor, inputShape: [Int], _ attributes: PoolAttributes) -> [Double] {
        let g = PoolingGeometry(input: inputShape, attributes)
        var dx = [Double](repeating: 0, count: g.inputCount)
        g.forEachWindow { output, window in
            for index in window { dx[index] += dy.scalars[output] / Double(g.windowArea) }
        }
        return dx
    }

    /// y[n, c, 0, 0] = the mean of plane (n, c).
    static func globalAvgPool(_ x: Tensor) -> [Double] {
        let plane = x.shape[2] * x.shape[3]
        return (0..<x.shape[0] * x.shape[1]).map { p in
            x.scalars[p * plane..<(p + 1) * plane].reduce(0, +) / Double(plane)
        }
    }

    /// dx[n, c, h, w] = dy[n, c, 0, 0] / (H·W).
    static func globalAvgPoolBackward(_ dy: Tensor, inputShape: [Int]) -> [Double] {
        let plane = inputShape[2] * inputShape[3]
        return (0..<inputShape.reduce(1, *)).map { dy.scalars[$0 / plane] / Double(plane) }
    }

    /// The index in `window` order whose element is largest, the first one on ties.
    private static func firstMaximum(of window: [Int], in scalars: [Double]) -> Int {
        var best = window.first ?? 0
        for index in window.dropFirst() where scalars[index] > scalars[best] {
            best = index
        }
        return best
    }
}

import NetcGraph

/// The flat input indices of one pooling window, in row-major window order.
typealias PoolWindow = LazyMapCollection<Range<Int>, Int>

/// The sizes of one pooling: input `[N, C, H, W]`, output `[N, C, OH, OW]`, square windows without padding.
struct PoolingGeometry {
    let planes, height, width: Int
    let size, stride: Int
    let outHeight, outWidth: Int

    init(input: [Int], _ attributes: PoolAttributes) {
        (planes, height, width) = (input[0] * input[1], input[2], input[3])
        (size, stride) = (attributes.size, attributes.stride)
        (outHeight, outWidth) = (attributes.outputLength(height), attributes.outputLength(width))
    }

    var inputCount: Int { planes * height * width }
    var outputCount: Int { planes * outHeight * outWidth }

    /// The flat input indices of output (plane, oy, ox)'s window in row-major window order.
    func window(_ plane: Int, _ oy: Int, _ ox: Int) -> PoolWindow {
        let corner = (plane * height + oy * stride) * width + ox * stride
        return (0..<size * size).lazy.map { corner + ($0 / size) * width + $0 % size }
    }

    /// Calls `body` with each output's flat index and the input indices of its window.
    func forEachWindow(_ body: (_ output: Int, _ window: PoolWindow) -> Void) {
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

    /// y = the mean of each window.
    static func avgPool(_ x: Tensor, _ attributes: PoolAttributes) -> [Double] {
        let g = PoolingGeometry(input: x.shape, attributes)
        var y = [Double](repeating: 0, count: g.outputCount)
        g.forEachWindow { output, window in
            y[output] = window.reduce(0) { $0 + x.scalars[$1] } / Double(window.count)
        }
        return y
    }

    /// dx: each window's dy spread evenly over the window; overlapping windows accumulate.
    static func avgPoolBackward(_ dy: Tensor, inputShape: [Int], _ attributes: PoolAttributes) -> [Double] {
        let g = PoolingGeometry(input: inputShape, attributes)
        var dx = [Double](repeating: 0, count: g.inputCount)
        g.forEachWindow { output, window in
            for index in window { dx[index] += dy.scalars[output] / Double(window.count) }
        }
        return dx
    }

    /// The index in `window` order whose element is largest, the first one on ties.
    private static func firstMaximum(of window: PoolWindow, in scalars: [Double]) -> Int {
        var best = window.first ?? 0
        for index in window.dropFirst() where scalars[index] > scalars[best] {
            best = index
        }
        return best
    }
}

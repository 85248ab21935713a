import NetcGraph

extension Kernels {
    /// y[n, o] = b[o] + Σ_f x[n, f] · w[o, f], for x `[N, F]`, w `[O, F]`, b `[O]`.
    static func linear(_ x: Tensor, weight w: Tensor, bias: Tensor?) -> [Double] {
        let (batch, features, outputs) = (x.shape[0], x.shape[1], w.shape[0])
        let (xs, ws) = (x.scalars, w.scalars)
        var y = [Double](repeating: 0, count: batch * outputs)
        for n in 0..<batch {
            for o in 0..<outputs {
                var sum = bias?.scalars[o] ?? 0
                for f in 0..<features {
                    sum += xs[n * features + f] * ws[o * features + f]
                }
                y[n * outputs + o] = sum
            }
        }
        return y
    }

    /// dx[n, f] = Σ_o dy[n, o] · w[o, f].
    static func linearBackwardInput(_ dy: Tensor, weight w: Tensor) -> [Double] {
        let (batch, outputs, features) = (dy.shape[0], dy.shape[1], w.shape[1])
        let (dys, ws) = (dy.scalars, w.scalars)
        var dx = [Double](repeating: 0, count: batch * features)
        for n in 0..<batch {
            for o in 0..<outputs {
                let gradient = dys[n * outputs + o]
                for f in 0..<features {
                    dx[n * features + f] += gradient * ws[o * features + f]
                }
            }
        }
        return dx
    }

    /// dw[o, f] = Σ_n dy[n, o] · x[n, f].
    static func linearBackwardWeight(_ x: Tensor, gradient dy: Tensor) -> [Double] {
        let (batch, features, outputs) = (x.shape[0], x.shape[1], dy.shape[1])
        let (xs, dys) = (x.scalars, dy.scalars)
        var dw = [Double](repeating: 0, count: outputs * features)
        for n in 0..<batch {
            for o in 0..<outputs {
                let gradient = dys[n * outputs + o]
                for f in 0..<features {
                    dw[o * features + f] += gradient * xs[n * features + f]
                }
            }
        }
        return dw
    }
}

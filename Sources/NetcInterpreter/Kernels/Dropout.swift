import NetcGraph

extension Kernels {
    /// y[i] = x[i] / (1 − p) if element i is kept, else 0 (inverted dropout).
    static func dropout(_ x: Tensor, seed: Tensor, step: Tensor, _ attributes: DropoutAttributes) -> [Double] {
        let factors = dropoutFactors(count: x.scalars.count, seed: seed, step: step, attributes)
        return zip(x.scalars, factors).map { $0 * $1 }
    }

    /// dx[i] = dy[i] / (1 − p) if element i was kept, else 0: the forward's mask and scale.
    static func dropoutBackward(
        _ dy: Tensor, seed: Tensor, step: Tensor, _ attributes: DropoutAttributes
    )
        -> [Double]
    {
        dropout(dy, seed: seed, step: step, attributes)
    }

    /// The factor each element is multiplied by: 1 / (1 − p) if kept, 0 if dropped.
    ///
    /// Element i is kept iff `Philox(seed).uniform(stream: RandomStream.dropout(layer: stream), step: step,
    /// index: i) >= p`, so every backend draws the same mask for the same (seed, step, layer).
    private static func dropoutFactors(
        count: Int, seed: Tensor, step: Tensor, _ attributes: DropoutAttributes
    )
        -> [Double]
    {
        let generator = Philox(seed: integerKey(seed))
        let stream = RandomStream.dropout(layer: attributes.stream)
        let scale = 1 / (1 - attributes.probability)
        return (0..<count).map { index in
            let draw = generator.uniform(stream: stream, step: integerKey(step), index: UInt32(index))
            return draw >= attributes.probability ? scale : 0
        }
    }

    /// A seed or step scalar as the generator's 64-bit key (negative values wrap, as in two's complement).
    private static func integerKey(_ scalar: Tensor) -> UInt64 {
        UInt64(bitPattern: Int64(scalar.scalars[0]))
    }
}

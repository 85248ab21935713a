import NetcGraph

extension Kernels {
    /// The inputs joined along axis 1: for each image, the channels of input 0, then of input 1, ...
    static func concat(_ inputs: [Tensor]) -> [Double] {
        var y: [Double] = []
        for n in 0..<inputs[0].shape[0] {
            for input in inputs {
                let image = input.type.elementCount / input.shape[0]
                y += input.scalars[n * image..<(n + 1) * image]
            }
        }
        return y
    }

    /// Channels `start ..< start + count` of t (axis 1), for each image.
    static func channelSlice(_ t: Tensor, start: Int, count: Int) -> [Double] {
        let layout = ChannelLayout(t.shape)
        var y: [Double] = []
        for n in 0..<layout.batch {
            let first = (n * layout.channels + start) * layout.planeSize
            y += t.scalars[first..<first + count * layout.planeSize]
        }
        return y
    }
}

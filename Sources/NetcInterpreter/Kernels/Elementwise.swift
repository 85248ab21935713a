import NetcGraph

extension Kernels {
    /// y = max(x, 0).
    static func relu(_ x: Tensor) -> [Double] {
        x.scalars.map { max($0, 0) }
    }

    /// dx = dy where x > 0, else 0.
    static func reluBackward(_ x: Tensor, gradient dy: Tensor) -> [Double] {
        zip(x.scalars, dy.scalars).map { x, dy in x > 0 ? dy : 0 }
    }

    /// s[c] = Σ t[n, c, ...] over every axis but axis 1.
    static func sumToChannels(_ t: Tensor) -> [Double] {
        let layout = ChannelLayout(t.shape)
        var sums = [Double](repeating: 0, count: layout.channels)
        layout.forEachElement { index, channel in sums[channel] += t.scalars[index] }
        return sums
    }
}

/// How the elements of an `[N, C, ...]` tensor map to channels: N blocks of C planes of `planeSize` elements.
struct ChannelLayout {
    let batch, channels, planeSize: Int

    init(_ shape: [Int]) {
        (batch, channels) = (shape[0], shape[1])
        planeSize = shape.dropFirst(2).reduce(1, *)
    }

    /// The number of elements of each channel (N·H·W).
    var samplesPerChannel: Int { batch * planeSize }

    /// Calls `body` with every flat element index and its channel, in memory order.
    func forEachElement(_ body: (_ index: Int, _ channel: Int) -> Void) {
        for n in 0..<batch {
            for channel in 0..<channels {
                let plane = (n * channels + channel) * planeSize
                for index in plane..<plane + planeSize { body(index, channel) }
            }
        }
    }
}

import NetcGraph

/// Turns dataset examples into the `images` and `labels` tensors of one batch: normalised pixels, NCHW.
///
/// A batch that is not full (the end of a validation set) is padded with zero images, whose outputs the caller
/// ignores; inference has no interaction between the examples of a batch.
struct BatchAssembler {
    let data: Dataset
    let batchSize: Int
    /// One mean and std per channel of `data`.
    let normalization: Normalization

    /// An assembler of batches of `batchSize` images of `data`, normalised by `normalization`, which must have
    /// one channel's statistics or one per channel of the data.
    init(data: Dataset, batchSize: Int, normalization: Normalization) {
        guard let normalization = normalization.broadcast(to: data.shape.channels) else {
            preconditionFailure("\(normalization.channels) channels of statistics for \(data.shape) images")
        }
        self.data = data
        self.batchSize = batchSize
        self.normalization = normalization
    }

    /// The image tensor for `indices` (at most `batchSize`), with `pixels` supplying each image's values on the
    /// data's stored scale (the raw values, or an augmented copy); the images are prepared on the threads of
    /// `executable`, the program about to read them.
    func images(
        _ indices: ArraySlice<Int>, on executable: any Executable, pixels: @Sendable (Int) -> [Float]
    ) -> Tensor {
        let shape = data.shape
        let (size, plane) = (shape.elementCount, shape.height * shape.width)
        let indices = Array(indices)
        let (divisor, mean, std) = (data.pixels.divisor, normalization.mean, normalization.std)
        var scalars = [Double](repeating: 0, count: batchSize * size)
        scalars.withUnsafeMutableBufferPointer { scalars in
            // Each chunk writes only its own slots.
            nonisolated(unsafe) let output = scalars
            executable.runOnThreads(count: indices.count) { slots in
                for slot in slots {
                    let values = pixels(indices[slot])
                    for channel in 0..<shape.channels {
                        for offset in channel * plane..<(channel + 1) * plane {
                            output[slot * size + offset] =
                                (Double(values[offset]) / divisor - mean[channel]) / std[channel]
                        }
                    }
                }
            }
        }
        return Tensor(.float(batchSize, shape.channels, shape.height, shape.width), scalars)
    }

    /// The labels of `indices` as an i32 tensor, padded with class 0.
    func labels(_ indices: ArraySlice<Int>) -> Tensor {
        var scalars = [Double](repeating: 0, count: batchSize)
        if let labels = data.labels {
            for (slot, index) in indices.enumerated() { scalars[slot] = Double(labels[index]) }
        }
        return Tensor(TensorType(.int32, [batchSize]), scalars)
    }

    /// The stored values of image `index`.
    func rawPixels(_ index: Int) -> [Float] {
        data.values(ofImage: index)
    }
}

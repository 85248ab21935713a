import Foundation
import NetcGraph

/// Turns dataset examples into the `images` and `labels` tensors of one batch: normalised pixels, NCHW.
///
/// A batch that is not full (the end of a validation set) is padded with zero images, whose outputs the caller
/// ignores; inference has no interaction between the examples of a batch.
struct BatchAssembler {
    let data: Dataset
    let batchSize: Int
    let normalization: Normalization

    /// The image tensor for `indices` (at most `batchSize`), with `pixels` supplying each image's 0...255 values
    /// (the raw pixels, or an augmented copy); the images are prepared on every core at once.
    func images(_ indices: ArraySlice<Int>, pixels: @Sendable (Int) -> [Double]) -> Tensor {
        let size = data.imageSize.pixelCount
        let indices = Array(indices)
        var scalars = [Double](repeating: 0, count: batchSize * size)
        let parts = max(1, min(indices.count, ProcessInfo.processInfo.activeProcessorCount))
        scalars.withUnsafeMutableBufferPointer { scalars in
            // Each part writes only its own slots.
            nonisolated(unsafe) let output = scalars
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                for slot in stride(from: part, to: indices.count, by: parts) {
                    for (offset, pixel) in pixels(indices[slot]).enumerated() {
                        output[slot * size + offset] = normalization.apply(pixel)
                    }
                }
            }
        }
        return Tensor(.float(batchSize, 1, data.imageSize.height, data.imageSize.width), scalars)
    }

    /// The labels of `indices` as an i32 tensor, padded with class 0.
    func labels(_ indices: ArraySlice<Int>) -> Tensor {
        var scalars = [Double](repeating: 0, count: batchSize)
        if let labels = data.labels {
            for (slot, index) in indices.enumerated() { scalars[slot] = Double(labels[index]) }
        }
        return Tensor(TensorType(.int32, [batchSize]), scalars)
    }

    /// The raw pixels of image `index` as 0...255 values.
    func rawPixels(_ index: Int) -> [Double] {
        data.image(at: index).map(Double.init)
    }
}

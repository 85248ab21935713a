import Foundation
import NetcGraph

extension Kernels {
    /// `[1]`: the mean over the batch of log Σ_j exp(logits[n, j]) − logits[n, label[n]].
    static func softmaxCrossEntropy(_ logits: Tensor, labels: Tensor) -> [Double] {
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        var total = 0.0
        for n in 0..<batch {
            let row = logits.scalars[n * classes..<(n + 1) * classes]
            total += logSumExp(row) - logits.scalars[n * classes + Int(labels.scalars[n])]
        }
        return [total / Double(batch)]
    }

    /// dlogits[n, j] = (softmax(logits[n])[j] − [j = label[n]]) · dloss / N.
    static func softmaxCrossEntropyBackward(_ logits: Tensor, labels: Tensor, lossGradient: Tensor) -> [Double] {
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        let scale = lossGradient.scalars[0] / Double(batch)
        var gradient = [Double](repeating: 0, count: logits.scalars.count)
        for n in 0..<batch {
            let row = logits.scalars[n * classes..<(n + 1) * classes]
            let normalizer = logSumExp(row)
            for j in 0..<classes {
                let probability = exp(logits.scalars[n * classes + j] - normalizer)
                let target: Double = j == Int(labels.scalars[n]) ? 1 : 0
                gradient[n * classes + j] = (probability - target) * scale
            }
        }
        return gradient
    }

    /// log Σ exp(v), computed as max + log Σ exp(v − max) so large logits do not overflow.
    private static func logSumExp(_ values: ArraySlice<Double>) -> Double {
        let largest = values.max() ?? 0
        return largest + log(values.reduce(0) { $0 + exp($1 - largest) })
    }
}

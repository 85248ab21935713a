import Foundation
import NetcGraph

extension Kernels {
    /// `[1]`: the mean over the batch of −Σ_j q[n, j]·log softmax(logits[n])[j], with the smoothed target
    /// q[n, j] = (1 − ε)·[j = label[n]] + ε/C (PyTorch's `label_smoothing`); since Σ_j q[n, j] = 1 this is
    /// log Σ_j exp(logits[n, j]) − Σ_j q[n, j]·logits[n, j].
    static func softmaxCrossEntropy(_ logits: Tensor, labels: Tensor, labelSmoothing: Double) -> [Double] {
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        var total = 0.0
        for n in 0..<batch {
            let row = logits.scalars[n * classes..<(n + 1) * classes]
            let label = Int(labels.scalars[n])
            let targetLogit = (0..<classes).reduce(0.0) { sum, j in
                sum + target(j, label: label, classes: classes, labelSmoothing) * row[row.startIndex + j]
            }
            total += logSumExp(row) - targetLogit
        }
        return [total / Double(batch)]
    }

    /// dlogits[n, j] = (softmax(logits[n])[j] − q[n, j]) · dloss / N, q the smoothed target.
    static func softmaxCrossEntropyBackward(
        _ logits: Tensor, labels: Tensor, lossGradient: Tensor, labelSmoothing: Double
    ) -> [Double] {
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        let scale = lossGradient.scalars[0] / Double(batch)
        var gradient = [Double](repeating: 0, count: logits.scalars.count)
        for n in 0..<batch {
            let row = logits.scalars[n * classes..<(n + 1) * classes]
            let normalizer = logSumExp(row)
            for j in 0..<classes {
                let probability = exp(logits.scalars[n * classes + j] - normalizer)
                let target = target(j, label: Int(labels.scalars[n]), classes: classes, labelSmoothing)
                gradient[n * classes + j] = (probability - target) * scale
            }
        }
        return gradient
    }

    /// The smoothed target probability of class `j` for an image labelled `label`: (1 − ε)·[j = label] + ε/C.
    private static func target(_ j: Int, label: Int, classes: Int, _ smoothing: Double) -> Double {
        (j == label ? 1 - smoothing : 0) + smoothing / Double(classes)
    }

    /// log Σ exp(v), computed as max + log Σ exp(v − max) so large logits do not overflow.
    private static func logSumExp(_ values: ArraySlice<Double>) -> Double {
        let largest = values.max() ?? 0
        return largest + log(values.reduce(0) { $0 + exp($1 - largest) })
    }
}

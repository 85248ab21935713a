import NetcGraph

/// Recomputes BatchNorm's running statistics for averaged weights, as PyTorch's
/// `torch.optim.swa_utils.update_bn` does: the forward pass in training mode over a few training batches, each
/// running statistic set to the mean over the batches of the batch's own (the variance unbiased), and
/// `num_batches_tracked` to the batch count.
///
/// Why recompute: the average of the weights is a model no training step ran, so the raw weights' running
/// statistics do not describe its activations (PyTorch's `AveragedModel` keeps no statistics of its own either,
/// by default). Averaging the raw statistics instead (`use_buffers=True`) would be cheaper but describes the
/// raw weights of past steps, not the averaged ones.
struct AveragedModelStatistics {
    /// The training-mode forward pass with its batch moments as outputs.
    let executable: any Executable
    private let pass: BatchStatisticsPass

    /// Prepares `pass` on `backend`.
    init(pass: BatchStatisticsPass, backend: any Backend) throws {
        self.pass = pass
        executable = try backend.prepare(pass.graph, seed: 0)
    }

    /// How many batches the statistics average over. PyTorch's running statistics (momentum 0.1) weigh recent
    /// batches geometrically, worth about (2 − 0.1)/0.1 = 19 batches of samples; 20 batches estimate the averaged
    /// weights' statistics at least as precisely as the raw weights' are, for a tenth of an epoch's forward passes
    /// or less (a whole `update_bn` pass over the training images after every epoch would cost a third of an epoch).
    static let batchCount = 20

    /// The running statistics and batch counters of the weights `parameters` over `batches` (each the inputs of one
    /// training-mode forward pass: images, step and seed).
    func statistics(
        parameters: [(name: String, tensor: Tensor)], batches: [[InputKind: Tensor]]
    ) throws -> [String: Tensor] {
        precondition(!batches.isEmpty, "statistics need a batch")
        for (name, tensor) in parameters { try executable.setPersistent(named: name, to: tensor) }
        var sums: [String: [Double]] = [:]
        for inputs in batches {
            let outputs = try executable.run(inputs)
            for statistic in pass.statistics {
                guard let moments = outputs[statistic.moments] else { preconditionFailure("no \(statistic.moments)") }
                let channels = moments.shape[1]
                let row = moments.scalars[statistic.row * channels..<(statistic.row + 1) * channels]
                let sum = sums[statistic.name] ?? Array(repeating: 0, count: channels)
                sums[statistic.name] = zip(sum, row).map { $0 + statistic.scale * $1 }
            }
        }
        var result: [String: Tensor] = [:]
        let count = Double(batches.count)
        for statistic in pass.statistics {
            guard let sum = sums[statistic.name] else { continue }
            result[statistic.name] = Tensor(.float(sum.count), sum.map { $0 / count })
        }
        for counter in pass.counters { result[counter] = .scalar(count, .int64) }
        return result
    }
}

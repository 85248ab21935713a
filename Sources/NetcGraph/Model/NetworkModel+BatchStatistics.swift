/// One running statistic of a BatchNorm layer (`conv1.2.running_var`) and how one batch's forward pass gives it:
/// row `row` of the batch moments output `moments`, times `scale` (`M/(M − 1)` for the variance, which PyTorch
/// keeps unbiased; 1 for the mean).
public struct RunningStatistic: Hashable, Sendable {
    /// The state tensor's name.
    public var name: String
    /// The name of the graph output holding the batch's moments `[2, C]` (mean, biased variance).
    public var moments: String
    /// The moments' row: 0 the mean, 1 the variance.
    public var row: Int
    /// The factor from the batch moment to the statistic.
    public var scale: Double
}

/// The forward pass that recomputes BatchNorm's running statistics for given weights, with what it yields.
public struct BatchStatisticsPass: Sendable {
    /// The training-mode forward graph (dropout on, batch statistics) with each batch's moments as outputs.
    public var graph: Graph
    /// Every running statistic and where each batch's value of it comes from.
    public var statistics: [RunningStatistic]
    /// The batch counters (`conv1.2.num_batches_tracked`).
    public var counters: [String]
}

extension NetworkModel {
    /// The pass PyTorch's `torch.optim.swa_utils.update_bn` runs: the forward pass in training mode, whose batch
    /// moments, averaged over the batches with the variance made unbiased, become the running statistics (what
    /// `BatchNorm` keeps with `momentum=None`), and the batch count becomes `num_batches_tracked`.
    ///
    ///     before: %9 = batchMoments(%8)  %12 = movingAverage(%10, %9)  %13 = movingAverage(%11, %9)
    ///     after:  the same, and output `conv1.2.moments` = %9
    ///
    /// - Precondition: the model was built with `mode: .training`.
    public func batchStatisticsPass() -> BatchStatisticsPass {
        precondition(mode == .training, "batch statistics need the training-mode forward graph")
        var graph = self.graph
        var statistics: [RunningStatistic] = []
        var counters: [String] = []
        for update in graph.updates {
            let node = graph[update.newValue]
            if case .movingAverage(_, let row, let scale) = node.op {
                let moments = node.inputs[1]
                let name = graph[moments].name
                if graph.output(named: name) == nil { graph.outputs.append(GraphOutput(name, moments)) }
                statistics.append(
                    RunningStatistic(name: graph[update.target].name, moments: name, row: row, scale: scale))
            } else {
                precondition(node.op == .increment, "a forward graph updates only running statistics and counters")
                counters.append(graph[update.target].name)
            }
        }
        return BatchStatisticsPass(graph: graph, statistics: statistics, counters: counters)
    }
}

import NetcGraph

/// A network's training step and inference pass prepared on a backend once, for every fold of a run.
public struct TrainingPrograms {
    /// The whole training step: forward, loss, gradients, optimizer and running-statistics updates.
    public let training: any Executable
    /// The inference pass, for validation.
    public let inference: any Executable
    /// The pass recomputing BatchNorm statistics for the moving average of the weights, when the recipe keeps one.
    let batchStatistics: AveragedModelStatistics?

    /// Builds and prepares the graphs of `spec` for the configuration's batch size, optimizer and features.
    public init(spec: NetworkSpec, configuration: TrainingConfiguration, backend: any Backend) throws {
        let batch = configuration.batchSize
        let model = try NetworkModel(spec, batchSize: batch, mode: .training)
        training = try backend.prepare(configuration.trainingStep(of: model), seed: configuration.seed)
        inference = try backend.prepareInference(batch: batch, seed: 0) {
            try NetworkModel(spec, batchSize: $0, mode: .inference).graph
        }
        batchStatistics =
            configuration.averageDecay == nil
            ? nil : try AveragedModelStatistics(pass: model.batchStatisticsPass(), backend: backend)
    }

    /// Whether every program checks its kernels' results for NaN and infinity (`--check-numerics`).
    public func checkNumerics(_ checks: Bool) {
        training.checksNumerics = checks
        inference.checksNumerics = checks
        batchStatistics?.executable.checksNumerics = checks
    }
}

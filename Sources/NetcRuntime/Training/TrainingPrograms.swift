import NetcGraph

/// A network's training step and inference pass prepared on a backend once, for every fold of a run.
public struct TrainingPrograms {
    /// The whole training step: forward, loss, gradients, optimizer and running-statistics updates.
    public let training: any Executable
    /// The inference pass, for validation.
    public let inference: any Executable

    /// Builds and prepares both graphs of `spec` for the configuration's batch size and optimizer.
    public init(spec: NetworkSpec, configuration: TrainingConfiguration, backend: any Backend) throws {
        let batch = configuration.batchSize
        let step = try NetworkModel(spec, batchSize: batch, mode: .training)
            .trainingStep(optimizer: configuration.graphOptimizer)
        training = try backend.prepare(step, seed: configuration.seed)
        inference = try backend.prepare(try NetworkModel(spec, batchSize: batch, mode: .inference).graph, seed: 0)
    }
}

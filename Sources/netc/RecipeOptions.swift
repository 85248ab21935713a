import ArgumentParser
import NetcGraph
import NetcRuntime

extension OptimizerKind: ExpressibleByArgument {}
extension ScheduleKind: ExpressibleByArgument {}

/// The training recipe's flags; each one left out keeps the model file's or the reference recipe's value.
struct RecipeOptions: ParsableArguments {
    @Option(help: "Number of K-fold folds (default 5).")
    var folds: Int?
    @Option(help: "Epochs per fold (default 100).")
    var epochs: Int?
    @Option(name: .customLong("batch-size"), help: "Images per step (default 100).")
    var batchSize: Int?
    @Option(name: .customLong("lr"), help: "Learning rate; the peak for onecycle (default 1e-4).")
    var learningRate: Double?
    @Option(help: "adam or sgd (default adam).")
    var optimizer: OptimizerKind?
    @Option(help: "constant, cosine or onecycle (default constant).")
    var schedule: ScheduleKind?
    @Option(name: .customLong("weight-decay"), help: "L2 penalty added to the gradients (default 0).")
    var weightDecay: Double?
    @Option(help: "Seed of the folds, shuffles, augmentation, dropout and weights (default 42).")
    var seed: UInt64?
    @Flag(name: .customLong("no-augment"), help: "Train on the images as they are.")
    var noAugment = false

    func validate() throws {
        if let folds, folds < 2 { throw ValidationError("--folds must be at least 2, found \(folds)") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be positive, found \(epochs)") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be positive, found \(batchSize)") }
        if let learningRate, !(learningRate > 0) { throw ValidationError("--lr must be positive") }
        if let seed, seed >= 1 << 53 { throw ValidationError("--seed must be below 2^53") }
    }

    /// `configuration` with every given flag applied.
    func apply(to configuration: TrainingConfiguration) -> TrainingConfiguration {
        var result = configuration
        if let folds { result.folds = folds }
        if let epochs { result.epochs = epochs }
        if let batchSize { result.batchSize = batchSize }
        if let learningRate { result.learningRate = learningRate }
        if let optimizer { result.optimizer = optimizer }
        if let schedule { result.schedule = schedule }
        if let weightDecay { result.weightDecay = weightDecay }
        if let seed { result.seed = seed }
        if noAugment { result.augment = false }
        return result
    }
}

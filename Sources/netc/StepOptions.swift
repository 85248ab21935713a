import ArgumentParser
import NetcGraph
import NetcRuntime

extension OptimizerKind: ExpressibleByArgument {}

/// The flags that decide what the compiled training step computes (shared by `train` and `check`); each one left
/// out keeps the model file's or the reference recipe's value.
struct StepOptions: ParsableArguments {
    @Option(help: "adam, adamw (decoupled weight decay) or sgd (default adam).")
    var optimizer: OptimizerKind?
    @Option(
        name: .customLong("weight-decay"),
        help: """
            Weight decay: the L2 penalty added to the gradients (adam, sgd) or AdamW's decoupled decay (default 0; \
            0.01 for adamw, as in PyTorch).
            """)
    var weightDecay: Double?
    @Option(
        name: .customLong("label-smoothing"),
        help:
            "Label smoothing of the cross-entropy, 0 to 1, as PyTorch's CrossEntropyLoss(label_smoothing=) (default 0)."
    )
    var labelSmoothing: Double?
    @Option(
        name: .customLong("ema-decay"),
        help: """
            Keep an exponential moving average of the weights, updated after every step with this decay (e.g. \
            0.999; PyTorch's AveragedModel with get_ema_multi_avg_fn), validated and checkpointed beside them \
            (fold-K/best-ema.safetensors). Default: none.
            """)
    var averageDecay: Double?

    func validate() throws {
        if let weightDecay, !(weightDecay >= 0) { throw ValidationError("--weight-decay must be at least 0") }
        if let labelSmoothing, !(0...1).contains(labelSmoothing) {
            throw ValidationError("--label-smoothing must be from 0 to 1, found \(labelSmoothing)")
        }
        if let averageDecay, !(averageDecay >= 0 && averageDecay < 1) {
            throw ValidationError("--ema-decay must be at least 0 and below 1, found \(averageDecay)")
        }
    }

    /// `configuration` with every given flag applied.
    func apply(to configuration: TrainingConfiguration) -> TrainingConfiguration {
        var result = configuration
        if let optimizer { result.optimizer = optimizer }
        if let weightDecay { result.weightDecay = weightDecay }
        if let labelSmoothing { result.labelSmoothing = labelSmoothing }
        if let averageDecay { result.averageDecay = averageDecay }
        return result
    }
}
